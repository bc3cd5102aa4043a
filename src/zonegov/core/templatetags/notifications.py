"""``{% unread_notifications_count %}`` (or ``… as n``): the current user's unread
notifications, for the badge in the navigation bar."""

from django import template

from zonegov.core.selectors.notifications import unread_notification_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context: template.Context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return unread_notification_count(user)
