"""Licensing test fixtures: a throw-away PKI and MEDIA_ROOT, the licensing and inspection
units, inspectors, a food enterprise whose legal representative is the cast's applicant,
and helpers that build applications in any state."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import OTHER_VALID_ID, VALID_ID, VALID_USCC, make_unit, make_user
from tests.core import documents_fixtures
from tests.identity_helpers import submit_verified
from zonegov.core.models import Enterprise, Person
from zonegov.core.models.org import UnitKind
from zonegov.licensing import services
from zonegov.licensing.models import Application
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER

pki_dir = documents_fixtures.pki_dir

OTHER_USCC = "92410400MA9G0K2L3Y"  # replaced below by a computed valid code

JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9"
)
# An ISO base media file header with an MP4 brand, enough for the content sniffer.
MP4 = (
    b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    + b"\x00\x00\x00\x08free"
    + b"\x00\x00\x04\x08mdat"
    + bytes(1024)
)


def _uscc(base: str) -> str:
    from stdnum.cn import uscc

    return base + uscc.calc_check_digit(base)


@dataclass
class Lic:
    inspection: object
    inspector: object
    inspector2: object
    enterprise: Enterprise
    other_enterprise: Enterprise
    stranger_officer: object


@pytest.fixture(autouse=True)
def _licensing_settings(settings, pki_dir):
    settings.ZONEGOV_LICENSING_UNIT_CODE = "xzfw"
    settings.ZONEGOV_LICENSING_INSPECTION_UNIT_CODE = "scjg-test"
    settings.AXES_ENABLED = False
    return settings


@pytest.fixture
def lic(cast) -> Lic:
    person = Person.objects.create(name="张三", id_number=VALID_ID, mobile="13800000001")
    cast.applicant.person = person
    cast.applicant.save()
    other = Person.objects.create(name="李四", id_number=OTHER_VALID_ID, mobile="13800000002")
    cast.other_applicant.person = other
    cast.other_applicant.save()
    inspection = make_unit("市场监管分局", "scjg-test", UnitKind.DEPARTMENT, cast.zone)
    other_dept = make_unit("城乡建设局", "cxjs-test", UnitKind.DEPARTMENT, cast.zone)
    enterprise = Enterprise.objects.create(
        uscc=VALID_USCC,
        name="平顶山市测试餐饮管理有限公司",
        kind="llc",
        legal_representative="张三",
        registered_address="平顶山市高新区神马大道88号",
    )
    other_enterprise = Enterprise.objects.create(
        uscc=_uscc("92410400MA9G0K2L3"),
        name="高新区李四便利店",
        kind="individual",
        legal_representative="李四",
        registered_address="平顶山市高新区长安大道6号",
    )
    return Lic(
        inspection=inspection,
        inspector=make_user("inspector", inspection, INSPECTOR, full_name="核查员甲"),
        inspector2=make_user("inspector2", inspection, INSPECTOR, full_name="核查员乙"),
        enterprise=enterprise,
        other_enterprise=other_enterprise,
        stranger_officer=make_user(
            "stranger", other_dept, LICENSING_OFFICER, full_name="外单位审批员"
        ),
    )


CATERING_TICKS = {
    "subject_type": "2",
    "subject_qualifiers": [],
    "items": [{"code": "hot", "qualifiers": []}, {"code": "drinks", "qualifiers": []}],
    "premises": {
        "area": "le60",
        "tenure": "lease",
        "water": "public",
        "changing_room": "yes",
        "pest_control": "yes",
        "disinfection": "yes",
        "cold_storage": "yes",
        "warehouse": "none",
    },
    "declarations": True,
}

FILING_TICKS = {
    "subject_type": "2",
    "items": [{"code": "prepack", "qualifiers": []}],
    "premises": {"area": "le60", "tenure": "lease", "cold_storage": "na", "warehouse": "none"},
    "declarations": True,
}


def upload(app, actor, code: str, kind: str = "photo"):
    from zonegov.core.services.attachments import attachment_add

    data, name = (MP4, f"{code}.mp4") if kind == "video" else (JPEG, f"{code}.jpg")
    return attachment_add(
        actor=actor,
        owner=app,
        uploaded_file=SimpleUploadedFile(name, data),
        label=code,
        expected_kinds=[kind],
    )


def upload_guide(app, actor) -> None:
    for row in services.capture_guide(app):
        upload(app, actor, row.shot.code, row.shot.kind)


def draft(cast, kind="licence", ticks=None, **kwargs) -> Application:
    app = services.application_start(actor=cast.applicant, kind=kind, **kwargs)
    app = services.application_update(
        actor=cast.applicant, application=app, data=ticks or CATERING_TICKS
    )
    return app


def signed(cast, **kwargs) -> Application:
    app = draft(cast, **kwargs)
    return services.application_sign(actor=cast.applicant, application=app)


def instant_filing(cast) -> Application:
    app = signed(cast, kind="filing", ticks=FILING_TICKS)
    return submit_verified(cast.applicant, app)


def submitted_licence(cast) -> Application:
    app = signed(cast)
    upload_guide(app, cast.applicant)
    return services.application_submit(actor=cast.applicant, application=app)


def inspecting(cast) -> Application:
    app = submitted_licence(cast)
    return services.application_accept(actor=cast.officer, application=app)


def pass_all(app, inspector) -> Application:
    for row in services.capture_guide(app):
        services.site_check_record(
            actor=inspector, application=app, code=row.shot.code, result="pass"
        )
    return services.inspection_finish(actor=inspector, application=app)


def issued_licence(cast, lic_fixture):
    app = inspecting(cast)
    app = pass_all(app, lic_fixture.inspector)
    app = services.application_approve(actor=cast.officer, application=app, note="符合条件")
    app.refresh_from_db()
    return app.licence


def today() -> date:
    from django.utils import timezone

    return timezone.localdate()


def filing_of(actor) -> "Licence":  # noqa: F821
    """A 仅销售预包装食品备案 granted on submission (即申即审) to ``actor``, pre-filled from
    the enterprise whose legal representative ``actor`` is."""
    app = services.application_start(actor=actor, kind="filing")
    app = services.application_update(actor=actor, application=app, data=FILING_TICKS)
    app = services.application_sign(actor=actor, application=app)
    app = submit_verified(actor, app)
    app.refresh_from_db()
    assert app.state == "issued", app.verification
    return app.licence
