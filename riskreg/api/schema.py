"""The schema says what every operation may answer: its refusals too, each in the one shape
of riskreg.api.errors, so that a client (and the schema tests) can rely on them."""

from drf_spectacular.openapi import AutoSchema

from .errors import responses

READ_ERRORS = (400, 401, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409)


class Schema(AutoSchema):
    def get_response_serializers(self):
        found = super().get_response_serializers()
        if not isinstance(found, dict):
            found = {200: found}
        codes = WRITE_ERRORS if self.method == "POST" else READ_ERRORS
        return {**responses(*codes), **found}
