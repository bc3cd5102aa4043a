"""Public announcement (公示) URLs — no login; mounted at the site root."""

from django.urls import path

from zonegov.core.ratelimit import public_rate_limit
from zonegov.licensing.public_views import NoticeAtomFeed, NoticeRssFeed, notice_list

urlpatterns = [
    path("gongshi/", public_rate_limit("notices")(notice_list), name="gongshi"),
    path("gongshi/rss/", public_rate_limit("notices")(NoticeRssFeed()), name="gongshi_rss"),
    path("gongshi/atom/", public_rate_limit("notices")(NoticeAtomFeed()), name="gongshi_atom"),
]
