"""The dataset description (VoID, DCAT) and the dumps."""

from __future__ import annotations

import gzip

import httpx
import pyoxigraph as ox
import pytest
from ld_support import BASE, shipped_quads
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # not rdflib's closed namespace: pytest probes module globals
DATASET = URIRef(BASE + "dataset")


@pytest.fixture(scope="module")
def void(ld_server) -> Graph:
    r = httpx.get(ld_server.url + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=r.text, format="turtle")


def test_the_description_says_what_a_consumer_needs(ld_server, void):
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    assert void.value(DATASET, DCTERMS.license) == URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
    assert {str(t) for t in void.objects(DATASET, DCTERMS.title)}
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(ld_server.url + "/sparql")
    assert str(void.value(DATASET, VOID.uriSpace)) == BASE + "id/"
    sources = {str(s) for s in void.objects(DATASET, DCTERMS.source)}
    assert {BASE + "id/document/004_4b7e9e6a0ac3b2cb", BASE + "id/source/decoupage-administratif-6.0.0"} <= sources
    service = next(void.subjects(DCAT.servesDataset, DATASET))
    assert void.value(service, DCAT.endpointURL) == URIRef(ld_server.url + "/sparql")


def test_the_numbers_are_those_of_the_data(void):
    quads = shipped_quads()
    by_graph: dict[str, set] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name.value, set()).add(q.triple)
    subsets = {str(s): int(void.value(s, VOID.triples)) for s in void.objects(DATASET, VOID.subset)}
    assert subsets == {g: len(t) for g, t in by_graph.items()}
    contracts = next(p for p in void.objects(DATASET, VOID.classPartition)
                     if void.value(p, VOID["class"]) == URIRef(BASE + "def#Contract"))
    expected = len({q.subject for q in quads if q.predicate.value.endswith("#type") and q.object.value == BASE + "def#Contract"})
    assert int(void.value(contracts, VOID.entities)) == expected


def test_dataset_iri_and_well_known_location_agree(ld_server):
    a = httpx.get(ld_server.url + "/dataset", headers={"Accept": "application/n-triples"})
    b = httpx.get(ld_server.url + "/.well-known/void", headers={"Accept": "application/n-triples"})
    assert a.status_code == b.status_code == 200 and set(a.text.splitlines()) == set(b.text.splitlines())
    assert a.headers["content-location"] == ld_server.url + "/dataset.nt"
    html = httpx.get(ld_server.url + "/.well-known/void", headers={"Accept": "text/html"}).text
    assert "Licence Ouverte" in html and "policygraph.nq.gz" in html


def canonical(quads) -> set[str]:
    """Quads as strings, blank nodes renamed canonically (RDFC-1.0): the shapes have blank nodes."""
    dataset = ox.Dataset(q if isinstance(q, ox.Quad) else ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def _dump(server, name: str) -> bytes:
    r = httpx.get(server.url + "/dumps/" + name, timeout=120)
    assert r.status_code == 200 and r.headers["content-type"] == "application/gzip", r.text[:300]
    return gzip.decompress(r.content)


def test_dumps_hold_the_whole_graph(ld_server, void):
    quads = canonical(shipped_quads())
    union = canonical(q.triple for q in shipped_quads())
    dumps = {str(u) for u in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f"{ld_server.url}/dumps/policygraph.{e}.gz" for e in ("ttl", "nt", "nq", "trig", "jsonld")}
    assert canonical(ox.parse(_dump(ld_server, "policygraph.nq.gz"), format=ox.RdfFormat.N_QUADS)) == quads
    assert canonical(ox.parse(_dump(ld_server, "policygraph.trig.gz"), format=ox.RdfFormat.TRIG)) == quads
    assert canonical(ox.parse(_dump(ld_server, "policygraph.jsonld.gz"), format=ox.RdfFormat.JSON_LD)) == quads
    assert canonical(ox.parse(_dump(ld_server, "policygraph.nt.gz"), format=ox.RdfFormat.N_TRIPLES)) == union
    assert canonical(ox.parse(_dump(ld_server, "policygraph.ttl.gz"), format=ox.RdfFormat.TURTLE)) == union


def test_dumps_are_stable_files(ld_server):
    first = httpx.get(ld_server.url + "/dumps/policygraph.nt.gz")
    second = httpx.get(ld_server.url + "/dumps/policygraph.nt.gz")
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    assert httpx.get(ld_server.url + "/dumps/policygraph.csv.gz").status_code == 404
    assert httpx.head(ld_server.url + "/dumps/policygraph.ttl.gz").headers["content-length"]


def test_every_page_links_the_dataset_description(ld_server):
    for path in ("/", "/id/contract/erbm", "/contracts", "/def", "/graph/reference"):
        html = httpx.get(ld_server.url + path, headers={"Accept": "text/html"}).text
        assert f'href="{ld_server.url}/.well-known/void"' in html, path


def test_dumps_from_an_external_triplestore(ld_remote_server):
    nq = _dump(ld_remote_server, "policygraph.nq.gz")
    assert canonical(ox.parse(nq, format=ox.RdfFormat.N_QUADS)) == canonical(shipped_quads())
