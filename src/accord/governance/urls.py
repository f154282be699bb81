from django.urls import path

from accord.governance import views

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
]

# escalations
from accord.governance import escalation_views  # noqa: E402

urlpatterns += [
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
]
