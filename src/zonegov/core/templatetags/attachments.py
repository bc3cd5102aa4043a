"""``{% attachments_for owner as items %}``: the attachments panel of a record for the
user of the current request (rows to iterate, ``items.can_add``, ``items.upload_url``)."""

from typing import Any

from django import template

from zonegov.core.selectors.attachments import AttachmentPanel, attachment_panel_for
from zonegov.core.views.attachments import pending_label_key

register = template.Library()


@register.simple_tag(takes_context=True)
def attachments_for(context: template.Context, owner: Any) -> AttachmentPanel:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    panel = attachment_panel_for(user, owner)
    if panel.can_add and request is not None and hasattr(request, "session"):
        # A label typed before a refused upload comes back (views.attachments keeps it).
        key = pending_label_key(panel.owner_type_id, str(owner.pk))
        panel.pending_label = request.session.pop(key, "")
    return panel
