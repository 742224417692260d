"""Every IRI of the shipped data dereferences on a live server, in every format.

The IRIs are every subject, predicate, object and graph name under the base in the shipped files
(ontology, vocabularies, shapes, reference data, territories, sources): several thousand, mostly
communes.  Each is fetched in HTML, Turtle, JSON-LD, N-Triples and RDF/XML by its Accept header,
16 requests at a time.  The four RDF answers must parse (pyoxigraph, which fetches nothing) to the
*same* set of triples, which must mention the resource; the HTML page must name it.  A ``#`` IRI is
fetched as its document (``…/def``, ``…/shapes``), whose page must have an anchor or link for it;
a named graph's IRI answers with the graph's triples.

The client is the standard library's ``http.client`` in 16 threads, one persistent connection each:
httpx spends about 2 ms of CPU per request, which on two cores would be most of the walk.
"""

from __future__ import annotations

import http.client
import queue
import re
import threading
import time
from urllib.parse import urlsplit

import pyoxigraph as ox
from ld_support import BASE, shipped_quads

FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
CONCURRENCY = 16


def shipped_iris() -> tuple[dict[str, set[str]], set[str]]:
    """(document IRI without fragment → the IRIs it answers for, the named graphs' IRIs)."""
    documents: dict[str, set[str]] = {}
    graphs = set()
    for q in shipped_quads():
        graphs.add(q.graph_name.value)
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                documents.setdefault(term.value.split("#", 1)[0], set()).add(term.value)
    return documents, graphs


def check(connection: http.client.HTTPConnection, path: str, document: str, iris: set[str], is_graph: bool,
          failures: list) -> None:
    answers = {}
    for media in (*FORMATS, "text/html"):
        connection.request("GET", path, headers={"Accept": media})
        r = connection.getresponse()
        body = r.read()
        if r.status != 200 or not (r.getheader("content-type") or "").startswith(media):
            failures.append(f"{path} [{media}]: {r.status} {r.getheader('content-type')} {body[:200]!r}")
            return
        if "Accept" not in (r.getheader("vary") or ""):
            failures.append(f"{path} [{media}]: no Vary: Accept")
        answers[media] = body
    sets = {}
    for media, fmt in FORMATS.items():
        try:
            sets[media] = {str(t) for t in ox.parse(answers[media], format=fmt)}
        except SyntaxError as exc:
            failures.append(f"{path} [{media}]: does not parse: {exc}")
            return
    reference = sets["application/n-triples"]
    if not reference:
        failures.append(f"{path}: no triples")
    for media, found in sets.items():
        if found != reference:
            failures.append(f"{path}: {media} has {len(found)} triples, N-Triples {len(reference)}; "
                            f"they differ on {sorted(found ^ reference)[:2]}")
    text = " ".join(reference)
    html = answers["text/html"].decode()
    for iri in iris:
        if not is_graph and f"<{iri}>" not in text:
            failures.append(f"{path}: the RDF does not mention <{iri}>")
        if "#" in iri and not re.search(r'(id="{0}"|#{0}")'.format(re.escape(iri.split("#", 1)[1])), html):
            failures.append(f"{path}: the page has no anchor or link for {iri}")
    if document not in html or "<h1" not in html:
        failures.append(f"{path}: the page does not name the resource")


def test_every_shipped_iri_dereferences_in_every_format(ld_server):
    documents, graphs = shipped_iris()
    assert len(documents) > 5000  # the walk covers the real data: communes, contracts, actors…
    host, port = urlsplit(ld_server.url).hostname, urlsplit(ld_server.url).port
    work: queue.Queue = queue.Queue()
    for document, iris in sorted(documents.items()):
        work.put((document, iris))
    failures: list[str] = []

    def worker() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        try:
            while True:
                try:
                    document, iris = work.get_nowait()
                except queue.Empty:
                    return
                path = "/" + document[len(BASE):]
                try:
                    check(connection, path, document, iris, document in graphs, failures)
                except (OSError, http.client.HTTPException) as exc:
                    failures.append(f"{path}: {type(exc).__name__}: {exc}")
                    connection.close()
                    connection = http.client.HTTPConnection(host, port, timeout=120)
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    print(f"\nwalked {len(documents)} IRIs × 5 formats in {elapsed:.0f} s ({len(documents) * 5 / elapsed:.0f} requests/s)")
    assert not failures, f"{len(failures)} failures, e.g.:\n" + "\n".join(failures[:20])
