"""The pieces of dereferencing that need no server: IRI mapping, extensions, IRI decoding, JSON-LD values."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from pyld import jsonld

from policygraph.errors import BadRequest, InvalidParameter, NotAcceptable
from policygraph.linked_data.addressing import IriSpace, choose_format, parse_iri_param, split_extension
from policygraph.linked_data.describe import Description, natural_key
from policygraph.linked_data.framing import dumps, frame
from policygraph.model import formats
from policygraph.model.jsonld_context import shipped_context
from policygraph.web.routes.resources import _ESCAPES, _decode_run

BASE = "https://w3id.org/policygraph/"
SPACE = IriSpace(BASE, "http://127.0.0.1:8000")
XSD = "http://www.w3.org/2001/XMLSchema#"
PG = BASE + "def#"


def test_local_urls_map_onto_canonical_iris_and_back():
    iri = BASE + "id/territory/commune/59481"
    assert SPACE.local(iri) == "http://127.0.0.1:8000/id/territory/commune/59481"
    assert SPACE.iri("/id/territory/commune/59481") == iri
    assert SPACE.local("http://example.org/x") == "http://example.org/x"  # not ours: unchanged
    assert SPACE.document_url(BASE + "def#Contract", formats.TURTLE) == "http://127.0.0.1:8000/def.ttl"
    assert [fmt.name for _, fmt in SPACE.alternates(iri)] == ["turtle", "jsonld", "html", "ntriples", "rdfxml"]


@pytest.mark.parametrize("path, stem, fmt", [
    ("contract/erbm.ttl", "contract/erbm", "turtle"),
    ("contract/erbm.jsonld", "contract/erbm", "jsonld"),
    ("contract/perr-le-quesnoy/axis/1.2", "contract/perr-le-quesnoy/axis/1.2", None),  # a dot in the IRI
    ("contract/perr-le-quesnoy/axis/1.2.nt", "contract/perr-le-quesnoy/axis/1.2", "ntriples"),
    ("document/004/passage/285-291.rdf", "document/004/passage/285-291", "rdfxml"),
    ("contract/erbm.csv", "contract/erbm.csv", None),
])
def test_only_the_five_extensions_name_a_format(path, stem, fmt):
    got_stem, got = split_extension(path)
    assert got_stem == stem and (got.name if got else None) == fmt


def test_extension_beats_accept_and_a_conflicting_format_parameter_is_refused():
    assert choose_format("text/html", None, formats.TURTLE) is formats.TURTLE
    assert choose_format(None, "ttl", formats.TURTLE) is formats.TURTLE
    with pytest.raises(BadRequest):
        choose_format(None, "jsonld", formats.TURTLE)
    assert choose_format("text/html;q=0.5, application/ld+json", None, None) is formats.JSON_LD
    assert choose_format("*/*", None, None) is formats.TURTLE
    assert choose_format(None, None, None) is formats.TURTLE
    with pytest.raises(NotAcceptable):
        choose_format("image/png", None, None)
    with pytest.raises(InvalidParameter):
        choose_format(None, "docx", None)


@pytest.mark.parametrize("raw, decoded", [
    ("/id/%C3%A9t%C3%A9", "/id/été"),  # UTF-8 of non-ASCII characters: back to characters (RFC 3987 §3.2)
    ("/id/a%20b", "/id/a%20b"),  # a space stays escaped: it is not allowed in an IRI
    ("/id/a%2Fb", "/id/a%2Fb"),  # an escaped slash is not a slash
    ("/id/caf%65", "/id/cafe"),  # unreserved ASCII
    ("/id/%FF", "/id/%FF"),  # not UTF-8
])
def test_paths_become_iris_as_rfc_3987_converts_uris(raw, decoded):
    assert _ESCAPES.sub(_decode_run, raw) == decoded


def test_filter_values_name_resources_by_iri_url_or_path():
    iri = BASE + "id/territory/commune/59481"
    assert parse_iri_param("territory/commune/59481", SPACE, "territory") == iri
    assert parse_iri_param(iri, SPACE, "territory") == iri
    assert parse_iri_param("http://127.0.0.1:8000/id/territory/commune/59481", SPACE, "territory") == iri
    assert parse_iri_param("voc/theme/emploi", SPACE, "theme") == BASE + "voc/theme/emploi"
    with pytest.raises(InvalidParameter):
        parse_iri_param("http://exa mple.org/x y", SPACE, "territory")
    with pytest.raises(InvalidParameter):
        parse_iri_param("  ", SPACE, "territory")


def test_natural_order_puts_axis_10_after_axis_2():
    assert sorted(["axis/10", "axis/2", "axis/1.2"], key=natural_key) == ["axis/1.2", "axis/2", "axis/10"]


def _t(s, p, o):
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


def test_values_keep_their_exact_type_whatever_the_term_expects():
    """Each literal lands where the context cannot retype it; pyld gives back exactly the triples."""
    r = BASE + "id/contract/x"
    lit = ox.Literal
    triples = [
        _t(r, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(PG + "Contract")),
        _t(r, "http://www.w3.org/2004/02/skos/core#prefLabel", lit("Contrat", language="fr")),
        _t(r, "http://www.w3.org/2004/02/skos/core#prefLabel", lit("Contract", language="en")),
        _t(r, "http://www.w3.org/2004/02/skos/core#prefLabel", lit("sans langue")),  # @none in the map
        _t(r, PG + "note", lit("2019", datatype=ox.NamedNode(XSD + "gYear"))),  # typed, under a language map term
        _t(r, PG + "startYear", lit("2021", datatype=ox.NamedNode(XSD + "gYear"))),  # as the term says
        _t(r, PG + "startYear", lit("2021-05", datatype=ox.NamedNode(XSD + "gYearMonth"))),  # another type
        _t(r, PG + "startYear", lit("vers 2020")),  # a plain string under a typed term
        _t(r, PG + "totalAmount", lit("11600000.50", datatype=ox.NamedNode(XSD + "decimal"))),
        _t(r, PG + "population", lit("4878", datatype=ox.NamedNode(XSD + "integer"))),
        _t(r, PG + "population", lit("007", datatype=ox.NamedNode(XSD + "integer"))),  # not canonical
        _t(r, PG + "scope", lit("Le Quesnoy")),  # a literal under an IRI-valued term
        _t(r, PG + "date", lit("2019-03", datatype=ox.NamedNode(XSD + "gYearMonth"))),
        _t(r, "http://example.org/unknown#prop", lit("x", language="de")),  # no term, no prefix
    ]
    ctx = shipped_context()
    document = json.loads(dumps(frame(Description(r, triples), ctx), ctx))
    assert document["prefLabel"] == {"fr": "Contrat", "en": "Contract", "@none": "sans langue"}
    assert document["totalAmount"] == "11600000.50"  # decimals as strings: no float rounding
    assert 4878 in document["population"]
    expanded = jsonld.to_rdf(document, {"format": "application/n-quads"})
    got = {str(q.triple) for q in ox.parse(expanded.encode(), format=ox.RdfFormat.N_QUADS)}
    assert got == {str(t) for t in triples}


def test_parts_nest_under_their_whole_and_links_to_the_resource_under_reverse_terms():
    r = BASE + "id/contract/c"
    axis, measure, sub = r + "/axis/1", r + "/measure/3", r + "/axis/1.1"
    other = BASE + "id/contract/other"
    triples = [
        _t(r, PG + "hasAxis", ox.NamedNode(axis)), _t(axis, PG + "axisOf", ox.NamedNode(r)),
        _t(sub, PG + "parentAxis", ox.NamedNode(axis)), _t(sub, PG + "axisOf", ox.NamedNode(r)),
        _t(measure, PG + "inAxis", ox.NamedNode(sub)), _t(measure, PG + "inContract", ox.NamedNode(r)),
        _t(other, PG + "amends", ox.NamedNode(r)),
        _t(other, "http://www.w3.org/2004/02/skos/core#prefLabel", ox.Literal("Avenant", language="fr")),
        _t(other, PG + "renews", ox.NamedNode(r)),  # no reverse term: under @reverse
    ]
    ctx = shipped_context()
    document = frame(Description(r, triples), ctx)
    [first_axis] = document["hasAxis"]
    [sub_axis] = first_axis["subAxes"]  # the sub-axis under its parent, not under the contract
    assert sub_axis["id"] == sub and sub_axis["measures"][0]["id"] == measure
    assert "contents" not in document  # the measure is not repeated under the contract
    reverse = document["@reverse"]
    assert [n["id"] for n in reverse["amends"]] == [other]
    assert reverse["amends"][0]["prefLabel"] == {"fr": "Avenant"}
    assert [n["id"] for n in reverse["renews"]] == [other]
