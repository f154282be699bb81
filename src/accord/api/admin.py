from django.contrib import admin

from accord.api.models import AccessToken
from accord.people.admin_site import ReadOnlyAdmin


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "member", "prefix", "created_at", "revoked_at"]
    exclude = ["digest"]
