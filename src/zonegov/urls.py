from django.contrib import admin
from django.urls import include, path

from zonegov.api import api

admin.site.site_header = "zonegov 后台管理"
admin.site.site_title = "zonegov"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("licensing/", include("zonegov.licensing.urls")),
    path("", include("zonegov.core.disclosure.urls")),
    path("supervision/", include("zonegov.supervision.urls")),
    path("dashboard/", include("zonegov.dashboard.urls")),
    path("", include("zonegov.core.urls")),
]
