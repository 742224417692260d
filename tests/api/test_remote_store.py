"""The remote store's own operations against a real Oxigraph server: loading the shipped files
(`policygraph load` / `serve --reload-data` on an external triplestore) and in-process queries."""

import pytest
from rdflib import URIRef
from support import fixture_files, start_oxigraph, stop

from policygraph.model import formats
from policygraph.model.dataset import DataFile
from policygraph.settings import Settings
from policygraph.store.base import QueryRequest
from policygraph.store.remote import RemoteStore


@pytest.fixture()
def empty_oxigraph(tmp_path):
    process, url = start_oxigraph(tmp_path, preload=False)
    yield url
    stop(process)


def test_load_files_into_an_external_triplestore(empty_oxigraph, reference_store):
    store = RemoteStore(Settings(query_url=empty_oxigraph + "/query", update_url=empty_oxigraph + "/update"))
    try:
        assert store.is_empty()
        files = [DataFile(path, URIRef(graph)) for path, graph in fixture_files()]
        counts = store.load_files(files)
        assert not store.is_empty()
        expected = {g.value: sum(1 for _ in reference_store.quads_for_pattern(None, None, None, g))
                    for g in reference_store.named_graphs()}
        assert counts == expected
        assert {g: n for g, n in store.graph_counts().items() if g} == expected
        store.load_files(files[:1])  # a reload replaces, it does not add
        assert {g: n for g, n in store.graph_counts().items() if g} == expected
        # Without workers (the command line), queries run in this process.
        result = store.query(QueryRequest("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", formats.RESULTS_CSV))
        assert result.body.split(b"\r\n")[1] == str(sum(expected.values())).encode()
    finally:
        store.close()
