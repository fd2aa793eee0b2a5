"""The API's pages: the service's one-query pages (risks.pagination.get_page), so any value of
?page= gives a page, as on the pages, and a list costs the same queries at any size."""

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
        self.page = get_page(queryset, request.query_params.get("page"),
                             self.get_page_size(request))
        return list(self.page.object_list)

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
