from django.urls import path

from accord.contributions import views

app_name = "contributions"

urlpatterns = [
    path("contributions/", views.mine, name="mine"),
    path("contributions/review/", views.queue, name="queue"),
    path("contributions/import/", views.import_csv, name="import"),
    path("contributions/<int:pk>/", views.detail, name="detail"),
    path("contributions/<int:pk>/review/", views.review, name="review"),
    path("contributions/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/publish/", views.publish, name="publish"),
    path("criteria.json", views.criteria_json, name="criteria_json"),
    path("criteria/v<int:version>.json", views.criteria_json, name="criteria_version_json"),
]
