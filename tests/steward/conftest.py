"""Fixtures of the steward tests (helpers in steward_support.py)."""

from __future__ import annotations

import pytest

from steward_support import ALICE, BOB, start_steward_server, stop


@pytest.fixture(scope="session")
def steward_tokens() -> str:
    from policygraph.auth import hash_token

    return f"alice:{hash_token(ALICE)},bob:{hash_token(BOB)}"


@pytest.fixture(scope="session")
def steward_server(tmp_path_factory, steward_tokens):
    server = start_steward_server(tmp_path_factory.mktemp("steward"), steward_tokens)
    yield server
    stop(server.process)
