"""What the benchmark modules share: processes on loopback, their memory, timing statistics.

Every server or loader the suite starts goes through :func:`start` (or :func:`run_measured`), which
records it in :data:`STARTED`; :func:`stop_all` ends whatever is still running, children included
(the query workers of ``policygraph serve``), even after an error — the suite calls it in a
``finally`` and at exit.  The list of every process started, with how it ended, is written next to
the report (``processes.json``) so that a test can check that none is left.

Peak memory: a process that has exited reports its high-water mark through ``os.wait4`` (the
kernel's ``ru_maxrss``); a live one through ``VmHWM`` in ``/proc/PID/status``.  Both are the peak
resident set, not a sample, so a short spike is not missed.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def tool(name: str) -> str | None:
    """An executable of the virtualenv (oxigraph, rdflib-endpoint, py-spy), else from PATH."""
    return shutil.which(name, path=str(BIN)) or shutil.which(name)


OXIGRAPH = tool("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- statistics -------------------------------------------------------------------------------------

def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    return {"n": len(samples), "median": statistics.median(samples), "p95": percentile(samples, 95),
            "p99": percentile(samples, 99), "min": min(samples), "max": max(samples)}


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b <= 0 else a / b


# -- processes --------------------------------------------------------------------------------------

@dataclass
class Proc:
    name: str
    command: list[str]
    popen: subprocess.Popen
    log: Path
    started: float = field(default_factory=time.monotonic)
    children: set[int] = field(default_factory=set)  # every descendant pid seen while it ran
    ended: str | None = None  # "exited", "terminated", "killed"

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def note_children(self) -> list:
        """Remember the current descendants (to kill them too, and to check they are gone)."""
        try:
            import psutil

            found = psutil.Process(self.pid).children(recursive=True)
        except Exception:  # noqa: BLE001 - gone already
            return []
        self.children.update(c.pid for c in found)
        return found

    def peak_rss(self) -> int:
        """Peak resident memory (bytes) of the process and its live descendants, summed."""
        total = _vm_hwm(self.pid)
        for child in self.note_children():
            total += _vm_hwm(child.pid)
        return total

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the process and its live descendants."""
        total = 0.0
        try:
            import psutil

            for p in [psutil.Process(self.pid), *psutil.Process(self.pid).children(recursive=True)]:
                try:
                    t = p.cpu_times()
                    total += t.user + t.system
                except psutil.Error:
                    pass
        except Exception:  # noqa: BLE001 - gone
            pass
        return total

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


STARTED: list[Proc] = []
_lock = threading.Lock()


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def start(name: str, command: list[str], log: Path, *, env: dict | None = None, cwd: Path | None = None) -> Proc:
    log.parent.mkdir(parents=True, exist_ok=True)
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    full_env.update(env or {})
    with open(log, "ab") as out:
        popen = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=full_env, cwd=cwd,
                                 start_new_session=True)  # its own group: a Ctrl-C of the suite does not reach it
    proc = Proc(name, command, popen, log)
    with _lock:
        STARTED.append(proc)
    return proc


def wait_until_up(proc: Proc, url: str, timeout: float, *, accept: str = "*/*") -> float:
    """Poll ``url`` until it answers below 500; return the seconds since the process started."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=5, trust_env=False) as client:
        while time.monotonic() < deadline:
            if not proc.alive():
                raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode}:\n{proc.log_tail()}")
            try:
                if client.get(url, headers={"Accept": accept}).status_code < 500:
                    return time.monotonic() - proc.started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
    raise TimeoutError(f"{proc.name} did not answer {url} within {timeout:g} s:\n{proc.log_tail()}")


def stop(proc: Proc, grace: float = 10.0) -> str:
    """SIGTERM, then SIGKILL after ``grace`` seconds; descendants that outlive it are killed."""
    children = proc.note_children()
    if proc.alive():
        proc.popen.terminate()
        try:
            proc.popen.wait(grace)
            proc.ended = "terminated"
        except subprocess.TimeoutExpired:
            proc.popen.kill()
            proc.popen.wait(10)
            proc.ended = "killed"
    elif proc.ended is None:
        proc.ended = "exited"
    for child in children:
        try:
            child.wait(2)
        except Exception:  # noqa: BLE001 - still there (or gone): make sure
            try:
                child.kill()
            except Exception:  # noqa: BLE001
                pass
    return proc.ended


def kill(proc: Proc) -> None:
    """SIGKILL at once (a server stuck in a query that ignores SIGTERM)."""
    children = proc.note_children()
    if proc.alive():
        proc.popen.kill()
        proc.popen.wait(10)
        proc.ended = "killed"
    for child in children:
        try:
            child.kill()
        except Exception:  # noqa: BLE001
            pass


def stop_all() -> None:
    with _lock:
        procs = list(STARTED)
    for proc in procs:
        if proc.alive():
            stop(proc, grace=5)
        else:
            for pid in proc.children:
                _kill_pid(pid)


def _kill_pid(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def write_process_list(path: Path) -> None:
    """Every process started, its descendants and how it ended: what the smoke test checks."""
    rows = [{"name": p.name, "pid": p.pid, "children": sorted(p.children), "ended": p.ended,
             "returncode": p.popen.returncode, "command": " ".join(p.command)[:300]} for p in STARTED]
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")


atexit.register(stop_all)


@dataclass
class Measured:
    seconds: float
    peak_rss: int  # bytes
    returncode: int
    log: Path


def run_measured(name: str, command: list[str], log: Path, *, env: dict | None = None, timeout: float = 7200) -> Measured:
    """Run a command to its end; wall time and the peak resident memory of the process (ru_maxrss,
    which covers its waited-for children too)."""
    proc = start(name, command, log, env=env)
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            kill(proc)
            raise TimeoutError(f"{name} took more than {timeout:g} s")
        proc.note_children()
        time.sleep(0.05)
    seconds = time.monotonic() - proc.started
    proc.popen.returncode = os.waitstatus_to_exitcode(status)
    proc.ended = "exited"
    return Measured(seconds, usage.ru_maxrss * 1024, proc.popen.returncode, log)


def folder_bytes(path: Path) -> int:
    """Disk used by the files under ``path``, each inode once (a policygraph checkpoint is hard links)."""
    seen, total = set(), 0
    for f in path.rglob("*") if path.exists() else ():
        st = f.lstat()
        if f.is_file() and (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_size
    return total
