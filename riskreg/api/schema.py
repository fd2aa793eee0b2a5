"""The schema says what every operation may answer: its refusals too, each in the one shape
of riskreg.api.errors, so that a client (and the schema tests) can rely on them."""

from drf_spectacular.openapi import AutoSchema

from .errors import responses

READ_ERRORS = (400, 401, 404)
WRITE_ERRORS = (400, 401, 403, 404, 409)


class Schema(AutoSchema):
    # Not get_response_serializers(): @extend_schema(responses=...) replaces that one.
    def _get_response_bodies(self, direction="response"):
        found = super()._get_response_bodies(direction)
        codes = WRITE_ERRORS if self.method == "POST" else READ_ERRORS
        errors = {
            str(code): self._get_response_for_code(response, str(code), direction=direction)
            for code, response in responses(*codes).items() if str(code) not in found
        }
        if self.method == "POST":
            errors["413"] = {
                "description": "The body is larger than the site accepts (REQUEST_BODY_MAX_BYTES).",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        return {**found, **errors}
