from django.contrib import admin
from django.urls import include, path

from renkei.api import api_urls

urlpatterns = [
    path("", include("renkei.web.urls")),
    path("", include("renkei.web.auth_urls")),
    path("", include("renkei.core.urls")),
    path("", include("renkei.marketing.urls")),
    path("", include("renkei.funnel.urls")),
    path("", include("renkei.analytics.urls")),
    path("", include("renkei.imports.urls")),
    path("", include("renkei.nurture.urls")),
    path("", include("renkei.privacy.urls")),
    path("", include("renkei.scoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]
