from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "zonegov.supervision"
    label = "supervision"
    verbose_name = _("监管抽检")

    def ready(self) -> None:
        from zonegov.core.attachments_rules import register_attachment_owner
        from zonegov.core.modules import NavEntry, register
        from zonegov.core.topics import subscribe
        from zonegov.supervision import roles  # noqa: F401  (declares the module's roles)
        from zonegov.supervision.models import FollowUp, Inspection, Sampling
        from zonegov.supervision.outbox_consumers import DESTINATION
        from zonegov.supervision.rules import SUPERVISION_ROLES
        from zonegov.supervision.services import TOPICS

        # Site photos of inspections, laboratory reports of samplings, evidence of 核查处置;
        # each record's change_* rule says who adds them, its is_open when they freeze.
        register_attachment_owner(Inspection, change_perm="supervision.change_inspection")
        register_attachment_owner(Sampling, change_perm="supervision.change_sampling")
        register_attachment_owner(FollowUp, change_perm="supervision.change_followup")

        # 监督检查结果告知书 / 责令整改通知书 at /api/documents/{number}/pdf.
        from zonegov.core.rules import register_document_reader
        from zonegov.supervision.instruments import may_read_inspection_document

        register_document_reader("supervision.inspection", may_read_inspection_document)

        # 审 → 监: licence messages come to the supervision side (its in-platform consumer
        # and, when configured, the external supervision system's webhook) unless
        # settings.ZONEGOV_OUTBOX_SUBSCRIPTIONS routes them elsewhere.
        for topic in TOPICS:
            subscribe(topic, DESTINATION)

        register(
            NavEntry(
                "supervision",
                _("监管抽检"),
                "supervision:home",
                roles=SUPERVISION_ROLES,
                order=17,
            )
        )
