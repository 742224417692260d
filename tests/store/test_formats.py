"""Content negotiation (RFC 9110 §12.5.1) and the format table."""

import pytest

from policygraph.errors import InvalidParameter, NotAcceptable
from policygraph.model import formats

R, G = formats.RESULT_FORMATS, formats.GRAPH_FORMATS


@pytest.mark.parametrize("accept,offered,expected", [
    (None, R, "application/sparql-results+json"),
    ("", G, "text/turtle"),
    ("*/*", R, "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", R, "application/sparql-results+xml"),
    ("text/*;q=0.9, text/tab-separated-values;q=0.1", R, "text/csv"),  # more specific range wins for TSV
    ("application/sparql-results+json;q=0, */*", R, "application/sparql-results+xml"),
    ("application/json", R, "application/sparql-results+json"),  # an alias named exactly
    ("application/json", G, "application/ld+json"),
    ("text/*", R, "text/csv"),  # aliases (text/xml) do not match wildcards
    ("APPLICATION/RDF+XML; q=1", G, "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", (*G, formats.HTML), "text/html"),
    ("application/n-triples;q=0.3, text/turtle;q=0.3", G, "text/turtle"),  # tie: server preference
    ("garbage, text/turtle", G, "text/turtle"),
])
def test_negotiate(accept, offered, expected):
    assert formats.negotiate(accept, offered).media_type == expected


@pytest.mark.parametrize("accept,offered", [("image/png", R), ("text/csv", G), ("*/*;q=0", R),
                                            ("application/sparql-results+json;q=0", (formats.RESULTS_JSON,))])
def test_nothing_acceptable_is_406(accept, offered):
    with pytest.raises(NotAcceptable):
        formats.negotiate(accept, offered)


def test_format_parameter():
    assert formats.choose("text/csv", "json", R) is formats.RESULTS_JSON
    assert formats.choose(None, ["xml", "rdf+xml"], G) is formats.RDF_XML
    assert formats.choose(None, "application/n-triples", G) is formats.N_TRIPLES
    assert formats.choose(None, "ttl", G) is formats.TURTLE
    with pytest.raises(NotAcceptable):
        formats.choose(None, "turtle", R)  # a real format, not for this kind of result
    with pytest.raises(InvalidParameter):
        formats.choose(None, "bogus", R)


def test_content_types_and_table():
    assert formats.RESULTS_CSV.content_type == "text/csv; charset=utf-8"
    assert formats.JSON_LD.content_type == "application/ld+json"
    assert formats.for_content_type("text/turtle; charset=utf-8", formats.GRAPH_INPUT_FORMATS) is formats.TURTLE
    assert formats.for_content_type("text/csv", formats.GRAPH_INPUT_FORMATS) is None
    assert formats.by_extension(".nt", G) is formats.N_TRIPLES
    for fmt in (*R, *G):
        assert fmt.iri.startswith("http") and formats.lookup(formats.key(fmt)) is fmt
