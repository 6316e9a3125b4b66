"""URLs of the rule-set pages (/scoring/)."""

from __future__ import annotations

from django.urls import path

from renkei.scoring import views

app_name = "scoring"

urlpatterns = [
    path("scoring/rules/", views.rule_set_list, name="rule_sets"),
    path("scoring/rules/new/", views.rule_set_new, name="rule_set_new"),
    path("scoring/rules/rescore/", views.rescore_all, name="rescore_all"),
    path("scoring/rules/<int:pk>/", views.rule_set_detail, name="rule_set_detail"),
    path("scoring/rules/<int:pk>/settings/", views.rule_set_settings, name="rule_set_settings"),
    path("scoring/rules/<int:pk>/activate/", views.rule_set_activate, name="rule_set_activate"),
    path("scoring/rules/<int:pk>/delete/", views.rule_set_delete, name="rule_set_delete"),
    path("scoring/rules/<int:pk>/rules/<str:kind>/", views.rule_add, name="rule_add"),
    path(
        "scoring/rules/<int:pk>/rules/<int:rule_id>/remove/",
        views.rule_remove,
        name="rule_remove",
    ),
]
