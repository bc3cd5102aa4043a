"""Public disclosure (公示) URLs — no login; mounted at the site root.

/gongshi/ (and its feeds) shows the default category, /gongshi/<category>/ any
registered one; ``rss`` and ``atom`` are not category keys (registry.RESERVED_KEYS)."""

from django.urls import path

from zonegov.core.disclosure.views import DisclosureAtomFeed, DisclosureRssFeed, disclosure_list
from zonegov.core.ratelimit import public_rate_limit

limited = public_rate_limit("notices")

urlpatterns = [
    path("gongshi/", limited(disclosure_list), name="gongshi"),
    path("gongshi/rss/", limited(DisclosureRssFeed()), name="gongshi_rss"),
    path("gongshi/atom/", limited(DisclosureAtomFeed()), name="gongshi_atom"),
    path("gongshi/<slug:category>/", limited(disclosure_list), name="gongshi_category"),
    path(
        "gongshi/<slug:category>/rss/",
        limited(DisclosureRssFeed()),
        name="gongshi_category_rss",
    ),
    path(
        "gongshi/<slug:category>/atom/",
        limited(DisclosureAtomFeed()),
        name="gongshi_category_atom",
    ),
]
