"""The three servers compared, each a real process on loopback serving the same N-Quads file.

- ``policygraph``: loaded by ``benchmarks.pg_load`` (the store's own commit protocol, see there),
  served by ``policygraph serve --store DIR`` (SPARQL at ``/sparql``, named queries at
  ``/queries/{name}``, linked data at ``/id/…``);
- ``oxigraph``: ``oxigraph load --location DIR --file …`` then ``oxigraph serve --location DIR
  --union-default-graph`` (SPARQL at ``/query``) — the engine's own HTTP server;
- ``rdflib-endpoint``: its command line, ``rdflib-endpoint serve FILE`` (SPARQL at ``/``), which
  parses the file into an in-memory rdflib ``Dataset(default_union=True)`` at every start.

All three see the union of the named graphs as the default graph, as the service does.  Each
query is sent with a per-request time limit; a server that does not answer in time is recorded
as "> limit", and rdflib-endpoint, which cannot stop a query and answers nothing else meanwhile,
is then killed and restarted (:meth:`Peer.recover`).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from . import common
from .common import OXIGRAPH, PYTHON, Proc, free_port, tool

JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


@dataclass
class Answer:
    status: int | None  # None: no answer within the limit (or the connection failed)
    seconds: float
    body: bytes = b""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass
class Peer:
    name: str
    work: Path
    timeout: float  # per-request limit, seconds
    proc: Proc | None = None
    url: str = ""
    starts: list[float] = field(default_factory=list)  # seconds until it answered, per start
    restarts: int = 0
    sparql_path = "/sparql"

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self) -> float:
        raise NotImplementedError

    def stop(self) -> str | None:
        if self.proc is None:
            return None
        how = common.stop(self.proc)
        self.proc = None
        return how

    def recover(self) -> None:
        """After a request that did not finish: make sure the server answers again."""
        if self.proc is not None and self.ping():
            return
        if self.proc is not None:
            common.kill(self.proc)
            self.proc = None
        self.restarts += 1
        self.start()

    def ping(self, timeout: float = 3.0) -> bool:
        try:
            return self.sparql("ASK {}", JSON, timeout=timeout).ok
        except Exception:  # noqa: BLE001
            return False

    # -- requests -----------------------------------------------------------------------------------

    def sparql(self, query: str, accept: str, *, timeout: float | None = None) -> Answer:
        return request(self.url + self.sparql_path, "POST", timeout or self.timeout, content=query.encode(),
                       headers={"Content-Type": "application/sparql-query", "Accept": accept})


_client: httpx.Client | None = None


def request(url: str, method: str, timeout: float, **kwargs) -> Answer:
    """One timed HTTP request (the whole body read); no exception for a timeout or a refused connection."""
    global _client
    if _client is None:
        _client = httpx.Client(trust_env=False, limits=httpx.Limits(max_keepalive_connections=4))
    started = time.perf_counter()
    try:
        response = _client.request(method, url, timeout=httpx.Timeout(timeout, connect=5), **kwargs)
        body = response.content
        return Answer(response.status_code, time.perf_counter() - started, body,
                      None if response.status_code == 200 else body[:300].decode("utf-8", "replace"))
    except httpx.TimeoutException:
        _reset_client()
        return Answer(None, time.perf_counter() - started, error=f"no answer within {timeout:g} s")
    except httpx.HTTPError as exc:
        _reset_client()
        return Answer(None, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")


def _reset_client() -> None:
    # A request abandoned mid-way leaves its connection unusable: start afresh.
    global _client
    if _client is not None:
        _client.close()
        _client = None


class PolicyGraph(Peer):
    """``policygraph serve`` on a store loaded with ``benchmarks.pg_load``."""

    def __init__(self, work: Path, timeout: float, *, env: dict | None = None):
        super().__init__("policygraph", work, timeout)
        self.store = work / "policygraph-store"
        self.env = env or {}

    def server_env(self) -> dict:
        # The product's defaults except the limits that would cut the benchmark's answers short: the
        # per-request limit of the suite, and room for the largest results (all peers return them whole).
        # No access log either: Oxigraph server writes none.
        env = {"POLICYGRAPH_QUERY_TIMEOUT": str(self.timeout), "POLICYGRAPH_MAX_ROWS": "10000000",
               "POLICYGRAPH_MAX_TRIPLES": "10000000", "POLICYGRAPH_MAX_RESULT_BYTES": str(2 ** 31 - 1),
               "POLICYGRAPH_ACCESS_LOG": "false"}
        env.update(self.env)
        return env

    def start(self) -> float:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [PYTHON, "-m", "policygraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--store", str(self.store)]
        self.proc = common.start("policygraph serve", command, self.work / "logs" / f"policygraph-{port}.log",
                                 env=self.server_env(), cwd=common.ROOT)
        seconds = common.wait_until_up(self.proc, self.url + "/health", timeout=600)
        self.starts.append(seconds)
        return seconds

    def named(self, name: str, params: dict[str, str], accept: str = JSON) -> Answer:
        return request(f"{self.url}/queries/{name}", "GET", self.timeout, params=params, headers={"Accept": accept})


class Oxigraph(Peer):
    sparql_path = "/query"

    def __init__(self, work: Path, timeout: float):
        super().__init__("oxigraph", work, timeout)
        self.store = work / "oxigraph-store"
        # Its time limit (--timeout-s) starts, for every query, a thread that sleeps as long as the
        # limit: under the dereferencing load (~1,500 queries/s) tens of thousands of them pile up and
        # the server dies ("failed to allocate an alternative stack").  That workload runs it without.
        self.limited = True

    def start(self) -> float:
        if not OXIGRAPH:
            raise RuntimeError("the oxigraph server (PyPI package oxigraph) is not installed")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [OXIGRAPH, "serve", "--location", str(self.store), "--bind", f"127.0.0.1:{port}",
                   "--union-default-graph"] + (["--timeout-s", str(max(1, round(self.timeout)))] if self.limited else [])
        self.proc = common.start("oxigraph serve", command, self.work / "logs" / f"oxigraph-{port}.log")
        seconds = common.wait_until_up(self.proc, self.url + "/query?query=ASK%7B%7D", timeout=600)
        self.starts.append(seconds)
        return seconds


class RdflibEndpoint(Peer):
    sparql_path = "/"

    def __init__(self, work: Path, timeout: float, data: Path, *, start_timeout: float = 3600):
        super().__init__("rdflib-endpoint", work, timeout)
        self.data = data
        self.start_timeout = start_timeout
        self.peak_rss = 0  # at its last start: parsing the file is its load

    def start(self) -> float:
        binary = tool("rdflib-endpoint")
        if not binary:
            raise RuntimeError("rdflib-endpoint is not installed (pip install rdflib-endpoint)")
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [binary, "serve", str(self.data), "--host", "127.0.0.1", "--port", str(port)]
        self.proc = common.start("rdflib-endpoint serve", command, self.work / "logs" / f"rdflib-{port}.log")
        seconds = common.wait_until_up(self.proc, self.url + "/?query=ASK%7B%7D", timeout=self.start_timeout,
                                       accept=JSON)
        self.peak_rss = self.proc.peak_rss()
        self.starts.append(seconds)
        return seconds


def remove_store(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
