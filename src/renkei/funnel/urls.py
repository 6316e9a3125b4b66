"""Pages of the funnel app: the lead agreement."""

from __future__ import annotations

from django.urls import path

from renkei.funnel import views

app_name = "funnel"

urlpatterns = [
    path("agreement/", views.agreement_list, name="agreements"),
    path("agreement/new/", views.agreement_new, name="agreement_new"),
    path("agreement/v<int:version>/", views.agreement_detail, name="agreement_detail"),
    path("agreement/v<int:version>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreement/v<int:version>/approve/", views.agreement_approve, name="agreement_approve"),
]
