from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from zonegov.core.services.audit import audit_append


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    audit_append(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_append(actor=user, action="auth.logout", obj=user)
