"""A small deterministic Turtle writer.

rdflib's serializer is correct but its output order and layout depend on the library version and
on hash seeds, so a regenerated file would not be byte-for-byte the same.  Generated data files are
committed and compared, so they are written here instead: subjects sorted by IRI, ``rdf:type``
first then predicates sorted by IRI, objects sorted, one predicate per line.  The writer handles
what the importers produce (IRIs and literals, no blank nodes) and refuses anything else.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

Triple = tuple[URIRef, URIRef, URIRef | Literal]

# Local names written as prefix:local: a conservative subset of Turtle's PN_LOCAL (no '.', '/', '%').
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Characters IRIREF forbids; the importers never produce them, so meeting one is a bug upstream.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class TurtleWriter:
    def __init__(self, prefixes: dict[str, str], base: str | None = None):
        # Longest namespace first, so pgs: wins over pg: should one extend the other.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        self.base = base

    def iri(self, term: URIRef) -> str:
        text = str(term)
        if _BAD_IRI.search(text):
            raise ValueError(f"IRI not writable in Turtle: {text!r}")
        if term == RDF.type:
            return "a"
        for prefix, ns in self.prefixes:
            if text.startswith(ns) and _LOCAL.match(text[len(ns):]):
                return f"{prefix}:{text[len(ns):]}"
        if self.base and text.startswith(self.base) and len(text) > len(self.base):
            return f"<{text[len(self.base):]}>"
        return f"<{text}>"

    def literal(self, term: Literal) -> str:
        lexical = "".join(_ESCAPES.get(ch, ch) for ch in str(term))
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype is None or term.datatype == XSD.string:
            return f'"{lexical}"'
        if term.datatype == XSD.integer and _INTEGER.match(lexical):
            return lexical
        return f'"{lexical}"^^{self.iri(term.datatype)}'

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, Literal):
            return self.literal(term)
        raise TypeError(f"cannot write {type(term).__name__} {term!r}")

    def lines(self, triples: Iterable[Triple], header: str = "") -> Iterable[str]:
        by_subject: dict[URIRef, dict[URIRef, set]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in triples:
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                raise TypeError(f"subjects and predicates must be IRIs: {s!r} {p!r}")
            by_subject[s][p].add(o)  # a set: a triple produced twice is written once
        for line in header.splitlines():
            yield f"# {line}".rstrip() + "\n"
        if header:
            yield "\n"
        if self.base:
            yield f"@base <{self.base}> .\n"
        for prefix, ns in sorted(self.prefixes):
            yield f"@prefix {prefix}: <{ns}> .\n"
        for subject in sorted(by_subject, key=str):
            yield "\n"
            predicates = by_subject[subject]
            ordered = sorted(predicates, key=lambda p: (p != RDF.type, str(p)))
            rendered = []
            for p in ordered:
                # Objects sorted on their written form: independent of rdflib's term ordering rules.
                objects = sorted(self.term(o) for o in predicates[p])
                rendered.append(f"{self.iri(p)} {' , '.join(objects)}")
            yield f"{self.iri(subject)} " + " ;\n    ".join(rendered) + " .\n"


def write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Write to a temporary file next to ``path`` and rename it over ``path`` only once complete.

    A failure midway leaves ``path`` as it was (absent or with its previous content).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            for line in lines:
                out.write(line)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; a data file is meant to be readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
