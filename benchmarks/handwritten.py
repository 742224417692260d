"""What the hand-written parts save over the library that could do their job, on the shipped graph.

    python -m benchmarks.handwritten            # prints a table of medians; a few seconds

- framing (``policygraph.linked_data.framing.frame``) against pyld's JSON-LD Framing of the same
  description (``jsonld.frame`` with the shipped context and the resource as the frame's ``@id``);
- the SPARQL lexer (``policygraph.store.sparql_text.analyze_query``) against rdflib's SPARQL parser
  (``parseQuery``), which is what would otherwise tell the query form and the dataset clauses.
Incremental validation against full pySHACL is measured by ``benchmarks/validation.py``.
"""

from __future__ import annotations

import json
import statistics
import time

import pyoxigraph as ox
from pyld import jsonld
from rdflib.plugins.sparql.parser import parseQuery

from policygraph.linked_data.describe import describe_with
from policygraph.linked_data.framing import frame
from policygraph.model.dataset import data_files
from policygraph.model.jsonld_context import CONTEXT_FILE, shipped_context
from policygraph.model.namespaces import BASE, ID
from policygraph.queries.catalog import QueryCatalog
from policygraph.store.sparql_text import analyze_query

RESOURCES = [f"{ID}contract/erbm", f"{ID}contract/perr-le-quesnoy", f"{ID}territory/commune/59481"]


def _median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    store = ox.Store()
    for f in data_files():
        store.load(path=str(f.path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(f.graph)))

    def construct(query: str):
        return list(store.query(query, use_default_graph_as_union=True))

    ctx = shipped_context()
    context_doc = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    print("| work | hand-written (ms) | library (ms) | library ÷ hand-written |")
    print("|---|---|---|---|")
    for iri in RESOURCES:
        description = describe_with(construct, iri, BASE, None, None)
        nquads = ox.serialize(description.triples, format=ox.RdfFormat.N_TRIPLES).decode()
        expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
        ours = _median_ms(lambda: frame(description, ctx), 20)
        pyld = _median_ms(lambda: jsonld.frame(expanded, {**context_doc, "@id": iri, "@embed": "@always"}), 5)
        print(f"| frame {iri.rsplit('/id/', 1)[1]} ({description.size} triples) | {ours:.2f} | {pyld:.1f} "
              f"| ×{pyld / ours:.0f} |")
    texts = [q.text for q in QueryCatalog.load()]
    rounds = iter(range(10**6))  # a new comment each round: the analysis cache must not answer
    ours = _median_ms(lambda: [analyze_query(f"{t}\n# {next(rounds)}") for t in texts], 10)
    rdflib = _median_ms(lambda: [parseQuery(t) for t in texts], 3)
    print(f"| analyse the {len(texts)} named queries | {ours:.2f} | {rdflib:.1f} | ×{rdflib / ours:.0f} |")


if __name__ == "__main__":
    main()
