"""URL names follow one style, hyphens (DESIGN.md), so nobody has to remember which app uses which."""

from django.urls import URLPattern, URLResolver, get_resolver

# Names that Django and the libraries choose, not us.
NOT_OURS = {"admin", "oidc_authentication_init", "oidc_authentication_callback", "oidc_logout"}


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in NOT_OURS:
                continue
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name and p.name not in NOT_OURS:
            yield f"{namespace}{p.name}"


def test_every_url_name_of_ours_uses_hyphens():
    names = list(_names(get_resolver().url_patterns))
    assert "maturity:appendix-c" in names
    assert [n for n in names if "_" in n] == []
