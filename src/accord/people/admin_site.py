"""The admin site is for stewards: their site role, not Django's permission tables, decides."""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accord.people import permissions
from accord.people.models import Member


def is_steward_request(request: HttpRequest) -> bool:
    user = request.user
    if not (user.is_active and user.is_authenticated):
        return False
    return permissions.is_steward(Member.objects.filter(user=user).first())


class StewardAdminSite(admin.AdminSite):
    site_header = "Accord administration"
    site_title = "Accord admin"
    index_title = "Stewards' tools"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_steward_request(request)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Stewards sign in where everyone does: allauth's form, with its rate limits and
        lockout (Django's own admin form has neither)."""
        return secure_admin_login(super().login)(request, extra_context)  # type: ignore[no-any-return]


class StewardAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """What stewards see in the admin: everything their role needs, read-only. Every change
    goes through a service, from the pages, the API or the command line, so that its rules
    hold and its ledger entry is written; the admin writes nothing."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_steward_request(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_steward_request(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StewardInline(admin.TabularInline):  # type: ignore[type-arg]
    """Related rows shown on a steward's read-only admin page."""

    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_steward_request(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
