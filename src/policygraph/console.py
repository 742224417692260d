"""What the command line shows on a terminal: progress on stderr and tables on stdout, through rich.

Colour and animation only on a terminal (rich also honours ``NO_COLOR``); in a pipe or CI the
progress is silent and tables are plain aligned text, so output stays stable for scripts.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table


@contextmanager
def progress() -> Iterator[Progress]:
    """A progress display on stderr when it is a terminal (``add_task``/``advance``); silent otherwise."""
    console = Console(stderr=True)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal) as bar:
        yield bar


@contextmanager
def status(message: str) -> Iterator[None]:
    """A spinner with ``message`` on stderr while a step of unknown length runs (terminal only)."""
    console = Console(stderr=True)
    if not console.is_terminal:
        yield
        return
    with console.status(message):
        yield


def print_table(columns: Sequence[str], rows: Sequence[Sequence[str]], caption: str | None = None) -> None:
    """A table on stdout: rich's on a terminal, plain aligned columns elsewhere."""
    console = Console()
    if console.is_terminal:
        table = Table(*columns, caption=caption, show_lines=False)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        return
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    if caption:
        print(caption)
