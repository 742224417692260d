"""The access log: a line per request, unless the operator turns it off (POLICYGRAPH_ACCESS_LOG)."""

import httpx
from support import start_policygraph, stop


def test_each_request_is_logged_unless_the_operator_turns_it_off(embedded_server, tmp_path, token_entry):
    marker = "/health?access-log-check"
    httpx.get(embedded_server.url + marker)
    assert f'"GET {marker} HTTP/1.1" 200' in embedded_server.log.read_text()

    quiet = start_policygraph(tmp_path, token_entry, store=tmp_path / "quiet-store",
                              extra_env={"POLICYGRAPH_ACCESS_LOG": "false"})
    try:
        assert httpx.get(quiet.url + marker).status_code == 200
    finally:
        stop(quiet.process)
    assert marker not in quiet.log.read_text()
