"""Every fact drawn from a source document is traceable to a passage that really says it."""

import re
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from policygraph.model.dataset import project_root
from policygraph.model.namespaces import GRAPH, PG

DOCUMENTS = project_root() / "data" / "sources" / "documents"
SOURCE_PREFIX = str(GRAPH["source/"])


def _squash(text: str) -> str:
    # Quotes are compared whitespace-insensitively: the documents wrap lines and pad with spaces.
    return re.sub(r"\s+", " ", text).strip()


def _source_graphs(dataset):
    return [g for g in dataset.graphs() if str(g.identifier).startswith(SOURCE_PREFIX)]


def test_every_source_document_has_a_graph(dataset):
    stems = {p.stem for p in DOCUMENTS.glob("*.txt")}
    graphs = {str(g.identifier)[len(SOURCE_PREFIX):] for g in _source_graphs(dataset)}
    assert stems <= graphs, f"documents without a graph: {sorted(stems - graphs)}"


def test_every_quote_is_in_its_lines(dataset):
    lines = {p.stem: p.read_text(encoding="utf-8").splitlines() for p in DOCUMENTS.glob("*.txt")}
    problems = []
    checked = 0
    for g in _source_graphs(dataset):
        for passage in g.subjects(RDF.type, PG.Passage):
            doc = g.value(passage, PG.inDocument)
            stem = str(doc).rsplit("/", 1)[-1]
            start, end = int(g.value(passage, PG.lineStart)), int(g.value(passage, PG.lineEnd))
            quote = str(g.value(passage, PG.quote) or "")
            text = _squash(" ".join(lines[stem][start - 1 : end]))
            if not quote or _squash(quote) not in text or not 1 <= start <= end:
                problems.append(f"{passage}: {quote[:80]!r}")
            checked += 1
    assert checked > 0
    assert not problems, "quotes not found in their lines:\n" + "\n".join(problems[:50])


def test_every_described_resource_cites_a_passage(dataset):
    missing = []
    for g in _source_graphs(dataset):
        for s in set(g.subjects(RDF.type, None)):
            if (s, RDF.type, PG.Passage) in g or (s, RDF.type, PG.SourceDocument) in g:
                continue
            if isinstance(s, URIRef) and g.value(s, PG.statedIn) is None:
                missing.append(f"{g.identifier}: {s}")
    assert not missing, "resources typed in a source graph without pg:statedIn:\n" + "\n".join(missing[:50])


def test_passages_cite_their_own_graph(dataset):
    wrong = []
    for g in _source_graphs(dataset):
        stem = str(g.identifier)[len(SOURCE_PREFIX):]
        for _, passage in g.subject_objects(PG.statedIn):
            if f"/document/{stem}/passage/" not in str(passage):
                wrong.append(f"{g.identifier}: {passage}")
    assert not wrong, "facts citing a passage of another document:\n" + "\n".join(wrong[:50])
