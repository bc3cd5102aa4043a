from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_applicant(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not user.is_staff_member


class LicensingConfig(AppConfig):
    name = "zonegov.licensing"
    label = "licensing"
    verbose_name = _("食品经营许可")

    def ready(self) -> None:
        from zonegov.core.attachments_rules import register_attachment_owner
        from zonegov.core.identity.base import register_matter
        from zonegov.core.modules import NavEntry, register
        from zonegov.core.rules import register_document_reader
        from zonegov.licensing import guide, kinds, roles, tasks, topics  # noqa: F401
        from zonegov.licensing.conf import identity_matter
        from zonegov.licensing.models import Application
        from zonegov.licensing.rules import WORKBENCH_ROLES, application_takes_files
        from zonegov.licensing.selectors import LIBRARY_ROLES, may_open_certificate

        # /api/documents/{number}/pdf of a certificate answers like the certificate page.
        register_document_reader("licensing.licence", may_open_certificate)
        # The case's formal documents (受理通知书, 补正告知书, …) answer like the case page:
        # its applicant and the staff who may open it; others get 404.
        register_document_reader(
            "licensing.application",
            lambda user, app: user.has_perm("licensing.view_application", app),
        )
        from zonegov.core.document_kinds import register_document_kind

        for kind in kinds.KINDS.values():  # certificates are issued as kind food_<code>
            register_document_kind(f"food_{kind.code}", _("电子证照"))

        # The capture guide's site photos and videos: the applicant's, while editable.
        register_attachment_owner(
            Application,
            change_perm="licensing.change_application",
            is_open=application_takes_files,
            closed_message=_("申请已提交，照片和视频不能再更改；退回补正时可重新上传。"),
        )

        from zonegov.core.selectors.workflow import register_work_scope
        from zonegov.licensing.selectors import inspection_work_scope

        # 我的工作 of inspectors: cases waiting for inspection by their unit.
        register_work_scope(inspection_work_scope)

        register_matter(identity_matter(), _("食品经营许可和备案"))
        from zonegov.licensing import disclosure

        disclosure.register()  # 公示: the 行政许可 category of core.disclosure
        from zonegov.licensing import ratings

        ratings.register()  # 好差评: finished applications are rated (core.ratings)
        register(
            NavEntry(
                "licensing_mine",
                _("我的申请"),
                "licensing:my_applications",
                staff_only=False,
                order=5,
                visible=_is_applicant,
            )
        )
        register(
            NavEntry(
                "licensing_workbench",
                _("许可审批"),
                "licensing:workbench",
                roles=WORKBENCH_ROLES,
                order=15,
            )
        )
        register(
            NavEntry(
                "licensing_library",
                _("电子证照库"),
                "licensing:library",
                roles=LIBRARY_ROLES,
                order=16,
            )
        )
