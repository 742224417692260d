"""Linked data does not depend on the endpoint's default graph: with ``POLICYGRAPH_UNION_DEFAULT_GRAPH=false``
(queries without a dataset see only the default graph), resources are still described from every
named graph, and collections still list them."""

from __future__ import annotations

import httpx
import pytest
from ld_support import BASE, _environment, _serve, stop


@pytest.fixture(scope="module")
def separate_graphs_server(tmp_path_factory):
    from policygraph.model.dataset import data_files
    from policygraph.settings import Settings
    from policygraph.store.embedded import EmbeddedStore

    tmp = tmp_path_factory.mktemp("ld-no-union")
    store = EmbeddedStore(Settings(store_path=tmp / "store"))
    try:
        store.load_files(data_files())
    finally:
        store.close()
    server = _serve(tmp, tmp / "store", _environment({"POLICYGRAPH_UNION_DEFAULT_GRAPH": "false"}), "no-union")
    yield server
    stop(server.process)


def test_resources_and_collections_see_every_graph(separate_graphs_server, ld_server):
    iri = BASE + "id/contract/perr-le-quesnoy"
    here = httpx.get(separate_graphs_server.local(iri) + ".nt")
    assert here.status_code == 200
    assert set(here.text.splitlines()) == set(httpx.get(ld_server.local(iri) + ".nt").text.splitlines())
    # the endpoint itself does follow the setting: its default graph is empty
    ask = httpx.get(separate_graphs_server.url + "/sparql", params={"query": f"ASK {{ <{iri}> ?p ?o }}"})
    assert ask.json()["boolean"] is False
    listing = httpx.get(separate_graphs_server.url + "/contracts", params={"kind": "cper"},
                        headers={"Accept": "application/ld+json"})
    assert listing.status_code == 200 and listing.json()["totalItems"] == 6
