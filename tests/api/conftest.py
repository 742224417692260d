"""Fixtures for the API tests: real servers (see support.py), shared by the whole session."""

from __future__ import annotations

import pytest
from support import (
    TOKEN,
    Server,
    fixture_files,
    preload_embedded,
    start_oxigraph,
    start_policygraph,
    stop,
    token_entry_for,
)


@pytest.fixture(scope="session")
def token_entry() -> str:
    return token_entry_for(TOKEN)


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory, token_entry):
    tmp = tmp_path_factory.mktemp("embedded")
    preload_embedded(tmp / "store")
    server = start_policygraph(tmp, token_entry)
    yield server
    stop(server.process)


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory, token_entry):
    tmp = tmp_path_factory.mktemp("remote")
    backend, backend_url = start_oxigraph(tmp)
    try:
        server = start_policygraph(tmp, token_entry, remote=backend_url)
        server.backend, server.backend_url = backend, backend_url
        yield server
        stop(server.process)
    finally:
        stop(backend)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def server(request) -> Server:
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="session")
def reference_store():
    """The test dataset in an in-process pyoxigraph store: what the served results must equal."""
    import pyoxigraph as ox

    store = ox.Store()
    for path, graph in fixture_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    return store
