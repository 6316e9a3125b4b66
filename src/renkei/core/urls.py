from django.urls import path

from renkei.core import views

app_name = "core"

urlpatterns = [
    path("settings/", views.organisation_settings, name="settings"),
    path("settings/closed-days/", views.closed_day_add, name="closed_day_add"),
    path(
        "settings/closed-days/<int:pk>/remove/", views.closed_day_remove, name="closed_day_remove"
    ),
]
