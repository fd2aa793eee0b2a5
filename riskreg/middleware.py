from django.utils.cache import add_never_cache_headers


def holds_no_register_data(view):
    """Marks a view whose responses hold no register data, so they keep their own caching."""
    view.holds_no_register_data = True
    return view


class NoStoreMiddleware:
    """Pages show register data: no browser or proxy may keep a copy. Static files and the
    views marked holds_no_register_data hold none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        marked = match is not None and getattr(match.func, "holds_no_register_data", False)
        if not request.path.startswith("/static/") and not marked:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
