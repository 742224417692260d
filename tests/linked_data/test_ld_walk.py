"""Every IRI of the shipped data dereferences on a live server, in every format.

The IRIs are every subject, predicate, object and graph name under the base in the shipped files
(ontology, vocabularies, shapes, reference data, territories, sources): several thousand, mostly
communes.  Each is fetched in HTML, Turtle, JSON-LD, N-Triples and RDF/XML by its Accept header,
16 requests at a time.  The four RDF answers must parse (pyoxigraph, which fetches nothing) to the
*same* set of triples, which must mention the IRI; the HTML page must name it.  A ``#`` IRI is
fetched as its document (``…/def``, ``…/shapes``), whose page must have an anchor for it.
"""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pyoxigraph as ox

from ld_support import BASE, shipped_quads

FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}
CONCURRENCY = 16


def shipped_iris() -> dict[str, set[str]]:
    """Document IRI (fragment removed) → the IRIs of the data it answers for."""
    documents: dict[str, set[str]] = {}
    for q in shipped_quads():
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
                documents.setdefault(term.value.split("#", 1)[0], set()).add(term.value)
    return documents


async def _check(client: httpx.AsyncClient, server, document: str, iris: set[str], failures: list) -> None:
    url = server.local(document)
    answers = {}
    for media in (*FORMATS, "text/html"):
        r = await client.get(url, headers={"Accept": media})
        if r.status_code != 200 or not r.headers.get("content-type", "").startswith(media):
            failures.append(f"{url} [{media}]: {r.status_code} {r.headers.get('content-type')} {r.text[:200]}")
            return
        if "Accept" not in r.headers.get("vary", ""):
            failures.append(f"{url} [{media}]: no Vary: Accept")
        answers[media] = r.content
    sets = {}
    for media, fmt in FORMATS.items():
        try:
            sets[media] = {str(t) for t in ox.parse(answers[media], format=fmt)}
        except SyntaxError as exc:
            failures.append(f"{url} [{media}]: does not parse: {exc}")
            return
    reference = sets["application/n-triples"]
    for media, found in sets.items():
        if found != reference:
            failures.append(f"{url}: {media} has {len(found)} triples, N-Triples {len(reference)}; "
                            f"differ on {sorted(found ^ reference)[:2]}")
    text = " ".join(reference)
    html = answers["text/html"].decode()
    for iri in iris:
        if f"<{iri}>" not in text:
            failures.append(f"{url}: the RDF does not mention <{iri}>")
        if "#" in iri:
            if not re.search(r'(id="{0}"|#{0}")'.format(re.escape(iri.split("#", 1)[1])), html):
                failures.append(f"{url}: the page has no anchor or link for {iri}")
    if document not in html or "<h1" not in html:
        failures.append(f"{url}: the page does not name the resource")


def test_every_shipped_iri_dereferences_in_every_format(ld_server):
    documents = shipped_iris()
    assert len(documents) > 5000  # the walk covers the real data: communes, contracts, actors…
    failures: list[str] = []
    started = time.monotonic()

    async def walk():
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        async with httpx.AsyncClient(timeout=120, limits=limits) as client:
            queue: asyncio.Queue = asyncio.Queue()
            for item in sorted(documents.items()):
                queue.put_nowait(item)

            async def worker():
                while not queue.empty():
                    document, iris = queue.get_nowait()
                    await _check(client, ld_server, document, iris, failures)

            await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))

    asyncio.run(walk())
    elapsed = time.monotonic() - started
    print(f"\nwalked {len(documents)} documents × 5 formats in {elapsed:.0f} s "
          f"({len(documents) * 5 / elapsed:.0f} requests/s)")
    assert not failures, f"{len(failures)} failures, e.g.:\n" + "\n".join(failures[:20])
