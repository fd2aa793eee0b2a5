"""Fixtures of the risks tests; those every package shares are in tests/conftest.py."""

import pytest


@pytest.fixture
def planner_client(client, seed, planner):
    """The seed, and a client signed in as the team: for reading the register page."""
    client.force_login(planner)
    return client
