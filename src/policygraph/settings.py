"""Every setting of the service in one frozen object, built from the environment and the CLI.

Nothing is read at import time: ``Settings.from_env()`` is called by ``policygraph.server`` (or a
test) and the result is passed to ``create_app(settings)``.  Environment variables
(all optional):

=================================== ============================================================
``POLICYGRAPH_STORE``               embedded store folder (default ``./var/store``)
``POLICYGRAPH_QUERY_URL``           external SPARQL query endpoint: switches to the remote store
``POLICYGRAPH_UPDATE_URL``          external SPARQL update endpoint (default: the query URL)
``POLICYGRAPH_GRAPH_STORE_URL``     external Graph Store Protocol endpoint (optional, for reads)
``POLICYGRAPH_REMOTE_USER``         HTTP basic credentials for the external endpoints …
``POLICYGRAPH_REMOTE_PASSWORD``     … (both or neither)
``POLICYGRAPH_REMOTE_TOKEN``        or a bearer token for them (QLever's access token)
``POLICYGRAPH_REMOTE_UNION``        ``list`` (send every named graph as default-graph-uri) or
                                    ``native`` (the triplestore already unions; QLever, Virtuoso)
``POLICYGRAPH_BASE_IRI``            canonical base, also the base of relative IRIs in requests
``POLICYGRAPH_PUBLIC_URL``          URL the service is reached at (default: from the request)
``POLICYGRAPH_UNION_DEFAULT_GRAPH`` ``true``: queries without a dataset see all named graphs
``POLICYGRAPH_QUERY_TIMEOUT``       seconds a query may run (default 10)
``POLICYGRAPH_UPDATE_TIMEOUT``      seconds an update may take to evaluate (default 60)
``POLICYGRAPH_MAX_ROWS``            most solutions a SELECT may return (default 50000)
``POLICYGRAPH_MAX_TRIPLES``         most triples a CONSTRUCT/DESCRIBE/graph GET may return
``POLICYGRAPH_MAX_RESULT_BYTES``    most bytes of a serialized result (default 64 MiB)
``POLICYGRAPH_MAX_BODY_BYTES``      most bytes of a request body (default 16 MiB)
``POLICYGRAPH_MAX_CHANGE_QUADS``    most quads one write may add plus remove (default 1000000)
``POLICYGRAPH_WORKERS``             query worker processes (default 2)
``POLICYGRAPH_ACCESS_LOG``          ``false``: no line per request on the log (default ``true``)
``POLICYGRAPH_SERVICE_ALLOWLIST``   endpoints SERVICE may call, separated by spaces or commas
``POLICYGRAPH_STEWARD_TOKENS``      ``name:hash`` entries (see ``policygraph.auth``), comma-separated
``POLICYGRAPH_STEWARD_TOKENS_FILE`` a file with one ``name:hash`` entry per line
``POLICYGRAPH_WRITE_GUARD``         ``module:function`` checking every write (default
                                    ``policygraph.shacl_guard:check``: no write may add a
                                    SHACL violation; ``policygraph.write_guard:check`` accepts all)
``POLICYGRAPH_QUERIES_DIR``         folder of named ``.rq`` queries (default ``queries/``)
``POLICYGRAPH_TEST_COMMIT_DELAY``   test hook: seconds every embedded commit waits between
                                    writing the new generation and committing it (default 0),
                                    so that crash tests can kill the server mid-commit
=================================== ============================================================
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping

from .namespaces import BASE

MiB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    store_path: Path = Path("var/store")
    query_url: str | None = None
    update_url: str | None = None
    graph_store_url: str | None = None
    remote_user: str | None = None
    remote_password: str | None = None
    remote_token: str | None = None
    remote_union: str = "list"
    base_iri: str = BASE
    public_url: str | None = None
    union_default_graph: bool = True
    query_timeout: float = 10.0
    update_timeout: float = 60.0
    max_rows: int = 50_000
    max_triples: int = 200_000
    max_result_bytes: int = 64 * MiB
    max_body_bytes: int = 16 * MiB
    max_change_quads: int = 1_000_000
    workers: int = 2
    access_log: bool = True
    service_allowlist: tuple[str, ...] = ()
    steward_tokens: Mapping[str, str] = field(default_factory=dict)
    write_guard: str = "policygraph.shacl_guard:check"
    queries_dir: Path | None = None
    test_commit_delay: float = 0.0
    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def remote(self) -> bool:
        return self.query_url is not None

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get("POLICYGRAPH_" + name)
            return value if value not in (None, "") else None

        values: dict = {}
        for name, attr, convert in (
            ("STORE", "store_path", Path),
            ("QUERY_URL", "query_url", str),
            ("UPDATE_URL", "update_url", str),
            ("GRAPH_STORE_URL", "graph_store_url", str),
            ("REMOTE_USER", "remote_user", str),
            ("REMOTE_PASSWORD", "remote_password", str),
            ("REMOTE_TOKEN", "remote_token", str),
            ("REMOTE_UNION", "remote_union", _choice("list", "native")),
            ("BASE_IRI", "base_iri", str),
            ("PUBLIC_URL", "public_url", lambda v: v.rstrip("/")),
            ("UNION_DEFAULT_GRAPH", "union_default_graph", _bool),
            ("QUERY_TIMEOUT", "query_timeout", _positive(float)),
            ("UPDATE_TIMEOUT", "update_timeout", _positive(float)),
            ("MAX_ROWS", "max_rows", _positive(int)),
            ("MAX_TRIPLES", "max_triples", _positive(int)),
            ("MAX_RESULT_BYTES", "max_result_bytes", _positive(int)),
            ("MAX_BODY_BYTES", "max_body_bytes", _positive(int)),
            ("MAX_CHANGE_QUADS", "max_change_quads", _positive(int)),
            ("WORKERS", "workers", _positive(int)),
            ("ACCESS_LOG", "access_log", _bool),
            ("SERVICE_ALLOWLIST", "service_allowlist", _list),
            ("WRITE_GUARD", "write_guard", str),
            ("QUERIES_DIR", "queries_dir", Path),
            ("TEST_COMMIT_DELAY", "test_commit_delay", float),
        ):
            raw = get(name)
            if raw is not None:
                try:
                    values[attr] = convert(raw)
                except ValueError as exc:
                    raise ValueError(f"POLICYGRAPH_{name}={raw!r}: {exc}") from None
        tokens: dict[str, str] = {}
        if (path := get("STEWARD_TOKENS_FILE")) is not None:
            tokens.update(parse_token_entries(Path(path).read_text(encoding="utf-8").splitlines()))
        if (raw := get("STEWARD_TOKENS")) is not None:
            tokens.update(parse_token_entries(raw.replace("\n", ",").split(",")))
        values["steward_tokens"] = tokens
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def parse_token_entries(entries) -> dict[str, str]:
    """``name:hash`` entries (blank lines and ``#`` comments ignored) → {name: hash}."""
    tokens = {}
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, hashed = entry.partition(":")
        if not sep or not name.strip() or not hashed.strip():
            raise ValueError(f"steward token entry {entry[:20]!r}… is not 'name:hash'")
        tokens[name.strip()] = hashed.strip()
    return tokens


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _positive(convert):
    def check(value: str):
        number = convert(value)
        if number <= 0:
            raise ValueError("must be positive")
        return number

    return check


def _choice(*options: str):
    def check(value: str) -> str:
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return value

    return check


def _list(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.replace(",", " ").split() if v)
