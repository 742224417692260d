"""Every setting of the service in one frozen object, built from the environment and the CLI.

A pydantic-settings model (FastAPI's convention): typed, validated, frozen.  Nothing is read at
import time, and ``Settings(...)`` reads only its arguments; ``Settings.from_env()`` — called by
``policygraph.web.server`` (or a test) — reads the environment, and its result is passed to
``create_app(settings)``.  Environment variables (all optional; an empty value counts as unset):

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
``POLICYGRAPH_STEWARD_TOKENS``      ``name:hash`` entries (see ``policygraph.steward.tokens``), comma-separated
``POLICYGRAPH_STEWARD_TOKENS_FILE`` a file with one ``name:hash`` entry per line
``POLICYGRAPH_WRITE_GUARD``         ``module:function`` checking every write (default
                                    ``policygraph.validation.guard:check``: no write may add a
                                    SHACL violation; ``policygraph.store.write_guard:check`` accepts all)
``POLICYGRAPH_QUERIES_DIR``         folder of named ``.rq`` queries (default ``queries/``)
``POLICYGRAPH_TEST_COMMIT_DELAY``   test hook: seconds every embedded commit waits between
                                    writing the new generation and committing it (default 0),
                                    so that crash tests can kill the server mid-commit
=================================== ============================================================
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Literal, Mapping

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from policygraph.model.namespaces import BASE

MiB = 1024 * 1024
PREFIX = "POLICYGRAPH_"
_RENAMED = {"store_path": "STORE"}  # fields whose variable is not their name in capitals
_NOT_FROM_ENV = {"host", "port", "steward_tokens"}  # command-line only, or read from two variables
_ENVIRON: ContextVar[Mapping[str, str]] = ContextVar("environ", default={})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, extra="forbid")

    store_path: Path = Path("var/store")
    query_url: str | None = None
    update_url: str | None = None
    graph_store_url: str | None = None
    remote_user: str | None = None
    remote_password: str | None = None
    remote_token: str | None = None
    remote_union: Literal["list", "native"] = "list"
    base_iri: str = BASE
    public_url: str | None = None
    union_default_graph: bool = True
    query_timeout: float = Field(10.0, gt=0)
    update_timeout: float = Field(60.0, gt=0)
    max_rows: int = Field(50_000, gt=0)
    max_triples: int = Field(200_000, gt=0)
    max_result_bytes: int = Field(64 * MiB, gt=0)
    max_body_bytes: int = Field(16 * MiB, gt=0)
    max_change_quads: int = Field(1_000_000, gt=0)
    workers: int = Field(2, gt=0)
    access_log: bool = True
    service_allowlist: tuple[str, ...] = ()
    steward_tokens: Mapping[str, str] = Field(default_factory=dict)
    write_guard: str = "policygraph.validation.guard:check"
    queries_dir: Path | None = None
    test_commit_delay: float = 0.0
    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value else value

    @field_validator("service_allowlist", mode="before")
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        return tuple(v for v in value.replace(",", " ").split() if v) if isinstance(value, str) else value

    @property
    def remote(self) -> bool:
        return self.query_url is not None

    def with_overrides(self, **changes) -> "Settings":
        return self.model_copy(update={k: v for k, v in changes.items() if v is not None})

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Field → environment variable, for every field the environment can set."""
        return {name: PREFIX + _RENAMED.get(name, name.upper()) for name in cls.model_fields
                if name not in _NOT_FROM_ENV}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """The settings of ``environ`` (default: the process environment), then ``overrides`` (those not
        None).  A bad value is a ValueError naming its variable."""
        env = os.environ if environ is None else environ
        try:
            with _reading(env):
                return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else ""
            variable = cls.variables().get(field, PREFIX + "STEWARD_TOKENS")
            raise ValueError(f"{variable}={env.get(variable)!r}: {error['msg']}") from None
        except OSError as exc:  # the tokens file
            raise ValueError(f"{PREFIX}STEWARD_TOKENS_FILE: {exc}") from None

    @classmethod
    def settings_customise_sources(cls, settings_cls, init_settings, env_settings, dotenv_settings,
                                   file_secret_settings) -> tuple[PydanticBaseSettingsSource, ...]:
        # Arguments first, then the environment that from_env is reading (none for Settings(...)).
        return init_settings, _EnvironmentSource(settings_cls)


class _EnvironmentSource(PydanticBaseSettingsSource):
    """The raw values of the environment ``from_env`` reads; pydantic converts and checks them."""

    def get_field_value(self, field, field_name):  # required by the interface; __call__ does the work
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        env = _ENVIRON.get()
        values: dict[str, Any] = {}
        for name, variable in Settings.variables().items():
            if env.get(variable) not in (None, ""):
                values[name] = env[variable]
        tokens: dict[str, str] = {}
        if env.get(PREFIX + "STEWARD_TOKENS_FILE"):
            tokens.update(parse_token_entries(Path(env[PREFIX + "STEWARD_TOKENS_FILE"]).read_text(encoding="utf-8")
                                              .splitlines()))
        if env.get(PREFIX + "STEWARD_TOKENS"):
            tokens.update(parse_token_entries(env[PREFIX + "STEWARD_TOKENS"].replace("\n", ",").split(",")))
        if tokens:
            values["steward_tokens"] = tokens
        return values


@contextmanager
def _reading(environ: Mapping[str, str]):
    token = _ENVIRON.set(environ)
    try:
        yield
    finally:
        _ENVIRON.reset(token)


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
