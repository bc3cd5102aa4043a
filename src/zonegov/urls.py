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
    path("ratings/", include("zonegov.core.ratings.urls")),
    path("", include("zonegov.core.urls")),
]

# Error pages under DEBUG off (core/views/errors.py); 403 and 404 use Django's views with
# templates/403.html and 404.html.
handler500 = "zonegov.core.views.errors.server_error"
