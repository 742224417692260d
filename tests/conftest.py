import pytest

from policygraph.model.dataset import load_dataset


@pytest.fixture(scope="session")
def dataset():
    """The whole shipped dataset, parsed once per test session."""
    return load_dataset()
