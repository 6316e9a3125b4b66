from django.urls import path

from renkei.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/requests/", views.request_list, name="requests"),
    path("privacy/requests/new/", views.request_new, name="request_new"),
    path("privacy/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("privacy/requests/<int:pk>/contacts/", views.request_link, name="request_link"),
    path("privacy/requests/<int:pk>/export/", views.request_export, name="request_export"),
    path("privacy/requests/<int:pk>/stop-use/", views.request_stop_use, name="request_stop_use"),
    path("privacy/requests/<int:pk>/erase/", views.request_erase, name="request_erase"),
    path("privacy/seen-again/<int:pk>/review/", views.hit_review, name="hit_review"),
    path("privacy/notice/", views.notices, name="notices"),
    # Public: the privacy notice forms link to.
    path("p/privacy/", views.public_notice, name="public_notice"),
    path("p/privacy/v<int:version>/", views.public_notice, name="public_notice_version"),
]
