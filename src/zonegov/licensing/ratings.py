"""Licensing is a rated service of core's 好差评 (``core.ratings``): a finished
application (已办结 — issued, cancelled — or 不予许可) can be rated by its applicant."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.ratings import RatedCase, register_rated_service
from zonegov.licensing.models import Application, AppState

SERVICE_KEY = "licensing"
RATED_STATES = (AppState.ISSUED, AppState.REJECTED)


def resolve(reference: str) -> RatedCase | None:
    app = Application.objects.select_related("unit").filter(reference=reference).first()
    if app is None:
        return None
    done = app.state in RATED_STATES
    return RatedCase(
        reference=app.reference,
        title=app.case_title(),
        unit=app.unit,
        applicant_id=app.applicant_id,
        completed_at=(app.closed_at or app.decided_at) if done else None,
        url=app.get_absolute_url(),
    )


def register() -> None:
    register_rated_service(SERVICE_KEY, _("食品经营许可"), resolve)
