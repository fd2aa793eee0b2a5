"""Every refusal of the API has one shape: {"detail": what went wrong, in words; "code": a
word a script can test; "errors": field to messages, when the data was not valid}."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _messages(v)]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def handle(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        data = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {str(k): _messages(v) for k, v in data.items()}
        first = next(iter(errors.values()), ["The request is not valid."])
        response.data = {"detail": first[0] if len(errors) == 1 else
                         "The request is not valid: see errors.", "code": "invalid",
                         "errors": errors}
    else:
        # Django's Http404 and PermissionDenied arrive here converted: read what was sent.
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    return response


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False)
    missing = serializers.DictField(child=serializers.CharField(), required=False,
                                    help_text="What the update still lacks before submission.")
    current_version = serializers.IntegerField(
        required=False, help_text="The version stored now, when yours was stale."
    )


DESCRIPTIONS = {
    400: "Not valid: nothing was written (errors and missing say why).",
    401: "No token, or a revoked or unknown one.",
    403: "You may read this but not do that (or your token may only read).",
    404: "Not found, or outside what you may read.",
    409: "Changed by someone else since you read it (a stale version), or it can no longer "
         "change (its state, or its quarter is closed): nothing was written.",
}


def responses(*codes: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer, description=DESCRIPTIONS[code])
            for code in codes}
