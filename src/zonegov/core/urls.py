from zonegov.core.views import (
    assignments,
    attachments,
    audit,
    auth,
    enterprises,
    home,
    identity,
    notifications,
    org,
    outbox,
    tokens,
    verify,
)

urlpatterns = [
    *auth.urlpatterns,
    *home.urlpatterns,
    *identity.urlpatterns,
    *org.urlpatterns,
    *assignments.urlpatterns,
    *enterprises.urlpatterns,
    *attachments.urlpatterns,
    *verify.urlpatterns,
    *audit.urlpatterns,
    *outbox.urlpatterns,
    *notifications.urlpatterns,
    *tokens.urlpatterns,
]
