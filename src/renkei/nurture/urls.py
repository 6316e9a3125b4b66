"""URLs of the nurture app: public email endpoints (/e/) and the email pages (/email/)."""

from __future__ import annotations

from django.urls import path

from renkei.nurture import webhooks
from renkei.nurture.views import pages, public, sequences

app_name = "nurture"

urlpatterns = [
    path("e/o/<str:token>.gif", public.open_pixel, name="open"),
    path("e/c/<str:token>/", public.click, name="click"),
    path("e/u/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("e/hooks/<slug:provider>/", webhooks.receive, name="webhook"),
]

urlpatterns += [
    path("email/", pages.send_list, name="sends"),
    path("email/sends/new/", pages.send_new, name="send_new"),
    path("email/sends/<int:pk>/", pages.send_detail, name="send_detail"),
    path("email/sends/<int:pk>/cancel/", pages.send_cancel, name="send_cancel"),
    path("email/templates/", pages.template_list, name="templates"),
    path("email/templates/new/", pages.template_new, name="template_new"),
    path("email/templates/<int:pk>/", pages.template_detail, name="template_detail"),
    path("email/templates/<int:pk>/edit/", pages.template_edit, name="template_edit"),
    path("email/templates/<int:pk>/test/", pages.template_test, name="template_test"),
    path("email/suppressions/", pages.suppression_list, name="suppressions"),
    path(
        "email/suppressions/<int:pk>/remove/", pages.suppression_remove, name="suppression_remove"
    ),
    path("email/exceptions/", pages.exception_list, name="exceptions"),
    path("email/sender/", pages.sender_identity, name="sender"),
    path("email/sequences/", sequences.sequence_list, name="sequences"),
    path("email/sequences/new/", sequences.sequence_new, name="sequence_new"),
    path("email/sequences/<int:pk>/", sequences.sequence_detail, name="sequence_detail"),
    path("email/sequences/<int:pk>/edit/", sequences.sequence_edit, name="sequence_edit"),
    path("email/sequences/<int:pk>/run/", sequences.sequence_toggle, name="sequence_toggle"),
]
