"""The admin site is for stewards: their site role, not Django's permission tables, decides."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accord.people.models import Member, SiteRole


def is_steward_request(request: HttpRequest) -> bool:
    user = request.user
    if not (user.is_active and user.is_authenticated):
        return False
    return Member.objects.filter(user=user, role=SiteRole.STEWARD).exists()


class StewardAdminSite(admin.AdminSite):
    site_header = "Accord administration"
    site_title = "Accord admin"
    index_title = "Stewards' tools"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_steward_request(request)


class StewardAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Stewards may view, add and change; subclasses narrow this."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_steward_request(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_steward_request(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_steward_request(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_steward_request(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(StewardAdmin):
    """Records that only the member or the system writes (consent, tokens)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
