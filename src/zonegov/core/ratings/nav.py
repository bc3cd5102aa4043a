from django.utils.translation import gettext_lazy as _

from zonegov.core.modules import NavEntry, register

register(NavEntry("ratings", _("好差评"), "ratings:list", order=60))
