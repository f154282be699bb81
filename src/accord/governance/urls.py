from django.urls import path

from accord.governance import documents_views, views

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
