"""``policygraph serve`` and ``policygraph load``: open the store, load the shipped data if needed, serve.

On the embedded store the shipped files (``dataset.data_files()``) are loaded on the first start
(empty store) or with ``--reload-data``; otherwise the store is served as it is — it persists.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from policygraph.errors import PolicyGraphError
from policygraph.model.dataset import data_files
from policygraph.settings import Settings
from policygraph.store import Store, open_store

log = logging.getLogger("policygraph")


def _settings(store_path: Path | None, **overrides) -> Settings:
    return Settings.from_env(store_path=store_path, **overrides)


def load_shipped(store: Store) -> dict[str, int]:
    counts = store.load_files(data_files())
    for graph, n in counts.items():
        log.info("loaded %6d triples into <%s>", n, graph)
    return counts


def serve(host: str = "127.0.0.1", port: int = 8000, store_path: Path | None = None,
          reload_data: bool = False, *, query_url: str | None = None, update_url: str | None = None,
          graph_store_url: str | None = None) -> int:
    """Serve; ``query_url`` (with ``update_url``, ``graph_store_url``) selects an external triplestore
    instead of the embedded store (same as POLICYGRAPH_QUERY_URL etc.)."""
    import uvicorn

    from policygraph.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = _settings(store_path, host=host, port=port, query_url=query_url, update_url=update_url,
                             graph_store_url=graph_store_url)
        store = open_store(settings)
    except (PolicyGraphError, ValueError) as exc:
        print(f"error: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 2
    try:
        if reload_data or (store.kind == "embedded" and store.is_empty()):
            log.info("loading the shipped data into the %s store", store.kind)
            load_shipped(store)
        else:
            log.info("serving the %s store as it is (use --reload-data to reload the shipped data)", store.kind)
        store.start()
    except BaseException:
        store.close()
        raise
    app = create_app(settings, store)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, access_log=settings.access_log)
    return 0


def load_command(store_path: Path | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        store = open_store(_settings(store_path))
        try:
            counts = load_shipped(store)
        finally:
            store.close()
    except PolicyGraphError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    print(f"loaded {sum(counts.values())} triples into {len(counts)} named graphs")
    return 0
