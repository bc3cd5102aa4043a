from django.conf import settings

from zonegov.core import modules


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_entries": modules.entries_for(user) if user is not None else [],
        "zone_name": settings.ZONEGOV_ZONE_NAME,
    }
