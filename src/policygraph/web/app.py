"""``create_app(settings)``: the FastAPI application, wired from its routers.

Nothing is built at import time.  The store is either given (``policygraph.web.server`` opens it first,
to load the shipped data on first start) or opened in the lifespan; its query workers start with
the application and stop with it.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from policygraph import __version__
from policygraph.queries.catalog import QueryCatalog
from policygraph.settings import Settings
from policygraph.steward.tokens import TokenChecker
from policygraph.store import Store, open_store
from policygraph.web.routes import (
    changes,
    collections,
    dataset,
    errors,
    graph_direct,
    graph_store,
    ontology_docs,
    queries,
    resources,
    sparql,
    validate,
)
from policygraph.web.routes.limits import BodyLimitMiddleware


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    catalog = QueryCatalog.load(settings.queries_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        opened = store or open_store(settings)
        if opened.pool is None:
            opened.start()
        app.state.store = opened
        try:
            yield
        finally:
            opened.close()

    app = FastAPI(title="policygraph", version=__version__, lifespan=lifespan,
                  description="SPARQL 1.1 Protocol, Graph Store Protocol and named queries over the policygraph "
                              "knowledge graph of French public-policy contracts.")
    app.state.settings = settings
    app.state.tokens = TokenChecker(settings.steward_tokens)
    app.state.queries = catalog
    errors.install(app)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(queries.router)
    # The data steward's workflow: validate, commit, history, revert.
    app.include_router(validate.router)
    app.include_router(changes.router)
    # Linked data: the IRIs under the base, collections, dataset description, dumps, ontology.
    app.include_router(resources.router)
    app.include_router(ontology_docs.router)
    app.include_router(graph_direct.router)  # PUT/POST/DELETE at /graph/…, beside ontology_docs' GET
    app.include_router(collections.router)
    app.include_router(dataset.router)

    @app.get("/health", tags=["Service"], summary="Is the service up")
    def health() -> JSONResponse:
        s = app.state.store
        return JSONResponse({"status": "ok", "store": s.kind,
                             "workers": len(s.pool.pids()) if s.pool is not None else 0})

    # Reads are open to any origin; writes need an Authorization header, which is not allowed
    # cross-origin, so a web page elsewhere cannot write with a steward's token.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
                       allow_headers=["Accept", "Content-Type"],
                       expose_headers=["X-Result-Count", "Link", "Content-Location"])
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    return app
