from django.urls import path

from accord.governance import calendar_views, views

app_name = "governance"

urlpatterns = [
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/export.csv", views.decisions_csv, name="decisions_csv"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("decisions/<int:decision_id>/vote/", views.vote, name="decision_vote"),
    path("decisions/<int:decision_id>/open/", views.open_decision, name="decision_open"),
    path("decisions/<int:decision_id>/close/", views.close_decision, name="decision_close"),
    path("decisions/<int:decision_id>/outcome/", views.record_outcome, name="decision_outcome"),
    path("decisions/<int:decision_id>/comments/", views.comment, name="decision_comment"),
    # the calendar
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar.ics", calendar_views.public_feed, name="calendar_ics"),
    path("calendar/groups/<slug:slug>.ics", calendar_views.group_feed, name="calendar_group_ics"),
    path(
        "calendar/private/<str:secret>.ics",
        calendar_views.private_feed,
        name="calendar_private_ics",
    ),
    path("calendar/events/new/", calendar_views.new_event, name="calendar_new"),
    path("calendar/events/<int:event_id>/", calendar_views.event, name="calendar_event"),
    path("calendar/events/<int:event_id>/edit/", calendar_views.edit_event, name="calendar_edit"),
    path(
        "calendar/events/<int:event_id>/cancel/",
        calendar_views.cancel_event,
        name="calendar_cancel",
    ),
    path("calendar/feeds/", calendar_views.feed_links, name="calendar_feeds"),
    path(
        "calendar/feeds/<int:token_id>/revoke/",
        calendar_views.revoke_feed_link,
        name="calendar_feed_revoke",
    ),
]
