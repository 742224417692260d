"""The shipped dataset: which file goes into which named graph.

One rule set, used by the store loader, the validator, the CLI and the tests:

- ``ontology/policygraph.ttl``            → graph/ontology
- ``ontology/*.ttl`` (others)             → graph/vocabularies
- ``shapes/*.ttl``                        → graph/shapes
- ``data/reference/*.ttl``                → graph/reference
- ``data/territories/*.ttl``              → graph/territories
- ``data/sources/{stem}/*.ttl``           → graph/source/{stem}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from policygraph.model.namespaces import (
    GRAPH,
    ONTOLOGY_GRAPH,
    SHAPES_GRAPH,
    TERRITORIES_GRAPH,
    VOCABULARIES_GRAPH,
    bind_prefixes,
    source_graph,
)

REFERENCE_GRAPH = GRAPH["reference"]


def project_root() -> Path:
    """The repository root (where ontology/, shapes/ and data/ live)."""
    return Path(__file__).resolve().parents[3]


@dataclass(frozen=True)
class DataFile:
    path: Path
    graph: URIRef


def data_files(root: Path | None = None) -> list[DataFile]:
    """Every RDF file of the shipped dataset with its named graph, in a stable order."""
    root = root or project_root()
    files: list[DataFile] = []
    for path in sorted((root / "ontology").glob("*.ttl")):
        graph = ONTOLOGY_GRAPH if path.name == "policygraph.ttl" else VOCABULARIES_GRAPH
        files.append(DataFile(path, graph))
    for path in sorted((root / "shapes").glob("*.ttl")):
        files.append(DataFile(path, SHAPES_GRAPH))
    for path in sorted((root / "data" / "reference").glob("*.ttl")):
        files.append(DataFile(path, REFERENCE_GRAPH))
    for path in sorted((root / "data" / "territories").glob("*.ttl")):
        files.append(DataFile(path, TERRITORIES_GRAPH))
    for folder in sorted(p for p in (root / "data" / "sources").glob("*") if p.is_dir()):
        if folder.name == "documents":
            continue
        for path in sorted(folder.glob("*.ttl")):
            files.append(DataFile(path, source_graph(folder.name)))
    return files


def load_dataset(root: Path | None = None, *, include_shapes: bool = True) -> Dataset:
    """The whole shipped dataset as an rdflib Dataset (for tests and validation, not for serving)."""
    ds = Dataset()
    bind_prefixes(ds)
    for f in data_files(root):
        if f.graph == SHAPES_GRAPH and not include_shapes:
            continue
        ds.graph(f.graph).parse(f.path, format="turtle")
    return ds


def data_graph(root: Path | None = None) -> Graph:
    """Union of every graph except the shapes: what the shapes validate."""
    g = Graph()
    bind_prefixes(g)
    for f in data_files(root):
        if f.graph != SHAPES_GRAPH:
            g.parse(f.path, format="turtle")
    return g
