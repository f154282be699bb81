"""One place that decides between a whole page and an htmx fragment of it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render `template`, or only its `{% partialdef fragment %}` for an htmx request."""
    if fragment and getattr(request, "htmx", False):
        template = f"{template}#{fragment}"
    return render(request, template, context, status=status)
