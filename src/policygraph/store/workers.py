"""A small pool of worker processes that run queries and can be killed.

pyoxigraph cannot interrupt a running query (oxigraph/oxigraph#1926), and neither can a Python
thread.  So every query — and every update evaluation — runs in a separate process; when its time
is up the process is killed (SIGKILL: the query really stops, its memory is returned) and a fresh
process replaces it in the background, while the other workers keep serving.

Each worker keeps one *context* open — for the embedded store, a read-only checkpoint of the
store (see ``policygraph.store.embedded``).  A job carries the context it must run in; the worker
reopens when it changes.  The pool records which context each worker holds so that the store can
delete checkpoints no worker uses any more.

Workers are fresh interpreters (``python -m policygraph.store.worker_jobs FD``) talking over a socket
pair: forking a process that holds RocksDB handles and uvicorn's threads is unsafe, and
multiprocessing's ``spawn`` would re-import the host program's ``__main__``.  A worker whose
server dies sees its socket close and exits.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import anyio

from policygraph.errors import PolicyGraphError, QueryTimeout, ServiceBusy, StoreError

log = logging.getLogger(__name__)


# Answers up to this size are read on the event loop (see WorkerPool.run_async).
_READ_ON_LOOP = 1 << 20


def _pending_bytes(sock: socket.socket) -> int:
    """Size of the answer waiting on a worker's socket, from the header multiprocessing.Connection
    writes before each message (a 4-byte big-endian length, or -1 then an 8-byte one); unknown
    (treated as large) when the header has not fully arrived."""
    try:
        head = sock.recv(12, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except (BlockingIOError, InterruptedError):
        return 1 << 62
    if len(head) < 4:
        return 1 << 62
    size = int.from_bytes(head[:4], "big", signed=True)
    if size == -1:
        return int.from_bytes(head[4:12], "big") if len(head) >= 12 else 1 << 62
    return size


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    sock: Any  # the same socket as conn, to peek at what is waiting
    context: Any = None
    busy: bool = False
    started: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        return self.process.pid


class WorkerPool:
    def __init__(self, size: int, *, acquire_timeout: float = 30.0, startup_timeout: float = 60.0):
        self.size = size
        self.acquire_timeout = acquire_timeout
        self.startup_timeout = startup_timeout
        # Last in, first out: the worker that answered last has the store's pages in its cache (each
        # process keeps its own), so a lone client keeps getting a warm worker.
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.context: Any = None

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        pending = [self._launch() for _ in range(self.size)]
        for worker in pending:
            self._await_ready(worker)
            with self._lock:
                self._workers.add(worker)
            self._idle.put(worker)

    def _launch(self) -> _Worker:
        parent, child = socket.socketpair()
        try:
            process = subprocess.Popen([sys.executable, "-m", "policygraph.store.worker_jobs", str(child.fileno())],
                                       pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            child.close()
        return _Worker(process, Connection(os.dup(parent.fileno())), parent)

    def _await_ready(self, worker: _Worker) -> None:
        if not worker.conn.poll(self.startup_timeout):
            self._kill(worker)
            raise StoreError("a query worker did not start")
        message = worker.conn.recv()
        if message[0] != "ready":
            self._kill(worker)
            raise StoreError(f"a query worker failed to start: {message!r}")

    def _replace(self) -> None:
        try:
            worker = self._launch()
            self._await_ready(worker)
        except Exception:  # noqa: BLE001 — logged; the pool keeps serving with fewer workers
            log.exception("could not replace a query worker")
            return
        with self._lock:
            if self._closed:
                self._kill(worker)
                return
            self._workers.add(worker)
        self._idle.put(worker)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        try:
            worker.process.kill()
            worker.process.wait(5)
        except Exception:  # noqa: BLE001
            pass
        for channel in (worker.conn, worker.sock):
            try:
                channel.close()
            except Exception:  # noqa: BLE001
                pass

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
            closed = self._closed
        self._kill(worker)
        if not closed:
            threading.Thread(target=self._replace, name="policygraph-worker-respawn", daemon=True).start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            try:
                worker.conn.send({"op": "exit"})
            except Exception:  # noqa: BLE001
                pass
        for worker in workers:
            try:
                worker.process.wait(2)
            except subprocess.TimeoutExpired:
                pass
            self._kill(worker)

    # -- jobs ---------------------------------------------------------------------------------

    def run(self, job: dict, timeout: float) -> Any:
        """Run a job on an idle worker; kill the worker if it has not answered within ``timeout``."""
        try:
            worker = self._idle.get(timeout=self.acquire_timeout)
        except queue.Empty:
            raise ServiceBusy(f"all {self.size} query workers stayed busy for {self.acquire_timeout:g} s; "
                              "try again later") from None
        self._take(worker, job)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(timeout):
                self._timed_out(worker, timeout)
            answer = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._died(worker, exc)
        return self._release(worker, answer)

    async def run_async(self, job: dict, timeout: float) -> Any:
        """``run`` for a coroutine: the answer is awaited on the event loop, no thread waits for it.

        A request of the event loop would otherwise hop to a thread of the pool and back, which
        costs a fast query about as much as its evaluation.  When every worker is busy, the wait
        for one happens in a thread, as in ``run``; so does reading a large answer, whose transfer
        would hold up the loop.
        """
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return await anyio.to_thread.run_sync(self.run, job, timeout)
        self._take(worker, job)
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = worker.conn.fileno()
        try:
            worker.conn.send(job)  # a job is small, and the worker is waiting to read it
            loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
            try:
                await asyncio.wait_for(readable, timeout)
                in_time = True
            except asyncio.TimeoutError:
                in_time = False
            finally:
                loop.remove_reader(fd)
                os.set_blocking(fd, True)  # uvloop's (libuv's) watcher made it non-blocking
            if not in_time:
                self._timed_out(worker, timeout)
            if _pending_bytes(worker.sock) <= _READ_ON_LOOP:
                answer = worker.conn.recv()
            else:
                answer = await anyio.to_thread.run_sync(worker.conn.recv)
        except (EOFError, OSError) as exc:
            self._died(worker, exc)
        except asyncio.CancelledError:  # the client went away: the worker's answer would stay unread
            self._discard(worker)
            raise
        return self._release(worker, answer)

    def _take(self, worker: _Worker, job: dict) -> None:
        with self._lock:
            worker.busy = True
            worker.context = job.get("context", worker.context)

    def _timed_out(self, worker: _Worker, timeout: float):
        log.warning("killing worker %s after %.1f s", worker.pid, timeout)
        self._discard(worker)
        raise QueryTimeout(f"the query did not finish within {timeout:g} s and was stopped; "
                           "narrow it, or add LIMIT", limit_seconds=timeout)

    def _died(self, worker: _Worker, exc: BaseException):
        self._discard(worker)
        raise StoreError(f"a query worker died ({type(exc).__name__}); the request was not completed")

    def _release(self, worker: _Worker, answer) -> Any:
        status, payload = answer
        with self._lock:
            worker.busy = False
            closed = self._closed
        if closed:
            self._kill(worker)
        else:
            self._idle.put(worker)
        if status == "error":
            if isinstance(payload, PolicyGraphError):
                raise payload
            raise StoreError(str(payload))
        return payload

    def switch_idle(self, context: Any) -> None:
        """Make idle workers open ``context`` now, so that they release the previous one."""
        self.context = context
        idle = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in idle:
            try:
                worker.conn.send({"op": "open", "context": context})
                if worker.conn.poll(30):
                    worker.conn.recv()
                    worker.context = context
                else:
                    self._discard(worker)
                    continue
            except (EOFError, OSError):
                self._discard(worker)
                continue
            self._idle.put(worker)

    def contexts_in_use(self) -> list[Any]:
        with self._lock:
            return [w.context for w in self._workers if w.context is not None]

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._workers]
