"""One exception handler, one error shape for every error the HTTP API returns.

``{"error": {"status", "title", "detail", "line", "column"}}`` (see ``policygraph.errors``), also for
the framework's own errors (unknown route, wrong method, invalid parameter), so that a client has one
thing to parse.  Unexpected exceptions become a 500 of the same shape, without internals.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from policygraph.errors import PolicyGraphError

log = logging.getLogger(__name__)

_TITLES = {400: "Bad request", 401: "Authentication required", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 406: "Not acceptable", 413: "Request body too large",
           415: "Unsupported media type", 422: "Unprocessable content", 500: "Internal error"}


def error_body(status: int, title: str, detail: str, *, line=None, column=None, **extra) -> dict:
    body = {"status": status, "title": title, "detail": detail, "line": line, "column": column}
    body.update(extra)
    return {"error": body}


def error_response(exc: PolicyGraphError) -> JSONResponse:
    headers = {}
    if exc.status == 401:
        # RFC 6750 §3: a protected resource answers a request without a token with this challenge.
        headers["WWW-Authenticate"] = 'Bearer realm="policygraph"'
    return JSONResponse(exc.to_dict(), status_code=exc.status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(PolicyGraphError)
    async def _policygraph_error(request: Request, exc: PolicyGraphError):
        return error_response(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no resource at {request.url.path}"
        elif exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}"
        return JSONResponse(error_body(exc.status_code, _TITLES.get(exc.status_code, "Error"), detail),
                            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse(error_body(400, "Invalid parameter", problems), status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(error_body(500, "Internal error", "an unexpected error occurred; it has been logged"),
                            status_code=500)
