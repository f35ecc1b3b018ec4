"""Fixtures for the Flask test client tests."""

import pytest

from tests.conftest import make_user, sign_in


@pytest.fixture
def learner(client, app):
    """A learner, signed in on the test client."""
    user = make_user("learner", email="lena@example.org")
    sign_in(client, "lena@example.org")
    return user
