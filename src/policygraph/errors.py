"""One error tree for everything a user can get wrong, each error carrying its HTTP status.

Core modules raise these; the HTTP edge (``policygraph.web.routes.errors``) turns every one of them into
the same JSON shape::

    {"error": {"status": 400, "title": "Query syntax error", "detail": "...", "line": 3, "column": 17}}

``line``/``column`` are 1-based and ``null`` when the error is not about a position in a text.
Errors cross the boundary of the query worker processes (they are pickled), hence ``__reduce__``.
"""

from __future__ import annotations

import re
from typing import Any


class PolicyGraphError(Exception):
    status = 500
    title = "Internal error"

    def __init__(self, detail: str, *, line: int | None = None, column: int | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.line = line
        self.column = column
        self.extra = extra

    def __reduce__(self):
        return (_rebuild, (type(self), self.detail, self.line, self.column, self.extra))

    def to_dict(self) -> dict[str, Any]:
        body = {"status": self.status, "title": self.title, "detail": self.detail,
                "line": self.line, "column": self.column}
        body.update(self.extra)
        return {"error": body}


def _rebuild(cls, detail, line, column, extra):
    return cls(detail, line=line, column=column, **extra)


class BadRequest(PolicyGraphError):
    status = 400
    title = "Bad request"


class QuerySyntaxError(BadRequest):
    title = "SPARQL syntax error"


class DataSyntaxError(BadRequest):
    title = "RDF syntax error"


class InvalidParameter(BadRequest):
    title = "Invalid parameter"


class Unauthorized(PolicyGraphError):
    status = 401
    title = "Authentication required"


class Forbidden(PolicyGraphError):
    status = 403
    title = "Forbidden"


class NotFound(PolicyGraphError):
    status = 404
    title = "Not found"


class MethodNotAllowed(PolicyGraphError):
    status = 405
    title = "Method not allowed"


class NotAcceptable(PolicyGraphError):
    status = 406
    title = "Not acceptable"


class Conflict(PolicyGraphError):
    # 409: the request does not fit the current state of the graph (a change set removes triples
    # that are not there, a change was already reverted); the client can re-read and retry.
    status = 409
    title = "Conflict with the current state of the graph"


class PayloadTooLarge(PolicyGraphError):
    status = 413
    title = "Request body too large"


class UnsupportedMediaType(PolicyGraphError):
    status = 415
    title = "Unsupported media type"


class ResultTooLarge(PolicyGraphError):
    # 422: the request is understood but its answer exceeds what the operator allows;
    # the client can fix it (LIMIT, narrower pattern), unlike a 5xx.
    status = 422
    title = "Result too large"


class ChangeTooLarge(PolicyGraphError):
    status = 413
    title = "Change too large"


class ShapeViolation(PolicyGraphError):
    status = 422
    title = "Change refused: the data would not conform to the shapes"


class QueryTimeout(PolicyGraphError):
    # 503 as Apache Jena Fuseki answers a query that hits its time limit.
    status = 503
    title = "Query timeout"


class ServiceBusy(PolicyGraphError):
    status = 503
    title = "Service busy"


class UpstreamError(PolicyGraphError):
    status = 502
    title = "Triplestore error"


class StoreError(PolicyGraphError):
    status = 500
    title = "Store error"


_POSITION = re.compile(r"(?:error at|line) (\d+)(?::| column | between columns )(\d+)")


def position_from_message(message: str) -> tuple[int | None, int | None]:
    """Line and column from an Oxigraph parser message ('error at 3:17: …', 'line 2 column 11')."""
    m = _POSITION.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def syntax_error(exc: BaseException, cls: type[BadRequest] = QuerySyntaxError) -> BadRequest:
    """Wrap an engine's SyntaxError, keeping the position it reports."""
    message = str(exc.args[0]) if exc.args else str(exc)
    line, column = getattr(exc, "lineno", None), getattr(exc, "offset", None)
    if line is None:
        line, column = position_from_message(message)
    # Oxigraph lists every character class it expected; the first line and 300 characters say enough.
    message = message.splitlines()[0] if message else "syntax error"
    if len(message) > 300:
        message = message[:300].rstrip() + "…"
    return cls(message, line=line, column=column)
