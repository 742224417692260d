"""What the linked-data routers share in one application: the context, caches, and helpers.

Created on first use and kept on ``app.state.linked_data`` (``create_app`` builds nothing for it at
import time or start-up: the first request to a linked-data route does).  Values derived from the
data — vocabulary labels, the dataset description — are kept per store generation; on an external
triplestore, which has no generation, for ``REMOTE_TTL`` seconds.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from fastapi import Request

from policygraph.linked_data.addressing import IriSpace
from policygraph.linked_data.describe import DescriptionCache, GenerationCache, generation_of
from policygraph.model.jsonld_context import Context, shipped_context
from policygraph.settings import Settings
from policygraph.store.base import Store
from policygraph.web.routes.deps import public_base

REMOTE_TTL = 60.0
_LOCK = threading.Lock()


class LinkedDataState:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.context: Context = shipped_context()
        self.descriptions = DescriptionCache()
        self.documents = GenerationCache(64 * 2**20)  # bytes of RDF documents (policygraph.linked_data.documents)
        self._derived: dict[str, tuple[Any, float, Any]] = {}
        self._lock = threading.Lock()
        self._dumps = None

    def derived(self, store: Store, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per store generation (or per ``REMOTE_TTL`` when there is none)."""
        generation = generation_of(store)
        now = time.monotonic()
        with self._lock:
            found = self._derived.get(name)
        if found is not None:
            value, at, gen = found
            if (generation is not None and gen == generation) or (generation is None and now - at < REMOTE_TTL):
                return value
        value = compute()
        with self._lock:
            self._derived[name] = (value, now, generation)
        return value

    def dumps(self):
        from policygraph.linked_data.dumps import DumpCache

        with self._lock:
            if self._dumps is None:
                self._dumps = DumpCache(self.settings)
            return self._dumps


def linked_data(request: Request) -> LinkedDataState:
    state = getattr(request.app.state, "linked_data", None)
    if state is None:
        with _LOCK:
            state = getattr(request.app.state, "linked_data", None)
            if state is None:
                state = LinkedDataState(request.app.state.settings)
                request.app.state.linked_data = state
    return state


def iri_space(request: Request) -> IriSpace:
    settings: Settings = request.app.state.settings
    return IriSpace(settings.base_iri, public_base(request, settings))


def vocabulary(request: Request, store: Store):
    from policygraph.linked_data.resource_pages import VocabularyLabels

    return linked_data(request).derived(store, "vocabulary", lambda: VocabularyLabels.load(store))
