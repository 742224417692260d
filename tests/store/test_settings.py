"""Settings from the environment: types, defaults, errors that name the variable."""

from pathlib import Path

import pytest

from policygraph.settings import Settings


def test_defaults():
    s = Settings.from_env({})
    assert s.store_path == Path("var/store") and not s.remote and s.union_default_graph
    assert s.workers == 2 and s.query_timeout == 10 and s.service_allowlist == () and s.access_log


def test_values_and_overrides():
    s = Settings.from_env({"POLICYGRAPH_QUERY_URL": "http://127.0.0.1:7878/query", "POLICYGRAPH_WORKERS": "3",
                           "POLICYGRAPH_UNION_DEFAULT_GRAPH": "false", "POLICYGRAPH_QUERY_TIMEOUT": "2.5",
                           "POLICYGRAPH_SERVICE_ALLOWLIST": "https://a/sparql, https://b/sparql",
                           "POLICYGRAPH_PUBLIC_URL": "https://example.org/pg/", "POLICYGRAPH_ACCESS_LOG": "off"},
                          store_path=Path("/x"))
    assert s.remote and s.workers == 3 and not s.union_default_graph and s.query_timeout == 2.5 and not s.access_log
    assert s.service_allowlist == ("https://a/sparql", "https://b/sparql")
    assert s.public_url == "https://example.org/pg" and s.store_path == Path("/x")


@pytest.mark.parametrize("name,value", [("WORKERS", "0"), ("QUERY_TIMEOUT", "soon"), ("UNION_DEFAULT_GRAPH", "maybe"),
                                        ("REMOTE_UNION", "sometimes"), ("ACCESS_LOG", "verbose")])
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(ValueError, match=f"POLICYGRAPH_{name}"):
        Settings.from_env({f"POLICYGRAPH_{name}": value})


def test_every_environment_variable_is_documented():
    import policygraph.settings as module

    used = set(Settings.variables().values()) | {"POLICYGRAPH_STEWARD_TOKENS", "POLICYGRAPH_STEWARD_TOKENS_FILE"}
    assert len(used) > 20
    for name in used:
        assert f"``{name}``" in module.__doc__, name
