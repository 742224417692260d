"""The store: one interface over the embedded Oxigraph store and an external SPARQL 1.1 triplestore.

Owns queries and updates (the SPARQL text analysis, the planning of an update into its exact delta, the
answer writers with their limits), the query worker processes that can be killed at the time limit, the
Graph Store operations and the write-guard *interface* (which guard runs is a setting: the validation
package provides it, the store only calls it).

May use: ``policygraph.settings``, ``policygraph.model``, ``policygraph.errors``. It knows nothing of
validation, linked data, the steward workflow or the web: a higher layer that needs work done in a
query worker names its own job handler (``Store.run_job``), the store never imports it.
"""

from __future__ import annotations

from policygraph.settings import Settings
from policygraph.store.base import Change, QueryRequest, QueryResult, Store


def open_store(settings: Settings) -> Store:
    """The store the settings name: an external triplestore if its URLs are set, else the embedded one."""
    if settings.remote:
        from policygraph.store.remote import RemoteStore

        return RemoteStore(settings)
    from policygraph.store.embedded import EmbeddedStore

    return EmbeddedStore(settings)


__all__ = ["Change", "QueryRequest", "QueryResult", "Store", "open_store"]
