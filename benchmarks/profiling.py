"""Where policygraph spends its time under a workload: ``py-spy record`` on the server and its workers.

``record(proc, seconds, name, out_dir)`` starts py-spy (PyPI ``py-spy``) on a running server, its
query workers included (``--subprocesses``), and returns a function that waits for it and
summarises the samples: the functions seen most often at the top of a stack ("self") and anywhere
in it ("total"), per process kind.  The raw stacks are kept (``profile-NAME.txt``, the collapsed
format ``flamegraph.pl`` and speedscope read).  Without py-spy the summary says so.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Callable

from . import common

# Functions that block waiting (for a socket, a pipe, a lock): py-spy samples them as active.
WAITS = {"EpollSelector.select", "_PollLikeSelector.select", "select", "poll", "Connection._recv", "Connection._poll",
         "Condition.wait", "Event.wait", "Lock.acquire", "acquire", "Queue.get", "_wait_for_tstate_lock",
         "socket.recv", "recv_into", "wait", "sleep", "accept", "BaseSelectorEventLoop._write_to_self",
         "Connection._send", "_ConnectionBase.recv", "_ConnectionBase.poll"}
_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def record(proc: common.Proc, seconds: float, name: str, out_dir: Path, rate: int = 200) -> Callable[[], dict]:
    spy = common.tool("py-spy")
    if spy is None:
        return lambda: {"available": False, "reason": "py-spy is not installed (pip install py-spy)"}
    out_dir.mkdir(parents=True, exist_ok=True)
    output = out_dir / f"profile-{name}.txt"
    handle = common.start(f"py-spy {name}", [spy, "record", "--pid", str(proc.pid), "--subprocesses", "--duration",
                                             str(max(1, round(seconds))), "--rate", str(rate), "--format", "raw",
                                             "--output", str(output), "--nonblocking"],
                          out_dir / f"profile-{name}.log")

    def finish() -> dict:
        try:
            handle.popen.wait(seconds + 60)
            handle.ended = "exited"
        except subprocess.TimeoutExpired:
            common.kill(handle)
        if not output.exists():
            return {"available": False, "reason": f"py-spy wrote nothing: {handle.log_tail(500)}"}
        return dict(summarise(output), available=True, file=output.name)

    return finish


def _short(frame: str) -> str:
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    path = m.group("file")
    for marker in ("site-packages/", "policygraph/", "lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{m.group('func')} ({path})"


def summarise(path: Path, top: int = 12) -> dict:
    self_counts: Counter = Counter()
    total_counts: Counter = Counter()
    by_process: Counter = Counter()
    busy: Counter = Counter()  # self, without the frames that only wait
    samples = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        processes = [f for f in frames if f.startswith("process ")]  # a worker's stack is nested in the server's
        process = "query workers" if processes and "query_exec" in processes[-1] else "server"
        frames = [f for f in frames if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        samples += n
        leaf = _short(frames[-1])
        if leaf.split(" (")[0] in WAITS:
            process += " (waiting)"
        else:
            busy[leaf] += n
        by_process[process] += n
        self_counts[leaf] += n
        for f in set(_short(f) for f in frames):
            total_counts[f] += n
    share = (lambda c: round(100 * c / samples, 1)) if samples else (lambda c: 0.0)
    return {"samples": samples, "by_process": {k: share(v) for k, v in by_process.items()},
            "self": [(f, share(c)) for f, c in self_counts.most_common(top)],
            "busy": [(f, share(c)) for f, c in busy.most_common(top)],
            "total": [(f, share(c)) for f, c in total_counts.most_common(top * 2)]}
