"""Demo data: applications in every state and the 38 operators the source page says were
approved fully electronically since April (source-page.md §1). Idempotent.

Run after ``seed_demo`` (units, staff, the demo applicant 13800138000 张三) via
``manage.py seed_licensing``. Site photos/videos are tiny placeholder files (a 1×1 JPEG,
an MP4 header): enough for the workflow, not for watching.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from zonegov.core import workdays
from zonegov.core.models import Enterprise, Person, Unit, User, WorkItem
from zonegov.core.services.attachments import attachment_add
from zonegov.core.services.workflow import case_transition
from zonegov.licensing import services
from zonegov.licensing.models import Application, Licence

PASSWORD = "Zonegov@2026"

JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb0043000806060706050807070709090"
    "80a0c140d0c0b0b0c1912130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c3031"
    "3434341f27393d38323c2e333432ffc0000b080001000101011100ffc4001f000001050101"
    "0101010100000000000000000102030405060708090a0bffda0008010100003f00fbd3ffd9"
)
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free"

CATERING = {
    "subject_type": "2",
    "items": [{"code": "hot"}, {"code": "drinks"}],
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
SALES = {
    **CATERING,
    "subject_type": "1",
    "items": [{"code": "bulk_prepack", "qualifiers": ["cooked"]}],
    "premises": {**CATERING["premises"], "disinfection": "na"},
}
FILING = {
    "subject_type": "2",
    "items": [{"code": "prepack"}],
    "premises": {"area": "le30", "tenure": "lease", "cold_storage": "na", "warehouse": "none"},
    "declarations": True,
}
SMALL_SHOP = {**CATERING, "items": [{"code": "hot"}]}
STALL = {
    "subject_type": "2",
    "items": [{"code": "hot"}],
    "premises": {"pest_control": "yes"},
    "declarations": True,
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = [
    "建华",
    "秀英",
    "志强",
    "丽娟",
    "海涛",
    "桂兰",
    "国庆",
    "晓燕",
    "春生",
    "红霞",
    "明亮",
    "淑珍",
]
SHOPS = [
    ("烩面馆", CATERING, "licence"),
    ("便利店", FILING, "filing"),
    ("家常菜馆", CATERING, "licence"),
    ("熟食店", SALES, "licence"),
    ("小吃店", SMALL_SHOP, "small_shop"),
    ("奶茶店", CATERING, "licence"),
    ("食杂店", FILING, "filing"),
    ("早餐摊", STALL, "small_stall"),
]
STREETS = ["建设路", "新华路", "长安大道", "神马大道", "学院路", "高阳路", "遵化店集贸街", "创业路"]


def _uscc(index: int) -> str:
    body = f"92410400MA4FD{index:04d}"
    return body + stdnum_uscc.calc_check_digit(body)


def _id_number(index: int) -> str:
    body = f"41040219{80 + index % 15:02d}0{1 + index % 9}1{index % 10}{index:03d}"[:17]
    return body + ric.calc_check_digit(body + "0")


def _applicant(mobile: str, name: str, id_number: str) -> User:
    user = User.objects.filter(username=mobile).first()
    if user is not None:
        return user
    person = Person.objects.filter(id_number=id_number).first() or Person.objects.create(
        name=name, id_number=id_number, mobile=mobile
    )
    user = User(username=mobile, mobile=mobile, full_name=name, person=person)
    user.set_password(PASSWORD)
    user.save()
    return user


def _upload_guide(app: Application, actor: User) -> None:
    for row in services.capture_guide(app):
        if row.done:
            continue
        data, ext = (MP4, "mp4") if row.shot.kind == "video" else (JPEG, "jpg")
        attachment_add(
            actor=actor,
            owner=app,
            uploaded_file=SimpleUploadedFile(f"{row.shot.code}.{ext}", data),
            label=row.shot.code,
            expected_kinds=[row.shot.kind],
        )


def _draft(actor: User, kind: str, ticks: dict, **kwargs: Any) -> Application:
    app = services.application_start(actor=actor, kind=kind, **kwargs)
    return services.application_update(actor=actor, application=app, data=ticks)


def _submitted(actor: User, kind: str, ticks: dict, **kwargs: Any) -> Application:
    ticks = dict(ticks)
    if "_uscc" in ticks:  # a neighbour's enterprise (see _who)
        kwargs["uscc"] = ticks.pop("_uscc")
    app = services.application_sign(actor=actor, application=_draft(actor, kind, ticks, **kwargs))
    if app.permit_kind.needs_site_check(app):
        _upload_guide(app, actor)
    return services.application_submit(actor=actor, application=app)


def _verified(app: Application, inspector: User) -> Application:
    for row in services.capture_guide(app):
        services.site_check_record(
            actor=inspector, application=app, code=row.shot.code, result="pass", note=""
        )
    return services.inspection_finish(
        actor=inspector, application=app, note="视频与照片清晰，符合要求"
    )


class Staff:
    def __init__(self) -> None:
        try:
            self.officer = User.objects.get(username="shenpi")
            self.inspector = User.objects.get(username="hecha")
            self.inspector2 = User.objects.get(username="hecha2")
        except User.DoesNotExist as exc:
            raise CommandError(
                "请先运行 seed_demo（需要审批员 shenpi 和核查员 hecha、hecha2）。"
            ) from exc


def seed_operators(staff: Staff, count: int = 38) -> int:
    """38 operators approved fully electronically: licences through remote verification,
    filings and Henan documents approved instantly."""
    done = 0
    for i in range(1, count + 1):
        mobile = f"1370375{i:04d}"
        if Licence.objects.filter(owner__username=mobile).exists():
            done += 1
            continue
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        shop, ticks, kind = SHOPS[i % len(SHOPS)]
        street = STREETS[i % len(STREETS)]
        user = _applicant(mobile, name, _id_number(i))
        holder_kind = "person" if kind == "small_stall" else "enterprise"
        uscc = ""
        if holder_kind == "enterprise":
            uscc = _uscc(i)
            Enterprise.objects.get_or_create(
                uscc=uscc,
                defaults={
                    "name": f"高新区{name[0]}记{shop}",
                    "kind": "individual",
                    "legal_representative": name,
                    "registered_address": f"平顶山市高新区{street}{i * 3}号",
                },
            )
        app = _submitted(
            user,
            kind,
            {**ticks, "premises_address": f"平顶山市高新区{street}{i * 3}号"},
            uscc=uscc,
            holder_kind=holder_kind,
        )
        if app.state != "issued":
            app = services.application_accept(actor=staff.officer, application=app)
            app = _verified(app, staff.inspector if i % 2 else staff.inspector2)
            app = services.application_approve(
                actor=staff.officer, application=app, note="经远程视频核查，符合许可条件"
            )
        done += 1
    return done


def seed_states(staff: Staff) -> int:
    """The demo applicant 张三 (13800138000) and a few neighbours, with applications in
    every state (``approved`` only exists inside the issuing transaction)."""
    zhang = User.objects.filter(username="13800138000").first()
    if zhang is None or zhang.person is None:
        raise CommandError("请先运行 seed_demo（需要演示申请人 13800138000）。")
    if Application.objects.filter(applicant=zhang).exists():
        return Application.objects.filter(applicant=zhang).count()
    shops = []
    for n, (suffix, street) in enumerate(
        [("餐饮店", "建设路"), ("便民超市", "新华路"), ("面馆", "学院路"), ("快餐店", "高阳路")],
        start=1,
    ):
        uscc = _uscc(900 + n)
        Enterprise.objects.get_or_create(
            uscc=uscc,
            defaults={
                "name": f"高新区张三{suffix}",
                "kind": "individual",
                "legal_representative": zhang.person.name,
                "registered_address": f"平顶山市高新区{street}{n}号",
            },
        )
        shops.append(uscc)
    # draft (half ticked), submitted, correction requested
    _draft(zhang, "licence", {"subject_type": "2", "items": [{"code": "hot"}]}, uscc=shops[0])
    neighbours = []
    for i in range(1, 9):
        user = _applicant(f"1370376{i:04d}", f"邻居{i}号", _id_number(500 + i))
        uscc = _uscc(800 + i)
        Enterprise.objects.get_or_create(
            uscc=uscc,
            defaults={
                "name": f"高新区邻里{i}号餐馆",
                "kind": "individual",
                "legal_representative": f"邻居{i}号",
                "registered_address": f"平顶山市高新区创业路{i}号",
            },
        )
        user.person.name = f"邻居{i}号"
        user.person.save()
        neighbours.append((user, uscc))
    app = _submitted(zhang, "licence", CATERING, uscc=shops[1])  # submitted (待受理)
    corr = _submitted(*_who(neighbours[0]))
    services.application_request_correction(
        actor=staff.officer,
        application=corr,
        items=["经营场所地址请写到门牌号", "库房照片看不清货架，请重拍"],
        note="",
    )
    resub = _submitted(*_who(neighbours[1]))
    resub = services.application_request_correction(
        actor=staff.officer, application=resub, items=["请补拍更衣室"], note=""
    )
    resub = services.application_sign(actor=resub.applicant, application=resub)
    services.application_resubmit(actor=resub.applicant, application=resub)
    acc = _submitted(*_who(neighbours[2]))
    case_transition(case=acc, transition="accept", actor=staff.officer, note="材料齐全")
    insp = _submitted(*_who(neighbours[3]))
    services.application_accept(actor=staff.officer, application=insp)
    rev = services.application_accept(
        actor=staff.officer, application=_submitted(*_who(neighbours[4]))
    )
    _verified(rev, staff.inspector)
    rej = services.application_accept(
        actor=staff.officer, application=_submitted(*_who(neighbours[5]))
    )
    rej = _verified(rej, staff.inspector2)
    services.application_reject(
        actor=staff.officer,
        application=rej,
        reason="经营场所位于住宅楼内且无独立排烟管道，不符合餐饮服务场所要求。",
    )
    wd = _submitted(*_who(neighbours[6]))
    services.application_withdraw(actor=wd.applicant, application=wd, note="暂不经营")
    # overdue: a case accepted long ago, still inspecting
    late = services.application_accept(
        actor=staff.officer, application=_submitted(*_who(neighbours[7]))
    )
    past = workdays.end_of_day(timezone.localdate() - timedelta(days=3))
    Application.objects.filter(pk=late.pk).update(due_at=past, opened_at=past - timedelta(days=16))
    WorkItem.objects.filter(object_id=str(late.pk), reference=late.reference).update(due_at=past)
    # issued: a filing approved instantly for 张三, and a licence expiring inside the
    # renewal window so that 延续 can be tried
    _submitted(zhang, "filing", FILING, uscc=shops[2])
    lic_app = services.application_accept(
        actor=staff.officer, application=_submitted(zhang, "licence", CATERING, uscc=shops[3])
    )
    lic_app = services.application_approve(
        actor=staff.officer, application=_verified(lic_app, staff.inspector), note="符合条件"
    )
    until = workdays.add_working_days(timezone.localdate(), 40)
    Licence.objects.filter(pk=lic_app.licence_id).update(valid_until=until)
    assert app.pk
    return Application.objects.filter(applicant=zhang).count()


def _who(neighbour: tuple[User, str]) -> tuple[User, str, dict]:
    user, uscc = neighbour
    return user, "licence", {**CATERING, "_uscc": uscc}


@transaction.atomic
def seed_licensing() -> tuple[int, int]:
    if not Unit.objects.filter(code="xzfwzx").exists():
        raise CommandError("请先运行 seed_demo（需要行政服务中心 xzfwzx）。")
    staff = Staff()
    return seed_operators(staff), seed_states(staff)
