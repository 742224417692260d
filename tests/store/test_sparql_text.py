"""What the service sees in SPARQL text before the engine: forms, datasets, outbound targets,
update operations, and parameter binding."""

import pyoxigraph as ox
import pytest

from policygraph.errors import QuerySyntaxError
from policygraph.store.sparql_text import (
    analyze_query,
    graph_blocks,
    inline_values,
    outbound_targets,
    position,
    split_update,
)


@pytest.mark.parametrize("query,form,dataset", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
    ("prefix a: <http://a/> base <http://b/> ask { ?s ?p ?o }", "ASK", False),
    ("# comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("DESCRIBE <http://a>", "DESCRIBE", False),
    ("SELECT * FROM <http://g> WHERE { ?s ?p ?o }", "SELECT", True),
    ("SELECT * WHERE { BIND('FROM' AS ?x) { SELECT * { ?s ?p ?o } } }", "SELECT", False),
    ("INSERT DATA {}", None, False),
])
def test_query_form_and_dataset(query, form, dataset):
    info = analyze_query(query)
    assert (info.form, info.has_dataset) == (form, dataset)


@pytest.mark.parametrize("text,targets", [
    ("SELECT * { SERVICE <http://a/s> { ?s ?p ?o } }", ["http://a/s"]),
    ("PREFIX e: <http://a/> SELECT * { SERVICE SILENT e:s { ?s ?p ?o } }", ["http://a/s"]),
    ("BASE <http://a/> SELECT * { SERVICE <s> { } }", ["http://a/s"]),
    ("SELECT * { SERVICE ?e { } }", [None]),
    (r"SELECT * { \u0053ERVICE <http://a/s> { } }", ["http://a/s"]),
    ("SELECT * { BIND(\"SERVICE <http://a/s>\" AS ?x) } # SERVICE <http://b/>", []),
    ("SELECT * { BIND('''\nSERVICE <http://a/s>\n''' AS ?x) }", []),
    ("SELECT * { ?s <http://a/SERVICE> ?o }", []),
])
def test_outbound_targets_of_queries(text, targets):
    assert sorted(outbound_targets(text, update=False), key=str) == sorted(targets, key=str)


def test_text_with_an_unknown_character_and_the_word_service_counts_as_an_unknown_target():
    assert None in outbound_targets("SELECT * { ?s ?p ?o } \x00 SERVICE <http://a/s> {}", update=False)
    assert None not in outbound_targets("SELECT * { ?s ?p ?o } \x00", update=False)


def test_outbound_targets_of_updates():
    assert outbound_targets("LOAD <http://a/doc.ttl> INTO GRAPH <http://g>", update=True) == ["http://a/doc.ttl"]
    assert outbound_targets("INSERT { ?s ?p ?o } WHERE { SERVICE <http://a/s> { ?s ?p ?o } }", update=True) == ["http://a/s"]
    assert outbound_targets("INSERT DATA { <http://a> <http://b> 'LOAD <http://x>' }", update=True) == []


def test_split_update_into_operations():
    text = """PREFIX ex: <http://e/>
    CLEAR SILENT GRAPH ex:g ;
    INSERT DATA { GRAPH ex:g { ex:a ex:b "x ; y } z" } } ;
    PREFIX f: <http://f/>
    WITH ex:w DELETE { ?s f:p ?o } INSERT { GRAPH ?g { ?s f:q ?o } ?s f:r 1 } USING ex:u USING NAMED ex:n WHERE { ?s f:p ?o } ;
    DELETE WHERE { ?s ?p ?o } ;
    COPY DEFAULT TO ex:c ; MOVE GRAPH ex:c TO DEFAULT ; ADD ex:a TO ex:b ; DROP ALL ; CREATE GRAPH ex:new ;"""
    ops = split_update(text).operations
    assert [o.kind for o in ops] == ["CLEAR", "INSERT_DATA", "MODIFY", "DELETE_WHERE", "COPY", "MOVE", "ADD",
                                     "DROP", "CREATE"]
    assert ops[0].silent and ops[0].target.iri == "http://e/g"
    assert '"x ; y } z"' in ops[1].insert.inner(text)
    modify = ops[2]
    assert modify.with_iri == "http://e/w" and modify.using == ["http://e/u"] and modify.using_named == ["http://e/n"]
    assert "PREFIX f:" in modify.prologue and modify.where.outer(text) == "{ ?s f:p ?o }"
    default_part, graphs = graph_blocks(text, modify.insert)
    assert default_part == "?s f:r 1" and graphs[0][0].text == "?g" and graphs[0][1].inner(text).strip() == "?s f:q ?o"
    assert ops[4].source_ref.kind == "DEFAULT" and ops[4].target.iri == "http://e/c"
    assert ops[7].target.kind == "ALL"


def test_unrecognised_update_is_a_syntax_error_with_position():
    with pytest.raises(QuerySyntaxError) as err:
        split_update("INSERT DATA { <http://a> <http://b> 1 } ;\nCLEAR XYZ")
    assert (err.value.line, err.value.column) == (2, 7)


def test_position():
    assert position("ab\ncd", 4) == (2, 2)


def test_inline_values_binds_terms_not_text():
    terms = {"s": str(ox.NamedNode("http://a/x")), "l": str(ox.Literal('a"b\\c\n} . ?s ?p ?o {', language="fr"))}
    query = "PREFIX e: <http://e/> CONSTRUCT { ?s e:p ?l } FROM <http://g> WHERE { ?s e:p ?l }"
    bound = inline_values(query, terms)
    assert bound.startswith("PREFIX e: <http://e/> CONSTRUCT { ?s e:p ?l } FROM <http://g> WHERE { VALUES (?s ?l)")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/x"), ox.NamedNode("http://e/p"), ox.Literal('a"b\\c\n} . ?s ?p ?o {', language="fr")))
    store.add(ox.Quad(ox.NamedNode("http://a/y"), ox.NamedNode("http://e/p"), ox.Literal("other")))
    result = list(store.query(bound.replace("FROM <http://g> ", "")))
    assert len(result) == 1 and result[0].subject == ox.NamedNode("http://a/x")
    with pytest.raises(QuerySyntaxError):
        inline_values("DESCRIBE <http://a>", {"x": "<http://b>"})
