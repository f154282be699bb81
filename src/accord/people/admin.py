from django.contrib import admin

from accord.people.admin_site import StewardAdmin, StewardInline
from accord.people.models import (
    AccessToken,
    Consent,
    ConsentEvent,
    Group,
    LeadershipTerm,
    Member,
    Membership,
)


class MembershipInline(StewardInline):
    model = Membership


@admin.register(Member)
class MemberAdmin(StewardAdmin):
    list_display = ["display_name", "pseudonym", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["display_name", "pseudonym", "user__email"]


@admin.register(Group)
class GroupAdmin(StewardAdmin):
    list_display = ["name", "kind", "parent", "term_limit"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(StewardAdmin):
    list_display = ["group", "member", "role", "start", "end"]
    list_filter = ["role"]


@admin.register(Consent)
class ConsentAdmin(StewardAdmin):
    list_display = ["member", "purpose", "granted", "updated_at"]
    list_filter = ["purpose", "granted"]


@admin.register(ConsentEvent)
class ConsentEventAdmin(StewardAdmin):
    list_display = ["member", "purpose", "granted", "at", "source"]
    list_filter = ["purpose", "source"]


@admin.register(AccessToken)
class AccessTokenAdmin(StewardAdmin):
    list_display = ["name", "member", "prefix", "created_at", "revoked_at"]
    exclude = ["digest"]
