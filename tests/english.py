"""Import `make_user` from here in a test module whose assertions read English:
the people it makes read the interface in English."""

import pytest


@pytest.fixture
def make_user(make_user):
    def factory(*args, **kwargs):
        kwargs.setdefault("language", "en")
        return make_user(*args, **kwargs)

    return factory
