"""The site's URLs plus one view that fails, for the 500 page test."""

from django.urls import path

from zonegov.urls import handler500  # noqa: F401
from zonegov.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
