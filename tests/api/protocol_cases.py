"""The SPARQL 1.1 and 1.2 Protocol conformance cases, as our own table (run by ``test_w3c_protocol.py``).

The list of cases — their ids, and what protocol feature each one exercises with what outcome the
specification requires — follows the W3C suites: the 34 cases of ``w3c/rdf-tests``, folder
``sparql/sparql11/protocol/``, and the 14 the SPARQL 1.2 Protocol suite adds to them (proposed in
``w3c/rdf-tests`` pull request 324: version announcement, content negotiation, the base IRI, a GET
with a body, an update in the URL of a POST, form-encoded datasets).  The requests, queries, IRIs and
data below are our own: small graphs under ``http://example.org/protocol-test/``, defined in
``GRAPH_DATA``.

Each case is a dict:

- ``id``: the case's name in the W3C suite;
- ``section``: the part of the SPARQL 1.1 Protocol recommendation it tests;
- ``checks``: what it checks, in one line;
- ``graphs``: graphs (keys of ``GRAPH_DATA``) that must hold their data before the first request;
- ``requests``: run in order; each has ``method``, ``path`` (the endpoint with its query string),
  ``headers``, ``body`` (text or None) and ``encoding`` (how the body is sent as bytes), and what the
  response must be: ``status`` (accepted status classes), ``kind`` (``"boolean"``, ``"tabular"``,
  ``"RDF"`` or None when only the status matters), ``boolean`` (the expected ASK answer, or None)
  and ``media_types`` (the response media types allowed, or None for any of the kind's).
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

PT = "http://example.org/protocol-test/"
PREFIX = f"PREFIX pt: <{PT}>\n"

GRAPH1 = PT + "graph1"
GRAPH2 = PT + "graph2"
GRAPH3 = PT + "graph3"
UNKNOWN_GRAPH = PT + "graph0"  # never loaded: a dataset naming it is empty

# One sample item per graph; the dataset cases can only be true when the right graphs are merged.
GRAPH_DATA = {
    graph: f"@prefix pt: <{PT}> .\npt:item{n} pt:kind pt:Sample .\n"
    for n, graph in ((1, GRAPH1), (2, GRAPH2), (3, GRAPH3))
}

SUCCESS = ("2xx", "3xx")
CLIENT_ERROR = ("4xx",)

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


def endpoint(*params: tuple[str, str]) -> str:
    """The SPARQL endpoint path with these (repeatable) parameters percent-encoded in the query string."""
    return "/sparql" + ("?" + urlencode(params, quote_via=quote) if params else "")


def form(*params: tuple[str, str]) -> str:
    """An application/x-www-form-urlencoded body (spaces as '+')."""
    return urlencode(params)


def request(method: str, path: str, *, content_type: str | None = None, body: str | None = None,
            encoding: str = "utf-8", accept: str | None = None, status: tuple[str, ...] = SUCCESS,
            kind: str | None = None, boolean: bool | None = None,
            media_types: tuple[str, ...] | None = None) -> dict:
    headers = {"Content-Type": content_type} if content_type else {}
    if accept:
        headers["Accept"] = accept
    return {"method": method, "path": path, "headers": headers, "body": body, "encoding": encoding,
            "status": status, "kind": kind, "boolean": boolean, "media_types": media_types}


def case(id: str, section: str, checks: str, *requests: dict, graphs: tuple[str, ...] = ()) -> dict:
    return {"id": id, "section": section, "checks": checks, "graphs": list(graphs), "requests": list(requests)}


# Queries shared by several cases.
BOTH_IN_DEFAULT = PREFIX + "ASK { pt:item1 pt:kind ?k . pt:item2 pt:kind ?k }"
BOTH_IN_NAMED = PREFIX + "ASK { GRAPH ?a { pt:item1 pt:kind ?k } GRAPH ?b { pt:item2 pt:kind ?k } }"
FILL_THREE_GRAPHS = """
INSERT DATA {
  GRAPH pt:graph1 { pt:item1 pt:kind pt:Sample }
  GRAPH pt:graph2 { pt:item2 pt:kind pt:Sample }
  GRAPH pt:graph3 { pt:item3 pt:kind pt:Sample }
} ;
"""


def holds(triple: str, *, graph: str = PT + "versioned") -> dict:
    """A follow-up request: ASK whether an update wrote ``triple`` (a later request says True or False)."""
    return PREFIX + f"ASK {{ GRAPH <{graph}> {{ {triple} }} }}"


def seen_one_and_two_only(result_graph: str) -> str:
    """ASK: the update marked item1 and item2 as seen in the result graph, and not item3."""
    return PREFIX + (
        "ASK {\n"
        f"  GRAPH <{result_graph}> {{ pt:item1 pt:seen true . pt:item2 pt:seen true }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH <{result_graph}> {{ pt:item3 pt:seen true }} }}\n"
        "}")


CASES: list[dict] = [
    # --- query operation: the three ways of sending a query -------------------------------------
    case("query_post_form", "query operation — query via POST with URL-encoded parameters",
         "An ASK sent as the form-encoded 'query' field of a POST body is answered with a boolean.",
         request("POST", endpoint(("default-graph-uri", UNKNOWN_GRAPH)), content_type=FORM,
                 body=form(("query", "ASK {}")), kind="boolean", boolean=True)),

    # --- query operation: the dataset given by protocol parameters ------------------------------
    case("query_dataset_default_graphs_get", "query operation — specifying an RDF dataset",
         "Two default-graph-uri parameters on a GET make the default graph the merge of both graphs.",
         request("GET", endpoint(("query", BOTH_IN_DEFAULT), ("default-graph-uri", GRAPH1),
                                 ("default-graph-uri", GRAPH2)), kind="boolean", boolean=True),
         graphs=(GRAPH1, GRAPH2)),
    case("query_dataset_default_graphs_post", "query operation — specifying an RDF dataset",
         "Two default-graph-uri parameters on a direct POST make the default graph the merge of both.",
         request("POST", endpoint(("default-graph-uri", GRAPH1), ("default-graph-uri", GRAPH2)),
                 content_type=QUERY, body=BOTH_IN_DEFAULT, kind="boolean", boolean=True),
         graphs=(GRAPH1, GRAPH2)),
    case("query_dataset_named_graphs_post", "query operation — specifying an RDF dataset",
         "named-graph-uri parameters on a direct POST make those graphs the query's named graphs.",
         request("POST", endpoint(("named-graph-uri", GRAPH1), ("named-graph-uri", GRAPH2)),
                 content_type=QUERY, body=BOTH_IN_NAMED, kind="boolean", boolean=True),
         graphs=(GRAPH1, GRAPH2)),
    case("query_dataset_named_graphs_get", "query operation — specifying an RDF dataset",
         "named-graph-uri parameters on a GET make those graphs the query's named graphs.",
         request("GET", endpoint(("query", BOTH_IN_NAMED), ("named-graph-uri", GRAPH1),
                                 ("named-graph-uri", GRAPH2)), kind="boolean", boolean=True),
         graphs=(GRAPH1, GRAPH2)),
    case("query_dataset_full", "query operation — specifying an RDF dataset",
         "default-graph-uri and named-graph-uri together give both the default and the named graphs.",
         request("POST", endpoint(("default-graph-uri", GRAPH3), ("named-graph-uri", GRAPH1),
                                  ("named-graph-uri", GRAPH2)),
                 content_type=QUERY, kind="boolean", boolean=True,
                 body=PREFIX + "ASK {\n  pt:item3 pt:kind ?k\n"
                               "  GRAPH ?a { pt:item1 pt:kind ?k }\n  GRAPH ?b { pt:item2 pt:kind ?k }\n}"),
         graphs=(GRAPH1, GRAPH2, GRAPH3)),
    case("query_multiple_dataset", "query operation — specifying an RDF dataset",
         "When both the protocol parameters and the query's FROM name a dataset, the protocol's wins.",
         request("POST", endpoint(("named-graph-uri", GRAPH1), ("named-graph-uri", GRAPH2)),
                 content_type=QUERY, kind="boolean", boolean=True,
                 body=PREFIX + "ASK FROM pt:graph3 {\n"
                               "  GRAPH ?a { pt:item1 pt:kind ?k }\n  GRAPH ?b { pt:item2 pt:kind ?k }\n}"),
         graphs=(GRAPH1, GRAPH2, GRAPH3)),
    case("query_get", "query operation — query via GET",
         "An ASK sent as the 'query' parameter of a GET is answered with a boolean.",
         request("GET", endpoint(("query", "ASK {}"), ("default-graph-uri", UNKNOWN_GRAPH)),
                 kind="boolean", boolean=True)),

    # --- query operation: response formats by query form ----------------------------------------
    case("query_content_type_select", "query operation — success responses (result formats)",
         "A SELECT is answered in a tabular results format (SPARQL XML, JSON, CSV or TSV).",
         request("POST", endpoint(("default-graph-uri", UNKNOWN_GRAPH)), content_type=QUERY,
                 body="SELECT (42 AS ?answer) {}", kind="tabular")),
    case("query_content_type_ask", "query operation — success responses (result formats)",
         "An ASK is answered in a boolean results format (SPARQL XML or JSON).",
         request("POST", endpoint(("default-graph-uri", UNKNOWN_GRAPH)), content_type=QUERY,
                 body="ASK {}", kind="boolean")),
    case("query_content_type_describe", "query operation — success responses (result formats)",
         "A DESCRIBE is answered with an RDF graph (RDF/XML, Turtle, N-Triples…).",
         request("POST", endpoint(("default-graph-uri", UNKNOWN_GRAPH)), content_type=QUERY,
                 body=f"DESCRIBE <{PT}nothing>", kind="RDF")),
    case("query_content_type_construct", "query operation — success responses (result formats)",
         "A CONSTRUCT is answered with an RDF graph (RDF/XML, Turtle, N-Triples…).",
         request("POST", endpoint(("default-graph-uri", UNKNOWN_GRAPH)), content_type=QUERY,
                 body=PREFIX + "CONSTRUCT { pt:thing pt:count 1 } WHERE {}", kind="RDF")),

    # --- update operation: the dataset given by protocol parameters -----------------------------
    case("update_dataset_default_graph", "update operation — specifying an RDF dataset",
         "A using-graph-uri parameter makes that graph the default graph of the update's WHERE.",
         request("POST", endpoint(("using-graph-uri", GRAPH1)), content_type=UPDATE,
                 body=PREFIX + "CLEAR ALL ;\n"
                               "INSERT DATA { GRAPH pt:graph1 { pt:item1 pt:kind pt:Sample } } ;\n"
                               "INSERT { GRAPH pt:result-default-graph { ?item pt:seen true } }\n"
                               "WHERE { ?item pt:kind pt:Sample }"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=PREFIX + "ASK { GRAPH pt:result-default-graph { pt:item1 pt:seen true } }")),
    case("update_dataset_default_graphs", "update operation — specifying an RDF dataset",
         "Two using-graph-uri parameters make the WHERE's default graph their merge (and nothing more).",
         request("POST", endpoint(("using-graph-uri", GRAPH1), ("using-graph-uri", GRAPH2)),
                 content_type=UPDATE,
                 body=PREFIX + "DROP ALL ;" + FILL_THREE_GRAPHS
                 + "INSERT { GRAPH pt:result-default-graphs { ?item pt:seen true } }\n"
                   "WHERE { ?item pt:kind pt:Sample }"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=seen_one_and_two_only(PT + "result-default-graphs"))),
    case("update_dataset_named_graphs", "update operation — specifying an RDF dataset",
         "Two using-named-graph-uri parameters make exactly those graphs the WHERE's named graphs.",
         request("POST", endpoint(("using-named-graph-uri", GRAPH1), ("using-named-graph-uri", GRAPH2)),
                 content_type=UPDATE,
                 body=PREFIX + "DROP ALL ;" + FILL_THREE_GRAPHS
                 + "INSERT { GRAPH pt:result-named-graphs { ?item pt:seen true } }\n"
                   "WHERE { GRAPH ?g { ?item pt:kind pt:Sample } }"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=seen_one_and_two_only(PT + "result-named-graphs"))),
    case("update_dataset_full", "update operation — specifying an RDF dataset",
         "using-graph-uri and using-named-graph-uri together give the WHERE its default and named graphs.",
         request("POST", endpoint(("using-graph-uri", GRAPH1), ("using-named-graph-uri", GRAPH2)),
                 content_type=UPDATE,
                 body=PREFIX + "DROP ALL ;" + FILL_THREE_GRAPHS
                 + "INSERT { GRAPH pt:result-full { ?item pt:foundIn ?where } }\n"
                   "WHERE {\n"
                   "  { GRAPH ?g { ?item pt:kind pt:Sample } BIND (?g AS ?where) }\n"
                   "  UNION\n"
                   "  { ?item pt:kind pt:Sample BIND (\"default\" AS ?where) }\n"
                   "}"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=PREFIX + "ASK {\n"
                               "  GRAPH pt:result-full { pt:item1 pt:foundIn \"default\" . "
                               "pt:item2 pt:foundIn pt:graph2 }\n"
                               "  FILTER NOT EXISTS { GRAPH pt:result-full { pt:item3 ?p ?o } }\n"
                               "}")),

    # --- update operation: the two ways of sending an update ------------------------------------
    case("update_post_form", "update operation — update via POST with URL-encoded parameters",
         "An update sent as the form-encoded 'update' field of a POST body succeeds.",
         request("POST", endpoint(), content_type=FORM, body=form(("update", "CLEAR ALL")))),
    case("update_post_direct", "update operation — update via POST directly",
         "An update sent as the whole body of a POST with the SPARQL Update media type succeeds.",
         request("POST", endpoint(), content_type=UPDATE, body="CLEAR ALL")),
    case("update_base_uri", "update operation — the service-defined base IRI",
         "A relative IRI in an update without BASE is resolved against a base the service chooses.",
         request("POST", endpoint(), content_type=UPDATE,
                 body=PREFIX + "CLEAR SILENT GRAPH pt:base-graph ;\n"
                               "INSERT DATA { GRAPH pt:base-graph { pt:thing pt:link <relative> } }"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=PREFIX + "ASK { GRAPH pt:base-graph {\n"
                               "  pt:thing pt:link ?o FILTER (isIRI(?o) && STR(?o) != \"relative\")\n} }")),
    case("query_post_direct", "query operation — query via POST directly",
         "A query sent as the whole body of a POST with the SPARQL Query media type is answered.",
         request("POST", endpoint(), content_type=QUERY, body="ASK {}", kind="boolean", boolean=True)),

    # --- query operation: requests the service must refuse --------------------------------------
    case("bad_query_method", "query operation — only GET and POST carry a query",
         "A query sent with another HTTP method (PUT) is refused with a 4xx.",
         request("PUT", endpoint(("query", "ASK {}"), ("default-graph-uri", UNKNOWN_GRAPH)),
                 content_type=FORM, status=CLIENT_ERROR)),
    case("bad_multiple_queries", "query operation — exactly one query string per request",
         "A GET with two 'query' parameters is refused with a 4xx.",
         request("GET", endpoint(("query", "ASK {}"), ("query", "SELECT (1 AS ?one) {}")),
                 status=CLIENT_ERROR)),
    case("bad_query_wrong_media_type", "query operation — POST bodies must be form-encoded or a SPARQL query",
         "A query POSTed with any other media type (text/plain) is refused with a 4xx.",
         request("POST", endpoint(), content_type="text/plain", body="ASK {}", status=CLIENT_ERROR)),
    case("bad_query_missing_form_type", "query operation — query via POST with URL-encoded parameters",
         "A form-encoded query body sent without the form media type is refused with a 4xx.",
         request("POST", endpoint(), body=form(("query", "ASK {}")), status=CLIENT_ERROR)),
    case("bad_query_missing_direct_type", "query operation — query via POST directly",
         "A bare query body sent without the SPARQL Query media type is refused with a 4xx.",
         request("POST", endpoint(), body="ASK {}", status=CLIENT_ERROR)),
    case("bad_query_non_utf8", "query operation — query via POST directly (UTF-8 only)",
         "A direct POST query declared and encoded as UTF-16 is refused with a 4xx.",
         request("POST", endpoint(), content_type=QUERY + "; charset=UTF-16", body="ASK {}",
                 encoding="utf-16", status=CLIENT_ERROR)),
    case("bad_query_syntax", "query operation — failure responses",
         "A syntactically invalid query is refused with a 4xx.",
         request("GET", endpoint(("query", "SELECT ?x WHERE { ?x")), status=CLIENT_ERROR)),

    # --- update operation: requests the service must refuse -------------------------------------
    case("bad_update_get", "update operation — updates travel only by POST",
         "An update sent as a GET parameter is refused with a 4xx.",
         request("GET", endpoint(("update", "CLEAR ALL")), status=CLIENT_ERROR)),
    case("bad_multiple_updates", "update operation — exactly one update string per request",
         "A form body with two 'update' fields is refused with a 4xx.",
         request("POST", endpoint(), content_type=FORM,
                 body=form(("update", "CLEAR DEFAULT"), ("update", "CLEAR NAMED")), status=CLIENT_ERROR)),
    case("bad_update_wrong_media_type", "update operation — POST bodies must be form-encoded or a SPARQL update",
         "An update POSTed with any other media type (text/plain) is refused with a 4xx.",
         request("POST", endpoint(), content_type="text/plain", body="CLEAR NAMED", status=CLIENT_ERROR)),
    case("bad_update_missing_form_type", "update operation — update via POST with URL-encoded parameters",
         "A form-encoded update body sent without the form media type is refused with a 4xx.",
         request("POST", endpoint(), body=form(("update", "CLEAR NAMED")), status=CLIENT_ERROR)),
    case("bad_update_non_utf8", "update operation — update via POST directly (UTF-8 only)",
         "A direct POST update declared and encoded as UTF-16 is refused with a 4xx.",
         request("POST", endpoint(), content_type=UPDATE + "; charset=UTF-16", body="CLEAR NAMED",
                 encoding="utf-16", status=CLIENT_ERROR)),
    case("bad_update_syntax", "update operation — failure responses",
         "A syntactically invalid update is refused with a 4xx.",
         request("POST", endpoint(), content_type=FORM, body=form(("update", "CLEAR EVERYTHING")),
                 status=CLIENT_ERROR)),
    case("bad_update_dataset_conflict", "update operation — specifying an RDF dataset",
         "using-named-graph-uri together with a WITH clause in the update is refused with a 4xx.",
         request("POST", endpoint(("using-named-graph-uri", GRAPH1)), content_type=UPDATE,
                 body=PREFIX + "WITH pt:graph2\n"
                               "DELETE { ?item pt:kind pt:Sample }\n"
                               "INSERT { ?item pt:kind pt:Specimen }\n"
                               "WHERE { ?item pt:kind pt:Sample }",
                 status=CLIENT_ERROR)),

    # --- SPARQL 1.2 Protocol: version announcement (§2.1) ----------------------------------------
    case("query_get_with_version", "version announcement — a version parameter on a query",
         "A GET query with one version=1.2 parameter is answered.",
         request("GET", endpoint(("query", "ASK {}"), ("version", "1.2")), kind="boolean", boolean=True)),
    case("query_post_direct_with_version_param", "version announcement — the media type's version parameter",
         "A direct POST query whose Content-Type carries version=1.2 is answered.",
         request("POST", endpoint(), content_type=QUERY + "; version=1.2", body="ASK {}", kind="boolean",
                 boolean=True)),
    case("bad_query_multiple_versions", "version announcement — at most one version per query",
         "A GET query with two version parameters is refused with a 4xx.",
         request("GET", endpoint(("query", "ASK {}"), ("version", "1.1"), ("version", "1.2")),
                 status=CLIENT_ERROR)),
    case("update_post_form_with_version", "version announcement — a version parameter on an update",
         "A form-encoded update with one version=1.2 field is run.",
         request("POST", endpoint(), content_type=FORM,
                 body=form(("update", PREFIX + "INSERT DATA { GRAPH pt:versioned { pt:form pt:version \"1.2\" } }"),
                           ("version", "1.2"))),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=holds('pt:form pt:version "1.2"'))),
    case("update_post_direct_with_version_param", "version announcement — the media type's version parameter",
         "A direct POST update whose Content-Type carries version=1.2 is run.",
         request("POST", endpoint(), content_type=UPDATE + "; version=1.2",
                 body=PREFIX + "INSERT DATA { GRAPH pt:versioned { pt:direct pt:version \"1.2\" } }"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=holds('pt:direct pt:version "1.2"'))),
    case("bad_update_multiple_versions", "version announcement — at most one version per update",
         "A form-encoded update with two version fields is refused with a 4xx, and writes nothing.",
         request("POST", endpoint(), content_type=FORM, status=CLIENT_ERROR,
                 body=form(("update", PREFIX + "INSERT DATA { GRAPH pt:versioned { pt:twice pt:version 2 } }"),
                           ("version", "1.1"), ("version", "1.2"))),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=False,
                 body=holds("pt:twice pt:version 2"))),

    # --- SPARQL 1.2 Protocol: query requests -------------------------------------------------------
    case("bad_query_get_with_body", "query operation — query via GET has no message body",
         "A GET query that carries a request body is refused with a 4xx.",
         request("GET", endpoint(("query", "ASK {}")), content_type=QUERY, body="ASK {}", status=CLIENT_ERROR)),
    case("query_content_negotiation_xml", "query operation — content negotiation",
         "A SELECT with Accept: application/sparql-results+xml is answered in the SPARQL XML format.",
         request("GET", endpoint(("query", "SELECT (1 AS ?one) {}")), accept="application/sparql-results+xml",
                 kind="tabular", media_types=("application/sparql-results+xml",))),
    case("query_content_negotiation_json", "query operation — content negotiation",
         "An ASK with Accept: application/sparql-results+json is answered in the SPARQL JSON format.",
         request("GET", endpoint(("query", "ASK {}")), accept="application/sparql-results+json",
                 kind="boolean", boolean=True, media_types=("application/sparql-results+json",))),
    case("query_dataset_default_graph", "query operation — specifying an RDF dataset",
         "One default-graph-uri parameter makes that graph, and only it, the default graph.",
         request("GET", endpoint(("query", PREFIX + "ASK { pt:item1 pt:kind ?k FILTER NOT EXISTS { pt:item2 ?p ?o } }"),
                                 ("default-graph-uri", GRAPH1)), kind="boolean", boolean=True),
         graphs=(GRAPH1, GRAPH2)),
    case("query_post_form_dataset", "query operation — query via POST with URL-encoded parameters",
         "default-graph-uri given as a field of the form body, beside the query, sets the default graph.",
         request("POST", endpoint(), content_type=FORM, kind="boolean", boolean=True,
                 body=form(("query", PREFIX + "ASK { pt:item2 pt:kind ?k FILTER NOT EXISTS { pt:item1 ?p ?o } }"),
                           ("default-graph-uri", GRAPH2))),
         graphs=(GRAPH1, GRAPH2)),
    case("query_base_uri", "query operation — BASE in the query",
         "Relative IRIs of a query resolve against its BASE.",
         request("POST", endpoint(), content_type=UPDATE,
                 body=PREFIX + "INSERT DATA { GRAPH pt:base-query { pt:thing pt:link pt:target } }"),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=True,
                 body=f"BASE <{PT}>\nASK {{ GRAPH <base-query> {{ <thing> <link> <target> }} }}")),
    case("bad_multiple_queries_form", "query operation — exactly one query string per request",
         "A form body with two 'query' fields is refused with a 4xx.",
         request("POST", endpoint(), content_type=FORM, body=form(("query", "ASK {}"), ("query", "SELECT * {}")),
                 status=CLIENT_ERROR)),

    # --- SPARQL 1.2 Protocol: update requests ------------------------------------------------------
    case("bad_update_form_body_missing", "update operation — URL-encoded parameters travel in the body",
         "An update in the URL's query string of a form POST with an empty body is refused, and writes nothing.",
         request("POST", endpoint(("update", PREFIX + "INSERT DATA { GRAPH pt:versioned { pt:url pt:sent 1 } }")),
                 content_type=FORM, body="", status=CLIENT_ERROR),
         request("POST", endpoint(), content_type=QUERY, kind="boolean", boolean=False,
                 body=holds("pt:url pt:sent 1"))),
]
