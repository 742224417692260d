"""Shared dependencies of the routers, as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import Depends, Request, Response

from policygraph.errors import Forbidden, InvalidParameter, Unauthorized, UnsupportedMediaType
from policygraph.model.formats import parse_media_type
from policygraph.queries.catalog import QueryCatalog
from policygraph.settings import Settings
from policygraph.steward.tokens import TokenChecker
from policygraph.store.base import Store


# Async, though they do not wait: FastAPI runs a plain function dependency in its thread pool,
# a round trip that would cost each request more than these lookups.
async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def catalog(request: Request) -> QueryCatalog:
    """The named queries (``queries/*.rq``), loaded once with the application."""
    return request.app.state.queries


async def read_body(request: Request) -> bytes:
    # Async, so that the (sync) handlers receive the body without blocking the event loop.
    return await request.body()


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BodyDep = Annotated[bytes, Depends(read_body)]


def authenticate(request: Request) -> str:
    """The steward a write comes from: ``Authorization: Bearer <token>`` (RFC 6750 §2.1)."""
    checker: TokenChecker = request.app.state.tokens
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized("writes need a steward token: send 'Authorization: Bearer <token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    if not checker.configured:
        raise Forbidden("writes are disabled: the operator has configured no steward token")
    steward = checker.steward(token.strip())
    if steward is None:
        raise Forbidden("this token is not a steward token of this service")
    return steward


def iri_param(value: str, name: str) -> str:
    """An absolute IRI from a request parameter, or 400."""
    try:
        iri = ox.NamedNode(value.strip()).value
    except ValueError as exc:
        raise InvalidParameter(f"{name}={value!r} is not an absolute IRI: {exc}") from None
    return iri


def decode_text(body: bytes, content_type: str | None) -> str:
    """A text body: UTF-8 only, as SPARQL 1.1 Protocol §2.1.2–2.1.3 and §2.2.1–2.2.2 require."""
    _, params = parse_media_type(content_type or "")
    charset = params.get("charset")
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {charset} is not accepted: send UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidParameter(f"the request body is not valid UTF-8 (byte {exc.start})") from None


def public_base(request: Request, settings: Settings) -> str:
    """The URL this service is reached at (the operator's setting, else the request's)."""
    return settings.public_url or str(request.base_url).rstrip("/")


def head_of(response: Response) -> Response:
    """The answer to HEAD: the GET's status and headers (its Content-Length too), no body (RFC 9110 §9.3.2)."""
    headers = dict(response.headers)
    headers["content-length"] = str(len(response.body))
    return Response(b"", status_code=response.status_code, headers=headers)
