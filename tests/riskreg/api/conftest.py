"""Clients of the API: a person's token, sent as the Authorization header."""

import pytest
from django.test import Client

from riskreg.api.models import ApiToken, Scope


class TokenClient(Client):
    def __init__(self, raw: str, **kwargs):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {raw}", **kwargs)

    def post_json(self, path, data):
        return self.post(path, data, content_type="application/json")


def token_client(user, scope=Scope.UPDATE) -> TokenClient:
    _, raw = ApiToken.issue(user=user, name="test", scope=scope)
    return TokenClient(raw)


@pytest.fixture
def api_as():
    return token_client
