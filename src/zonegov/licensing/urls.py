from zonegov.licensing.views import urlpatterns  # noqa: F401

app_name = "licensing"
