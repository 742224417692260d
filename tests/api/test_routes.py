"""The route table, as the OpenAPI document publishes it: the SPARQL service's endpoints and methods,
and a summary for every operation of the API (its documentation at /docs).

A change here is a change of the API.  (Other routers — linked data — add routes of their own.)"""

from policygraph.settings import Settings
from policygraph.web.app import create_app

EXPECTED = {
    ("/sparql", "get"), ("/sparql", "head"), ("/sparql", "post"), ("/update", "post"),
    ("/data", "get"), ("/data", "head"), ("/data", "put"), ("/data", "post"), ("/data", "delete"),
    ("/graph/{path}", "get"), ("/graph/{path}", "head"), ("/graph/{path}", "put"), ("/graph/{path}", "post"),
    ("/graph/{path}", "delete"),
    ("/queries", "get"), ("/queries/{name}", "get"), ("/health", "get"),
}


def test_route_table(tmp_path):
    app = create_app(Settings(store_path=tmp_path / "store"))  # builds the app; opens nothing
    paths = app.openapi()["paths"]
    operations = {(path, method): op for path, item in paths.items() for method, op in item.items()}
    assert EXPECTED <= set(operations)
    assert all(op.get("summary") for op in operations.values())
    assert not (tmp_path / "store").exists()

