"""The SPARQL 1.1 Graph Store HTTP Protocol conformance cases, as our own table (run by ``test_w3c_graph_store.py``).

The list of cases — their ids, the requests' methods and targets, and the outcome each response
must have — follows the W3C suite (``w3c/rdf-tests``, folder ``sparql/sparql11/graph-store-protocol/``:
the 4 cases of ``manifest-direct.ttl`` and the 9 of ``manifest-indirect.ttl``, which replace the
deprecated ``http-rdf-update`` list and test the same operations: PUT, GET, HEAD, POST, DELETE on
graphs identified directly and indirectly, the default graph, POST to the graph store to create a
graph, multipart/form-data, percent-encoded graph IRIs).  The documents and IRIs are our own.

Where the suite's graph store is ``/gsp``:

- indirect identification is ``/data?graph=…`` (``/data?default``), with graph IRIs under
  ``http://example.org/gsp-test/``;
- direct identification is ``/graph/…``: the graphs this service serves at their own URL are those
  under its base, so the suite's ``/gsp/person/1.ttl`` is ``/graph/gsp-test/person/1.ttl`` (the graph
  ``{base}graph/gsp-test/person/1``, whose Turtle document that URL names).

Each case is a dict: ``id``; ``requires`` (the manifest's features); ``graphs``, the graphs the case
expects not to exist when it starts (the suite's expected ``201 Created`` presume a fresh store);
and ``requests``, run in order, each with ``method``, ``path`` (``$LOCATION$`` stands for the
``Location`` of an earlier response), ``headers``, ``body``, and what the response must be:
``status`` (exact codes), ``content_type`` (the full header value, or None), ``graph`` (Turtle the
response body must be isomorphic to, or None) and ``location`` (True: the response must carry a
``Location``, remembered as ``$LOCATION$``).
"""

from __future__ import annotations

from support import BASE

EX = "http://example.org/gsp-test/"
PREFIXES = f"@prefix ex: <{EX}> .\n"
TURTLE = "text/turtle; charset=utf-8"
BOUNDARY = "3c1f0e5a9d7b4e21a6c8f02b5d9e7a14"

OK, CREATED, NO_CONTENT, NOT_FOUND = "200", "201", "204", "404"


def person(name: str, number: int = 1) -> str:
    return PREFIXES + f'ex:person{number} a ex:Person ;\n  ex:card [ a ex:Card ; ex:fullName "{name}" ] .\n'


JOHN = person("John Doe")
JANE = person("Jane Doe")
JANE_2 = person("Jane Doe", 2)
ALICE = PREFIXES + '[] a ex:Person ;\n  ex:card [ a ex:Card ; ex:givenName "Alice" ] .\n'
JANE_NAMED = PREFIXES + ('ex:person1 a ex:Person ;\n  ex:givenName "Jane" ; ex:familyName "Doe" ;\n'
                         '  ex:card [ a ex:Card ; ex:fullName "Jane Doe" ] .\n')

# Two Turtle documents in one multipart/form-data body (RFC 7578), as a form with two file inputs sends them.
MULTIPART = "".join(
    f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n"
    f"Content-Type: {TURTLE}\r\n\r\n{PREFIXES}ex:person1 {triple} .\r\n\r\n"
    for name, triple in (("familyName.ttl", 'ex:familyName "Doe"'), ("givenName.ttl", 'ex:givenName "Jane"'))
) + f"--{BOUNDARY}--\r\n"
MULTIPART_TYPE = f"multipart/form-data; boundary={BOUNDARY}"

INDIRECT_1 = EX + "person/1.ttl"
INDIRECT_2 = EX + "person/2.ttl"
DIRECT_1, DIRECT_2, DIRECT_4 = (f"/graph/gsp-test/person/{n}.ttl" for n in (1, 2, 4))
DIRECT_GRAPHS = tuple(f"{BASE}graph/gsp-test/person/{n}" for n in (1, 2))


def indirect(graph: str, *, raw: bool = False) -> str:
    """``/data?graph=…``: the IRI percent-encoded, or (``raw``) as given, escapes and all."""
    from urllib.parse import quote

    return "/data?graph=" + (graph if raw else quote(graph, safe=""))


def request(method: str, path: str, *, content_type: str | None = None, accept: str | None = None,
            body: str | None = None, status: tuple[str, ...], response_type: str | None = None,
            graph: str | None = None, location: bool = False) -> dict:
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if accept:
        headers["Accept"] = accept
    return {"method": method, "path": path, "headers": headers, "body": body, "status": status,
            "content_type": response_type, "graph": graph, "location": location}


def put(path: str, body: str, *status: str) -> dict:
    return request("PUT", path, content_type=TURTLE, body=body, status=status)


def get(path: str, graph: str) -> dict:
    return request("GET", path, accept="text/turtle", status=(OK,), response_type=TURTLE, graph=graph)


def case(id: str, requires: tuple[str, ...], *requests: dict, graphs: tuple[str, ...] = ()) -> dict:
    return {"id": id, "requires": requires, "graphs": graphs, "requests": list(requests)}


DIRECT, INDIRECT, CREATION = "DirectGraphIdentification", "IndirectGraphIdentification", "POSTGraphCreation"

CASES: list[dict] = [
    # --- manifest-direct.ttl -------------------------------------------------------------------------
    case("put_get_repeat_direct", (DIRECT,),
         put(DIRECT_1, JOHN, CREATED), get(DIRECT_1, JOHN),
         put(DIRECT_1, JANE, OK, NO_CONTENT), get(DIRECT_1, JANE),
         graphs=DIRECT_GRAPHS),
    case("put_delete_get_delete_direct", (DIRECT,),
         put(DIRECT_2, ALICE, CREATED, OK, NO_CONTENT),
         request("DELETE", DIRECT_2, status=(OK, NO_CONTENT)),
         request("GET", DIRECT_2, status=(NOT_FOUND,)),
         request("DELETE", DIRECT_2, status=(NOT_FOUND, OK, NO_CONTENT)),
         graphs=DIRECT_GRAPHS),
    case("post_get_post_get_direct", (DIRECT,),
         request("POST", DIRECT_1, content_type=TURTLE, body=JANE, status=(OK, CREATED, NO_CONTENT)),
         get(DIRECT_1, JANE),
         request("POST", DIRECT_1, content_type=MULTIPART_TYPE, body=MULTIPART, status=(OK, NO_CONTENT)),
         get(DIRECT_1, JANE_NAMED),
         graphs=DIRECT_GRAPHS),
    case("head_existing_direct", (DIRECT,),
         put(DIRECT_1, JOHN, OK, CREATED, NO_CONTENT),
         request("HEAD", DIRECT_1, accept=TURTLE, status=(OK,), response_type=TURTLE),
         graphs=DIRECT_GRAPHS),

    # --- manifest-indirect.ttl -----------------------------------------------------------------------
    case("put_get_repeat_indirect", (INDIRECT,),
         put(indirect(INDIRECT_1), JOHN, CREATED), get(indirect(INDIRECT_1), JOHN),
         put(indirect(INDIRECT_1), JANE, OK, NO_CONTENT), get(indirect(INDIRECT_1), JANE),
         graphs=(INDIRECT_1, INDIRECT_2)),
    case("put_get_default", (),
         put("/data?default", ALICE, OK, CREATED, NO_CONTENT), get("/data?default", ALICE)),
    case("put_delete_get_delete_indirect", (INDIRECT,),
         put(indirect(INDIRECT_2), ALICE, CREATED, OK, NO_CONTENT),
         request("DELETE", indirect(INDIRECT_2), status=(OK, NO_CONTENT)),
         request("GET", indirect(INDIRECT_2), status=(NOT_FOUND,)),
         request("DELETE", indirect(INDIRECT_2), status=(NOT_FOUND, OK, NO_CONTENT)),
         graphs=(INDIRECT_1, INDIRECT_2)),
    case("post_get_post_get_indirect", (INDIRECT,),
         request("POST", indirect(INDIRECT_1), content_type=TURTLE, body=JANE, status=(OK, CREATED, NO_CONTENT)),
         get(indirect(INDIRECT_1), JANE),
         request("POST", indirect(INDIRECT_1), content_type=MULTIPART_TYPE, body=MULTIPART, status=(OK, NO_CONTENT)),
         get(indirect(INDIRECT_1), JANE_NAMED),
         graphs=(INDIRECT_1, INDIRECT_2)),
    case("post_get_new_graph", (CREATION, INDIRECT),
         request("POST", "/data", content_type=TURTLE, body=ALICE, status=(CREATED,), location=True),
         get("/data?graph=$LOCATION$", ALICE)),
    case("head_existing_indirect", (INDIRECT,),
         put(indirect(INDIRECT_1), JOHN, OK, CREATED, NO_CONTENT),
         request("HEAD", indirect(INDIRECT_1), accept=TURTLE, status=(OK,), response_type=TURTLE),
         graphs=(INDIRECT_1, INDIRECT_2)),
    case("head_non_existing_indirect", (INDIRECT,),
         request("HEAD", indirect(EX + "person/4.ttl"), accept=TURTLE, status=(NOT_FOUND,))),
    case("put_get_uri_pct_encoded_indirect", (INDIRECT,),
         put(indirect(INDIRECT_1), JOHN, CREATED), get(indirect(INDIRECT_1, raw=True), JOHN),
         graphs=(INDIRECT_1, INDIRECT_2)),
    # The query string is percent-decoded once: %31 names ".../1.ttl", %2531 names ".../%31.ttl".
    case("put_get_uri_pct_encoded_twice", (INDIRECT,),
         put(indirect(EX + "person/%31.ttl", raw=True), JOHN, CREATED),
         put(indirect(EX + "person/%2531.ttl", raw=True), JANE_2, CREATED),
         get(indirect(EX + "person/%31.ttl", raw=True), JOHN),
         get(indirect(EX + "person/%2531.ttl", raw=True), JANE_2),
         graphs=(INDIRECT_1, EX + "person/%31.ttl")),
]
