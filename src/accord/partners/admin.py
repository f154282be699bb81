from django.contrib import admin

from accord.partners.models import Partner, Representative
from accord.people.admin_site import StewardAdmin


@admin.register(Partner)
class PartnerAdmin(StewardAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]


@admin.register(Representative)
class RepresentativeAdmin(StewardAdmin):
    list_display = ["member", "partner", "since"]
