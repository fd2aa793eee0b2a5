"""The deployment gaps of issue #15 (finding 7), closed in the application.

A plain-HTTP health check is answered, not redirected; a request body over the limit is refused
before it is read; only GET, HEAD and POST reach a view; static files carry the security
headers; the proxy's HTTPS header is trusted only when a trusted proxy is configured.
"""

import io
import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from .addresses import path_for, patterns
from .conftest import client_for

ANY_OTHER_METHOD = ["OPTIONS", "TRACE", "PUT", "DELETE", "PATCH", "PROPFIND", "CONNECT", "FOO"]


# HTTPS redirect -------------------------------------------------------------------------------


def test_a_plain_http_health_check_is_answered_and_pages_are_redirected(db, settings):
    settings.SECURE_SSL_REDIRECT = True  # as with DEBUG off; read when the client's handler loads
    client = Client()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthzz").status_code == 301


# Request bodies -------------------------------------------------------------------------------


class CountingStream(io.BytesIO):
    """A request body that counts how much of it the application reads."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def _multipart(size: int) -> tuple[bytes, str]:
    boundary = "riskregboundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nalice\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a.bin\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("content", ["multipart", "urlencoded"])
def test_a_30_mb_anonymous_post_to_the_sign_in_page_is_refused_unread(db, content):
    if content == "multipart":
        body, content_type = _multipart(30 * 2**20)
    else:
        body, content_type = b"username=alice&password=" + b"x" * (30 * 2**20), (
            "application/x-www-form-urlencoded")
    stream = CountingStream(body)
    response = Client().generic(
        "POST", "/accounts/login/", b"", content_type,
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(len(body))},
    )
    assert response.status_code == 413
    assert stream.bytes_read == 0


def test_anonymous_requests_get_a_small_limit_signed_in_ones_a_larger(w):
    body = b"username=alice&password=" + b"x" * (settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES + 1)
    anonymous = client_for(w, "anonymous").post(
        "/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert anonymous.status_code == 413
    signed_in = client_for(w, "planner").post(
        "/accounts/logout/", body, content_type="application/x-www-form-urlencoded")
    assert signed_in.status_code == 302
    too_big = b"x=" + b"x" * settings.REQUEST_BODY_MAX_BYTES
    assert client_for(w, "planner").post(
        "/accounts/logout/", too_big, content_type="application/x-www-form-urlencoded"
    ).status_code == 413


def test_body_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_BODY_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 2000
    assert settings.ANONYMOUS_REQUEST_BODY_MAX_BYTES <= 64 * 1024


# Methods ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_only_get_head_and_post_reach_any_view(w, role):
    client = client_for(w, role)
    ran = []
    for key in patterns():
        path = path_for(key, w)
        for method in ANY_OTHER_METHOD:
            response = client.generic(method, path)
            if response.status_code != 405 or response["Allow"] != "GET, HEAD, POST":
                ran.append((key, method, response.status_code))
    assert ran == []


def test_head_still_works(w):
    assert client_for(w, "planner").head("/").status_code == 200


# Static files -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/static/css/riskreg.css", "/static/favicon.svg",
                                  "/static/vendor/htmx.min.js"])
def test_static_files_carry_the_security_headers(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "Access-Control-Allow-Origin" not in response


# Settings read from the environment -----------------------------------------------------------


PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "risk.example.org"}


def settings_with(monkeypatch, **env) -> dict:
    """riskreg/settings.py run afresh under `env` (the running settings are untouched)."""
    for name in ("TRUSTED_PROXY_COUNT", "REQUEST_BODY_MAX_BYTES", "DEBUG", "TESTING"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "riskreg" / "settings.py"))


def test_the_https_header_is_trusted_only_behind_a_trusted_proxy(monkeypatch):
    assert settings_with(monkeypatch, **PRODUCTION)["SECURE_PROXY_SSL_HEADER"] is None
    behind = settings_with(monkeypatch, **PRODUCTION, TRUSTED_PROXY_COUNT="1")
    assert behind["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert behind["TRUSTED_PROXY_COUNT"] == 1


@pytest.mark.parametrize(("name", "value"), [("TRUSTED_PROXY_COUNT", "-1"),
                                             ("TRUSTED_PROXY_COUNT", "one"),
                                             ("REQUEST_BODY_MAX_BYTES", "0"),
                                             ("REQUEST_BODY_MAX_BYTES", "lots")])
def test_bad_values_stop_start_up(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        settings_with(monkeypatch, **PRODUCTION, **{name: value})
