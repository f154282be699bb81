from django.urls import path

from accord.governance import (
    calendar_views,
    documents_views,
    escalation_views,
    succession_views,
    views,
)

app_name = "governance"

urlpatterns = [
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/export.csv", views.decisions_csv, name="decisions_csv"),
    path("decisions/rights/", views.decision_rights, name="decision_rights"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("decisions/<int:decision_id>/vote/", views.vote, name="decision_vote"),
    path("decisions/<int:decision_id>/open/", views.open_decision, name="decision_open"),
    path("decisions/<int:decision_id>/close/", views.close_decision, name="decision_close"),
    path("decisions/<int:decision_id>/outcome/", views.record_outcome, name="decision_outcome"),
    path("decisions/<int:decision_id>/comments/", views.comment, name="decision_comment"),
    path("decisions/<int:decision_id>/carry-out/", views.carry_out, name="decision_carry_out"),
    # succession
    path("positions/", succession_views.positions, name="positions"),
    path("positions/<int:position_id>/", succession_views.position, name="position"),
    path("positions/<int:position_id>/terms/", succession_views.record_term, name="position_term"),
    path("positions/<int:position_id>/plan/", succession_views.plan_add, name="position_plan_add"),
    path(
        "positions/<int:position_id>/plan/<int:person_id>/remove/",
        succession_views.plan_remove,
        name="position_plan_remove",
    ),
    path(
        "positions/<int:position_id>/checklist/",
        succession_views.checklist_add,
        name="position_checklist_add",
    ),
    path(
        "positions/<int:position_id>/checklist/<int:item_id>/",
        succession_views.checklist_tick,
        name="position_checklist_tick",
    ),
    path(
        "positions/<int:position_id>/notes/",
        succession_views.transfer_notes,
        name="position_notes",
    ),
    path("calls/", succession_views.calls, name="calls"),
    path("calls/<int:call_id>/", succession_views.call, name="call"),
    path("calls/<int:call_id>/answer/", succession_views.answer, name="call_answer"),
    path("calls/<int:call_id>/withdraw/", succession_views.withdraw, name="call_withdraw"),
    path("calls/<int:call_id>/close/", succession_views.close_call, name="call_close"),
    path("memory/", succession_views.memory, name="memory"),
    path("memory/<int:entry_id>/hide/", succession_views.hide_memory, name="memory_hide"),
    # escalations
    path("concerns/", escalation_views.concerns, name="concerns"),
    path("concerns/queue/", escalation_views.concern_queue, name="concern_queue"),
    path("concerns/levels/", escalation_views.levels, name="escalation_levels"),
    path("concerns/statistics/", escalation_views.statistics, name="concern_stats"),
    path("concerns/statistics.csv", escalation_views.statistics_csv, name="concern_stats_csv"),
    path("concerns/<int:concern_id>/", escalation_views.concern, name="concern"),
    path(
        "concerns/<int:concern_id>/acknowledge/",
        escalation_views.acknowledge,
        name="concern_acknowledge",
    ),
    path(
        "concerns/<int:concern_id>/escalate/", escalation_views.escalate, name="concern_escalate"
    ),
    path("concerns/<int:concern_id>/resolve/", escalation_views.resolve, name="concern_resolve"),
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
    # living documents
    path("documents/", documents_views.document_list, name="documents"),
    path("documents/<slug:slug>/", documents_views.document, name="document"),
    path("documents/<slug:slug>/revise/", documents_views.revise, name="document_revise"),
    path("documents/<slug:slug>/propose/", documents_views.propose, name="document_propose"),
    path("documents/<slug:slug>/diff/", documents_views.diff, name="document_diff"),
    path(
        "documents/<slug:slug>/revisions/<int:number>/",
        documents_views.revision,
        name="document_revision",
    ),
    path(
        "documents/<slug:slug>/revisions/<int:number>/comments/",
        documents_views.comment,
        name="document_comment",
    ),
    path(
        "documents/<slug:slug>/proposals/<int:proposal_id>/",
        documents_views.proposal,
        name="document_proposal",
    ),
    path(
        "documents/<slug:slug>/proposals/<int:proposal_id>/accept/",
        documents_views.accept,
        name="document_accept",
    ),
    path(
        "documents/<slug:slug>/proposals/<int:proposal_id>/decline/",
        documents_views.decline,
        name="document_decline",
    ),
    path(
        "documents/<slug:slug>/proposals/<int:proposal_id>/decision/",
        documents_views.put_to_decision,
        name="document_decision",
    ),
    path(
        "documents/<slug:slug>/proposals/<int:proposal_id>/adopt/",
        documents_views.adopt,
        name="document_adopt",
    ),
]
