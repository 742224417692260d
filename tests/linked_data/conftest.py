"""Session fixtures: the whole shipped dataset served by a real ``policygraph serve`` (embedded store,
and in front of a real Oxigraph server)."""

from __future__ import annotations

import pytest
from ld_support import start_embedded, start_remote, stop
from pyld import jsonld


@pytest.fixture(scope="session")
def ld_server(tmp_path_factory):
    server = start_embedded(tmp_path_factory.mktemp("ld-embedded"))
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def ld_remote_server(tmp_path_factory):
    server = start_remote(tmp_path_factory.mktemp("ld-remote"))
    yield server
    stop(server.process)
    stop(server.backend)


@pytest.fixture(params=["embedded", "remote"])
def any_server(request):
    return request.getfixturevalue("ld_server" if request.param == "embedded" else "ld_remote_server")


def _no_network(url, options=None):
    raise AssertionError(f"a JSON-LD processor tried to fetch {url}: responses must expand without the network")


@pytest.fixture(autouse=True, scope="session")
def offline_jsonld():
    """pyld must never load a remote document: every context is inline."""
    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(_no_network)
    yield
    jsonld.set_document_loader(previous)


@pytest.fixture(scope="session")
def reference():
    """The shipped dataset in an in-process pyoxigraph store: expectations are computed here,
    independently of the server."""
    import pyoxigraph as ox
    from ld_support import shipped_quads

    store = ox.Store()
    store.extend(shipped_quads())
    return store
