from zonegov.core.api import (
    api_clients,
    assignments,
    attachments,
    audit,
    clients,
    documents,
    enterprises,
    me,
    notifications,
    org,
    outbox,
    work,
)

ROUTERS = [
    ("/me", me.router),
    ("/units", org.router),
    ("/work-items", work.router),
    ("/assignments", assignments.router),
    ("/enterprises", enterprises.router),
    ("/attachments", attachments.router),
    ("/documents", documents.router),
    ("/audit", audit.router),
    ("/outbox", outbox.router),
    ("/notifications", notifications.router),
    ("/client", clients.router),
    ("/api-clients", api_clients.router),
]
