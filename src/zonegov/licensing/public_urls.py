"""Public announcement (公示) URLs — no login; mounted at the site root."""

from django.urls import path

from zonegov.licensing.public_views import NoticeAtomFeed, NoticeRssFeed, notice_list

urlpatterns = [
    path("gongshi/", notice_list, name="gongshi"),
    path("gongshi/rss/", NoticeRssFeed(), name="gongshi_rss"),
    path("gongshi/atom/", NoticeAtomFeed(), name="gongshi_atom"),
]
