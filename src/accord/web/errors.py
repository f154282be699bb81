"""One error body for the whole API: `{"detail": "...", "code": "..."}`."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accord.domain.errors import DomainError
from accord.web.inputs import size_text

ERRORS_SHOWN = 10  # an input with thousands of mistakes gets a detail naming the first ten


class Error(Schema):
    detail: str
    code: str


def _validation_detail(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:ERRORS_SHOWN]:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query", "path")]
        where = ".".join(loc)
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", ""))
    return "; ".join(parts) or "Invalid input."


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
}


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, detail: str, code: str, status: int) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "code": code}, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.detail, exc.code, exc.status)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return respond(request, _validation_detail(exc.errors), "invalid", 422)

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            "Sign in, or send a personal access token as a Bearer token.",
            "unauthenticated",
            401,
        )

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, str(exc) or "You may not do this.", "forbidden", 403)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        most = size_text(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        detail = f"The request body is larger than the {most} the API takes."
        return respond(request, detail, "too_large", 413)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, str(exc) or "Not found.", "not_found", 404)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        return respond(request, str(exc), _HTTP_CODES.get(status, "error"), status)
