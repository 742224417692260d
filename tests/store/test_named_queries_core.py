"""Named query headers and typed parameters (policygraph.queries.catalog)."""

import pyoxigraph as ox
import pytest

from policygraph.errors import InvalidParameter
from policygraph.queries.catalog import QueryCatalog, parse_named_query

XSD = "http://www.w3.org/2001/XMLSchema#"
TEXT = """# a comment that is not part of the header
#+ title: Things
#+ description: First line,
#+ description: second line.
#+ param: thing iri -- what to look at
#+ param: year xsd:gYear 2020
#+ param: label literal@fr "a b" -- with a space
SELECT ?x WHERE { ?thing ?p ?x FILTER(?year > 0 && ?label != "") }
"""


def test_header():
    q = parse_named_query("things", TEXT)
    assert q.title == "Things" and q.description == "First line, second line." and q.form == "SELECT"
    assert [(p.name, p.type, p.default, p.required) for p in q.parameters] == [
        ("thing", "iri", None, True), ("year", "xsd:gYear", "2020", False), ("label", "literal@fr", "a b", False)]
    assert q.parameters[0].description == "what to look at"


def test_bindings_are_typed_terms():
    q = parse_named_query("things", TEXT)
    bound = q.bindings({"thing": "pg:Contract"})
    assert bound["thing"] == ox.NamedNode("https://w3id.org/policygraph/def#Contract")
    assert bound["year"] == ox.Literal("2020", datatype=ox.NamedNode(XSD + "gYear"))
    assert bound["label"] == ox.Literal("a b", language="fr")
    assert q.bindings({"thing": "urn:x:1"})["thing"] == ox.NamedNode("urn:x:1")


@pytest.mark.parametrize("values", [{}, {"thing": "not an iri"}, {"thing": "urn:a", "year": "20"},
                                    {"thing": "urn:a", "nope": "1"}])
def test_bad_values(values):
    with pytest.raises(InvalidParameter):
        parse_named_query("things", TEXT).bindings(values)


@pytest.mark.parametrize("kind,good,bad", [
    ("xsd:integer", ["0", "-12", "+7"], ["1.5", "x", ""]),
    ("xsd:decimal", ["1.5", "-.5", "3"], ["1e3", "1,5"]),
    ("xsd:double", ["1e3", "NaN", "-INF", "2.5E-3"], ["e3", "inf"]),
    ("xsd:boolean", ["true", "0"], ["yes", "True"]),
    ("xsd:date", ["2024-02-29", "2019-12-05Z", "2019-12-05+01:00"], ["2023-02-29", "2019-13-01", "2019-1-1"]),
    ("xsd:dateTime", ["2019-12-05T10:00:00", "2019-12-05T10:00:00.5Z"], ["2019-12-05", "2019-12-05T25:00:00"]),
    ("xsd:gYear", ["2019", "-0044"], ["19", "2019-01"]),
    ("xsd:gYearMonth", ["2019-01"], ["2019-13"]),
])
def test_lexical_forms(kind, good, bad):
    q = parse_named_query("t", f"#+ param: v {kind}\nSELECT ?v WHERE {{ }}")
    for value in good:
        assert q.bindings({"v": value})["v"].value == value
    for value in bad:
        with pytest.raises(InvalidParameter):
            q.bindings({"v": value})


@pytest.mark.parametrize("header", ["#+ param: v bogus", "#+ param: v iri\n#+ colour: red", "#+ param: 1v iri",
                                    "#+ param: w iri", "#+ param: v xsd:integer abc", "#+ title"])
def test_bad_headers_are_refused_when_loading(header):
    with pytest.raises(ValueError):
        parse_named_query("t", header + "\nSELECT ?v WHERE { }")


def test_every_shipped_query_parses():
    catalog = QueryCatalog.load()
    assert len(catalog.queries) >= 2
    for query in catalog:
        assert query.title and query.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), query.name
        query.bindings({p.name: p.default for p in query.parameters if p.default is not None}
                       | {p.name: "urn:x:test" for p in query.parameters if p.required and p.type == "iri"})
