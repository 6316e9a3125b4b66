"""URLs of the web import (/imports/)."""

from __future__ import annotations

from django.urls import path

from renkei.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.job_list, name="jobs"),
    path("imports/new/", views.job_new, name="job_new"),
    path("imports/new/<slug:token>/", views.job_columns, name="job_columns"),
    path("imports/new/<slug:token>/reread/", views.job_reread, name="job_reread"),
    path("imports/<int:pk>/", views.job_detail, name="job_detail"),
    path("imports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("imports/<int:pk>/run/", views.job_run, name="job_run"),
    path("imports/<int:pk>/report.csv", views.job_report, name="job_report"),
    path("imports/mappings/", views.mapping_list, name="job_mappings"),
    path("imports/mappings/<int:pk>/edit/", views.mapping_edit, name="job_mapping_edit"),
    path("imports/mappings/<int:pk>/delete/", views.mapping_delete, name="job_mapping_delete"),
]
