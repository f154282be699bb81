from django.urls import path

from accord.governance import views

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
]
