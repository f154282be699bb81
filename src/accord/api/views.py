"""The web page where a member creates and revokes personal access tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from accord.api import services
from accord.api.models import AccessToken
from accord.domain.errors import DomainError
from accord.people.services import ensure_member
from accord.web.rendering import render_page


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    member = ensure_member(request.user)  # type: ignore[arg-type]
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        try:
            new = services.create_token(member, name=request.POST.get("name", ""))
        except DomainError as exc:
            context["error"] = exc.detail
            status = 422
        else:
            context["new_secret"] = new.secret
            context["new_name"] = new.token.name
            status = 201
    context["tokens"] = AccessToken.objects.filter(member=member)
    return render_page(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_token(ensure_member(request.user), token_id)  # type: ignore[arg-type]
        messages.success(request, f"Token “{token.name}” is revoked.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("tokens:list")
