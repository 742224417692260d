"""Fixtures of the steward tests (helpers in steward_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from steward_support import ALICE, BOB, preload_shipped, start_steward_server, stop


@pytest.fixture(scope="session")
def steward_tokens() -> str:
    from policygraph.steward.tokens import hash_token

    return f"alice:{hash_token(ALICE)},bob:{hash_token(BOB)}"


@pytest.fixture(scope="session")
def steward_server(tmp_path_factory, steward_tokens):
    server = start_steward_server(tmp_path_factory.mktemp("steward"), steward_tokens)
    yield server
    stop(server.process)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A closed store with the shipped data, copied for each server (RocksDB folders copy when closed)."""
    path = tmp_path_factory.mktemp("template") / "store"
    preload_shipped(path)
    return path
