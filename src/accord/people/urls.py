from django.urls import path

from accord.people import views

app_name = "people"

urlpatterns = [
    path("home/", views.home, name="home"),
    path("me/profile/", views.profile, name="profile"),
    path("me/consents/", views.consents, name="consents"),
    path("me/consents/<str:purpose>/", views.toggle_consent, name="toggle_consent"),
    path("me/consents/partners/<slug:slug>/", views.partner_consent, name="partner_consent"),
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.start_group, name="start_group"),
    path("groups/<slug:slug>/", views.group_detail, name="group"),
    path("groups/<slug:slug>/edit/", views.edit_group, name="edit_group"),
    path("groups/<slug:slug>/archive/", views.archive_group, name="archive_group"),
    path("groups/<slug:slug>/merge/", views.merge_group, name="merge_group"),
    path("groups/<slug:slug>/roles/", views.set_group_role, name="set_group_role"),
    path("groups/<slug:slug>/join/", views.join_group, name="join_group"),
    path("groups/<slug:slug>/leave/", views.leave_group, name="leave_group"),
    path("members/", views.members, name="members"),
    path("members/export.csv", views.members_export, name="members_export"),
    path("members/<str:pseudonym>/", views.member_detail, name="member"),
    path("members/<str:pseudonym>/role/", views.set_site_role, name="set_site_role"),
    path("leadership/", views.leadership, name="leadership"),
    path("leadership/terms/", views.record_term, name="record_term"),
    path("me/receipts/", views.receipts, name="receipts"),
    path("me/receipts/bundle.json", views.receipt_bundle, name="receipt_bundle"),
    path("me/erase/", views.erase_me, name="erase_me"),
    path("members/<str:pseudonym>/erase/", views.erase_member, name="erase_member"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
    path("audit/ledger.jsonl", views.auditor_export, name="auditor_export"),
]
