"""The API's pages: the service's one-query pages (risks.pagination.get_page), so that a list
costs the same queries at any size. A page past the end gives the last page, as on the pages;
a page or page size that is no whole number in range is refused (400), with a message."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from risks.pagination import get_page

MAX_PAGE_SIZE = 200


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        number = _whole(request, "page", 1, 2**31, 1)
        size = _whole(request, "page_size", 1, MAX_PAGE_SIZE, self.page_size)
        self.page = get_page(queryset, number, size)
        return list(self.page.object_list)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "in": "query", "required": False,
             "description": "Which page (past the last: the last).",
             "schema": {"type": "integer", "minimum": 1, "maximum": 2**31}},
            {"name": "page_size", "in": "query", "required": False,
             "description": f"Rows a page, up to {MAX_PAGE_SIZE} (default {self.page_size}).",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}},
        ]

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "page": self.page.number,
            "pages": self.page.paginator.num_pages,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "page", "pages", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 11},
                "page": {"type": "integer", "example": 1},
                "pages": {"type": "integer", "example": 1},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }


def _whole(request, name: str, low: int, high: int, default: int) -> int:
    values = request.query_params.getlist(name)
    if not values:
        return default
    raw = values[-1]
    if len(values) > 1 or not (raw.isascii() and raw.isdigit() and len(raw) < 12) or not (
        low <= int(raw) <= high
    ):
        raise ValidationError({name: [f"Give {name} once, as a whole number from {low} to {high}."]})
    return int(raw)
