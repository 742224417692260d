"""Change sets against the shipped graph, for the steward tests: valid, warning-only and violating."""

from __future__ import annotations

import uuid

PREFIXES = """@base <https://w3id.org/policygraph/id/> .
@prefix pg: <https://w3id.org/policygraph/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/def#"
PASSAGE = "document/004_4b7e9e6a0ac3b2cb/passage/127-127"


def key() -> str:
    return uuid.uuid4().hex[:10]


def measure(k: str, *, contract: str = "perr-le-quesnoy", axis: str = "perr-le-quesnoy/axis/3",
            extra: str = "") -> str:
    """A measure of the Quesnoy protocol; valid as long as its axis belongs to its contract."""
    return f"""{PREFIXES}
<contract/perr-le-quesnoy/measure/t-{k}> a pg:Measure ;
    pg:inContract <contract/{contract}> ; pg:inAxis <contract/{axis}> ;
    pg:number "T{k}" ;
    skos:prefLabel "Mesure d'essai {k}"@fr ;
    pg:statedIn <{PASSAGE}> {extra}.
"""


def measure_iri(k: str) -> str:
    return f"{ID}contract/perr-le-quesnoy/measure/t-{k}"


def valid(k: str) -> str:
    return measure(k)


def violating(k: str) -> str:
    """The measure's axis is not in its contract: a sh:Violation (pgs:MeasureAxisInContract)."""
    return measure(k, contract="erbm")


def warning_only(k: str) -> str:
    """A description without a language tag: a sh:Warning (pgs:Texts-description), no violation."""
    return measure(k, extra='; pg:description "sans étiquette de langue" ')
