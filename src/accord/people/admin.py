from django.contrib import admin

from accord.people.admin_site import ReadOnlyAdmin, StewardAdmin
from accord.people.models import (
    AccessToken,
    Consent,
    ConsentEvent,
    Group,
    LeadershipTerm,
    Member,
    Membership,
)


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Member)
class MemberAdmin(StewardAdmin):
    list_display = ["display_name", "pseudonym", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["display_name", "pseudonym", "user__email"]
    readonly_fields = ["pseudonym", "role", "user"]


@admin.register(Group)
class GroupAdmin(StewardAdmin):
    list_display = ["name", "kind", "parent", "term_limit"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(LeadershipTerm)
class LeadershipTermAdmin(StewardAdmin):
    list_display = ["group", "member", "role", "start", "end"]
    list_filter = ["role"]
    raw_id_fields = ["member"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["member", "purpose", "granted", "updated_at"]
    list_filter = ["purpose", "granted"]


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin):
    list_display = ["member", "purpose", "granted", "at", "source"]
    list_filter = ["purpose", "source"]


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "member", "prefix", "created_at", "revoked_at"]
    exclude = ["digest"]
