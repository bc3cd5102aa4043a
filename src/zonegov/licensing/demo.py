"""Demo data: applications in every state and the 38 operators the source page says were
approved fully electronically since April (source-page.md §1). Idempotent: a second run
finds what the first created and adds nothing.

Run after ``seed_demo`` (units, staff, the demo applicant 13800138000 张三) via
``manage.py seed_licensing``. Site photos/videos are tiny placeholder files (a 1×1 JPEG,
an MP4 header): enough for the workflow, not for watching.

**Timestamps are backdated for the demo.** Everything is created through the real
services (so the records, the signed certificates, the public announcement and the
messages to supervision are what the platform produces), all within a few seconds. Each
application's database rows are then moved to a plausible history: the 38 operators are
spread over the working days from 1 April to yesterday (``DemoCalendar``), each draft
started a quarter to an hour before submission, instant approvals decided seconds after
it, licences with a site check after 1–9 working days; the submission, decision,
timeline, work-item, site-check, upload, certificate, 公示 and outbox-message times are
shifted together, and each licence's validity restarts on its backdated issue day. Only
database rows are changed: the signed PDFs keep the real signing time and the issue date
printed on them (and a Henan number its real year), and the audit chain (append-only)
keeps the real times.

Besides the 38 (all still valid but one), a few holders show the licence lifecycle:
食品小摊点备案卡 of three street vendors registered before April (one has expired and was
marked so by ``licences_expire``, two are inside the 延续 window), 张三's own 食品经营许可证
issued five years ago and now inside the window, and one of the 38 revoked (吊销) by a
penalty decision through ``licence_revoke``. ``renewal_reminders_send`` then reminds the
holders in the window (张三 among them).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric
from stdnum.cn import uscc as stdnum_uscc

from zonegov.core import periods, workdays
from zonegov.core.identity.demo import demo_login
from zonegov.core.models import (
    Attachment,
    Enterprise,
    IssuedDocument,
    Notification,
    OutboxMessage,
    Person,
    TimelineEntry,
    Unit,
    User,
    WorkItem,
)
from zonegov.core.models.org import UnitKind
from zonegov.core.services.attachments import attachment_add
from zonegov.core.services.workflow import case_transition
from zonegov.licensing import services
from zonegov.licensing.models import (
    Application,
    Licence,
    LicenceStatus,
    LicenceVersion,
    PrintJob,
    PublicNotice,
    SiteCheckItem,
)

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


# Streets of each seeded park (core's demo enterprises use the same names).
PARK_STREETS = {
    "park-dqzb": ("纬一路", "经三路"),
    "park-lgwl": ("港前路", "物流大道"),
    "park-ht": ("新材料路", "纬六路"),
    "park-nlzz": ("尼龙大道", "经九路"),
}
# Working days from submission to certificate of the operators whose licence needed a
# remote site check (cycled): between 1 and 9, most within a week.
SITE_CHECK_DAYS = [3, 1, 6, 2, 9, 4, 2, 5, 7, 3, 8, 1, 4]
# The operator of the 38 whose licence is revoked, and the penalty decision.
REVOKED_OPERATOR = 2
REVOKE_REASON = "经营场所卫生条件不符合要求，经责令限期整改后拒不改正，且使用超过保质期的食品原料。"
REVOKE_WORKDAYS_AGO = 25
# Vendors registered before April (small_stall: valid one year): (index, name, days from
# today to the card's last valid day). The first has expired; the others are inside the
# 延续 window (it opens 90 working days before expiry).
VENDORS = [(1, "周桂兰", -30), (2, "吴国庆", 70), (3, "郑春生", 110)]
# 张三's own 食品经营许可证 expires this many working days from today (inside the window).
ZHANG_LICENCE_WORKDAYS_LEFT = 40


@lru_cache(maxsize=1)
def _password_hash() -> str:
    """One Argon2 hash for every demo account (they share the demo password): hashing
    is slow by design, ~0.15 s each."""
    return make_password(PASSWORD)


def _uscc(index: int) -> str:
    body = f"92410400MA4FD{index:04d}"
    return body + stdnum_uscc.calc_check_digit(body)


def _id_number(index: int) -> str:
    # Born 1983 or later: python-stdnum knows 410402 (新华区) as a birth place from 1983,
    # and the demo identity provider returns only numbers that pass validation.
    body = f"41040219{83 + index % 15:02d}0{1 + index % 9}1{index % 10}{index:03d}"[:17]
    return body + ric.calc_check_digit(body + "0")


def _applicant(mobile: str, name: str, id_number: str) -> User:
    user = User.objects.filter(username=mobile).first()
    if user is not None:
        return user
    person = Person.objects.filter(id_number=id_number).first() or Person.objects.create(
        name=name, id_number=id_number, mobile=mobile
    )
    user = User(username=mobile, mobile=mobile, full_name=name, person=person)
    user.password = _password_hash()
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
    # The demo applicants verify themselves through the demo identity provider, as the
    # 模拟统一身份认证 page does in `make run` (the operator or the enterprise's legal
    # representative), so instant approval applies where the rules allow it.
    login = demo_login(actor, enterprise=Enterprise.objects.filter(uscc=app.holder_code).first())
    return services.application_submit(actor=actor, application=app, identity=login)


def _verified(app: Application, inspector: User) -> Application:
    for row in services.capture_guide(app):
        services.site_check_record(
            actor=inspector, application=app, code=row.shot.code, result="pass", note=""
        )
    return services.inspection_finish(
        actor=inspector, application=app, note="视频与照片清晰，符合要求"
    )


def _who(neighbour: tuple[User, str]) -> tuple[User, str, dict]:
    user, uscc = neighbour
    return user, "licence", {**CATERING, "_uscc": uscc}


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


# --------------------------------------------------------------------------- calendar


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` (minutes may run past 59) on ``day``, Beijing time."""
    return datetime.combine(day, time(0, 0), tzinfo=workdays.SHANGHAI) + timedelta(
        hours=hour, minutes=minute
    )


class DemoCalendar:
    """The working days the demo history is spread over: from 1 April (of this year from
    August on, of last year before) to yesterday."""

    def __init__(self, today: date | None = None) -> None:
        self.today = today or timezone.localdate()
        year = self.today.year if self.today.month >= 8 else self.today.year - 1
        self.start = date(year, 4, 1)
        self.days = workdays.working_days_in(self.start, self.today - timedelta(days=1))

    def back(self, n: int) -> date:
        """The ``n``-th working day before today (1 = the last one)."""
        return self.days[-n]


def _later(moment: datetime, after: datetime, gap: timedelta = timedelta(minutes=1)) -> datetime:
    return max(moment, after + gap)


def _operator_moments(
    cal: DemoCalendar, i: int, count: int, site_check: bool
) -> tuple[datetime, dict[str, datetime]]:
    """When operator ``i`` of ``count`` started, submitted and got the certificate."""
    days = cal.days
    idx = round((i - 1) * (len(days) - 1) / max(count - 1, 1))
    submitted = _at(days[idx], 8, 40 + (i * 53) % 470)
    started = submitted - timedelta(minutes=15 + (i * 7) % 40)
    if not site_check:
        return started, {
            "open": submitted,
            "approve_instantly": submitted + timedelta(seconds=2 + i % 5),
        }
    n = SITE_CHECK_DAYS[i % len(SITE_CHECK_DAYS)]
    decided_day = days[min(idx + n, len(days) - 1)]
    accepted = submitted + timedelta(minutes=35 + (i * 17) % 90)
    if accepted.hour >= 17 and decided_day > days[idx]:
        accepted = _at(days[idx + 1], 9, 5 + i % 30)
    sent = accepted + timedelta(minutes=4)
    check_day = days[max(idx, min(idx + n, len(days) - 1) - (1 if n >= 3 else 0))]
    finished = _later(_at(check_day, 10, 30 + (i * 7) % 240), sent, timedelta(minutes=40))
    approved = _later(_at(decided_day, 14, (i * 11) % 150), finished, timedelta(minutes=25))
    return started, {
        "open": submitted,
        "submit": submitted + timedelta(seconds=1),
        "accept": accepted,
        "send_to_inspection": sent,
        "finish_inspection": finished,
        "approve": approved,
        "issue": approved + timedelta(minutes=1, seconds=12),
    }


# --------------------------------------------------------------------------- backdating


class _Shift:
    """Maps the real times of one application's history (milliseconds apart) onto the
    backdated ones: each moment keeps its offset from the nearest anchor (a timeline
    step), so what a step recorded stays with that step, in order."""

    def __init__(self, anchors: list[tuple[datetime, datetime]]) -> None:
        self.old: list[datetime] = []
        self.new: list[datetime] = []
        for old, new in sorted(anchors, key=lambda a: a[0]):
            if self.old and old <= self.old[-1]:
                continue
            self.old.append(old)
            self.new.append(new)

    def __call__(self, moment: datetime | None) -> datetime | None:
        if moment is None:
            return None
        k = bisect.bisect_left(self.old, moment)
        if k == len(self.old) or (k > 0 and moment - self.old[k - 1] < self.old[k] - moment):
            k -= 1
        return self.new[k] + (moment - self.old[k])


def _due(old_due: datetime | None, old_start: datetime, new_start: datetime) -> datetime | None:
    """A time limit keeps its length in working days from the (moved) step that set it."""
    if old_due is None:
        return None
    left = workdays.working_days_between(
        workdays.local_date(old_start), workdays.local_date(old_due)
    )
    return workdays.end_of_day(workdays.add_working_days(workdays.local_date(new_start), left))


def _backdate(app: Application, started: datetime, moments: dict[str, datetime]) -> _Shift:
    """Move ``app``'s history: its timeline entries to ``moments`` (by action; steps not
    named are placed proportionally between their neighbours), its draft to ``started``,
    and everything recorded along the way with them (see the module docstring)."""
    app = Application.objects.get(pk=app.pk)
    app_type = ContentType.objects.get_for_model(Application)
    entries = list(
        TimelineEntry.objects.filter(content_type=app_type, object_id=str(app.pk)).order_by(
            "at", "id"
        )
    )
    old = [app.created_at] + [e.at for e in entries]
    new: list[datetime | None] = [started] + [moments.get(e.action) for e in entries]
    for k, value in enumerate(new):
        if value is not None:
            continue
        prev = max(j for j in range(k) if new[j] is not None)
        nxt = next((j for j in range(k + 1, len(new)) if new[j] is not None), None)
        base = new[prev]
        assert base is not None
        if nxt is None:
            new[k] = base + (old[k] - old[prev])
        else:
            target = new[nxt]
            assert target is not None
            ratio = (old[k] - old[prev]) / (old[nxt] - old[prev])
            new[k] = base + (target - base) * ratio
    shift = _Shift([(o, n) for o, n in zip(old, new, strict=True) if n is not None])
    for entry in entries:
        TimelineEntry.objects.filter(pk=entry.pk).update(at=shift(entry.at))

    # The time limit runs from the last step that started it (受理, 补正后提交, 提交).
    clock = next(
        (e for e in reversed(entries) if e.action in ("accept", "resubmit", "submit", "open")),
        None,
    )
    due = _due(app.due_at, clock.at, shift(clock.at)) if clock else None
    Application.objects.filter(pk=app.pk).update(
        created_at=shift(app.created_at),
        updated_at=shift(app.updated_at),
        form_signed_at=shift(app.form_signed_at),
        verified_at=shift(app.verified_at),
        # An instant approval records the submission with the decision; the applicant
        # pressed 提交 when the case opened.
        submitted_at=moments["open"] if app.instant else shift(app.submitted_at),
        opened_at=shift(app.opened_at),
        decided_at=shift(app.decided_at),
        closed_at=shift(app.closed_at),
        due_at=due,
    )
    for work in WorkItem.objects.filter(content_type=app_type, object_id=str(app.pk)):
        WorkItem.objects.filter(pk=work.pk).update(
            opened_at=shift(work.opened_at), closed_at=shift(work.closed_at), due_at=due
        )
    for check in SiteCheckItem.objects.filter(application=app):
        SiteCheckItem.objects.filter(pk=check.pk).update(checked_at=shift(check.checked_at))
    for upload in Attachment.objects.filter(owner_type=app_type, owner_id=str(app.pk)):
        Attachment.objects.filter(pk=upload.pk).update(uploaded_at=shift(upload.uploaded_at))
    if app.licence_id is not None and app.app_type == "new":
        _backdate_licence(Licence.objects.get(pk=app.licence_id), app, shift)
    return shift


def _backdate_licence(lic: Licence, app: Application, shift: _Shift) -> None:
    """A licence the application granted: its validity restarts on the backdated issue
    day; its certificate, 公示 line, print job and message to supervision move along."""
    version = LicenceVersion.objects.filter(licence=lic, application=app).first()
    if version is not None and app.decided_at is not None:
        # Issued seconds after the decision: keep that offset from the backdated decision.
        # (Interpolating the issue moment between timeline steps put it on another day
        # when the seeding ran slowly and the next step was days later.)
        issued = shift(app.decided_at) + (version.issued_at - app.decided_at)
    else:
        issued = shift(version.issued_at if version else lic.created_at)
    assert issued is not None
    valid_from = workdays.local_date(issued)
    years = lic.permit_kind.validity_years
    valid_until = periods.years_end(valid_from, years) if years and lic.valid_until else None
    Licence.objects.filter(pk=lic.pk).update(
        created_at=shift(lic.created_at), valid_from=valid_from, valid_until=valid_until
    )
    if version is not None:
        LicenceVersion.objects.filter(pk=version.pk).update(issued_at=issued)
        IssuedDocument.objects.filter(pk=version.document_id).update(
            issued_at=issued, valid_until=valid_until
        )
        for job in PrintJob.objects.filter(version=version):
            PrintJob.objects.filter(pk=job.pk).update(created_at=shift(job.created_at))
    for notice in PublicNotice.objects.filter(licence=lic):
        PublicNotice.objects.filter(pk=notice.pk).update(
            occurred_at=shift(notice.occurred_at), valid_from=valid_from, valid_until=valid_until
        )
    for message in OutboxMessage.objects.filter(
        payload__licence_number=lic.number, payload__application_reference=app.reference
    ):
        sent = shift(message.created_at)
        message.payload = {
            **message.payload,
            "occurred_at": issued.isoformat(),
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat() if valid_until else None,
        }
        # Due since then: a drain that replays the demo history month by month (the
        # supervision demo) meets each licence in the month it was granted.
        message.created_at = message.available_at = sent
        message.save(update_fields=["payload", "created_at", "available_at"])


# --------------------------------------------------------------------------- parks


def _parks() -> list[Unit]:
    return list(Unit.objects.filter(kind=UnitKind.PARK, is_active=True).order_by("code"))


def _premises(parks: list[Unit], i: int) -> tuple[Unit | None, str]:
    """Two operators in three are in one of the parks (round robin), the rest in the
    streets and the town."""
    slot = i % 6
    if slot < min(4, len(parks)):
        park = parks[slot]
        streets = PARK_STREETS.get(park.code, tuple(STREETS))
        return park, f"平顶山市高新区{park.name}{streets[i % len(streets)]}{i * 3}号"
    return None, f"平顶山市高新区{STREETS[i % len(STREETS)]}{i * 3}号"


def _enterprise(uscc: str, name: str, legal_rep: str, address: str, park: Unit | None) -> None:
    enterprise, created = Enterprise.objects.get_or_create(
        uscc=uscc,
        defaults={
            "name": name,
            "kind": "individual",
            "legal_representative": legal_rep,
            "registered_address": address,
            "park": park,
        },
    )
    if not created and enterprise.park_id is None and park is not None:
        Enterprise.objects.filter(pk=enterprise.pk).update(park=park)


# --------------------------------------------------------------------------- the 38


def seed_operators(staff: Staff, count: int = 38, cal: DemoCalendar | None = None) -> int:
    """38 operators approved fully electronically: licences through remote verification,
    filings and Henan documents approved instantly; spread from April to yesterday."""
    cal = cal or DemoCalendar()
    parks = _parks()
    done = 0
    for i in range(1, count + 1):
        mobile = f"1370375{i:04d}"
        if Licence.objects.filter(owner__username=mobile).exists():
            done += 1
            continue
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        shop, ticks, kind = SHOPS[i % len(SHOPS)]
        user = _applicant(mobile, name, _id_number(i))
        holder_kind = "person" if kind == "small_stall" else "enterprise"
        park, address = _premises(parks, i)
        uscc = ""
        if holder_kind == "enterprise":
            uscc = _uscc(i)
            _enterprise(uscc, f"高新区{name[0]}记{shop}", name, address, park)
        app = _submitted(
            user, kind, {**ticks, "premises_address": address}, uscc=uscc, holder_kind=holder_kind
        )
        site_check = app.state != "issued"
        if site_check:
            app = services.application_accept(actor=staff.officer, application=app)
            app = _verified(app, staff.inspector if i % 2 else staff.inspector2)
            app = services.application_approve(
                actor=staff.officer, application=app, note="经远程视频核查，符合许可条件"
            )
        _backdate(app, *_operator_moments(cal, i, count, site_check))
        done += 1
    return done


# --------------------------------------------------------------------------- 张三 and neighbours


def _steps(cal: DemoCalendar, *steps: tuple[str, int, int, int]) -> dict[str, datetime]:
    """(action, working days ago, hour, minute) → {action: moment}."""
    return {action: _at(cal.back(ago), hour, minute) for action, ago, hour, minute in steps}


def _replay(app: Application, cal: DemoCalendar, *steps: tuple[str, int, int, int]) -> None:
    moments = _steps(cal, *steps)
    if "open" in moments:
        moments.setdefault("submit", moments["open"] + timedelta(seconds=1))
    if "approve_instantly" in moments:
        moments["approve_instantly"] = moments["open"] + timedelta(seconds=3)
    first = min(moments.values())
    _backdate(app, first - timedelta(minutes=26), moments)


def seed_states(staff: Staff, cal: DemoCalendar | None = None) -> int:
    """The demo applicant 张三 (13800138000) and a few neighbours, with applications in
    every state (``approved`` only exists inside the issuing transaction), over the last
    few weeks."""
    cal = cal or DemoCalendar()
    zhang = User.objects.filter(username="13800138000").first()
    if zhang is None or zhang.person is None:
        raise CommandError("请先运行 seed_demo（需要演示申请人 13800138000）。")
    if Application.objects.filter(applicant=zhang).exists():
        return Application.objects.filter(applicant=zhang).count()
    parks = _parks()
    shops = []
    for n, (suffix, street) in enumerate(
        [("餐饮店", "建设路"), ("便民超市", "新华路"), ("面馆", "学院路"), ("快餐店", "高阳路")],
        start=1,
    ):
        uscc = _uscc(900 + n)
        park = parks[n % len(parks)] if parks and n % 2 else None
        _enterprise(
            uscc,
            f"高新区张三{suffix}",
            zhang.person.name,
            f"平顶山市高新区{park.name if park else ''}{street}{n}号",
            park,
        )
        shops.append(uscc)
    draft = _draft(
        zhang, "licence", {"subject_type": "2", "items": [{"code": "hot"}]}, uscc=shops[0]
    )
    _backdate(draft, _at(cal.back(2), 20, 15), {})
    neighbours = []
    for i in range(1, 9):
        user = _applicant(f"1370376{i:04d}", f"邻居{i}号", _id_number(500 + i))
        uscc = _uscc(800 + i)
        park = parks[i % len(parks)] if parks and i % 3 else None
        address = f"平顶山市高新区{park.name if park else ''}创业路{i}号"
        _enterprise(uscc, f"高新区邻里{i}号餐馆", f"邻居{i}号", address, park)
        user.person.name = f"邻居{i}号"
        user.person.save()
        neighbours.append((user, uscc))
    waiting = _submitted(zhang, "licence", CATERING, uscc=shops[1])  # 待受理
    _replay(waiting, cal, ("open", 1, 21, 5))
    corr = _submitted(*_who(neighbours[0]))
    services.application_request_correction(
        actor=staff.officer,
        application=corr,
        items=["经营场所地址请写到门牌号", "库房照片看不清货架，请重拍"],
        note="",
    )
    _replay(corr, cal, ("open", 6, 10, 20), ("request_correction", 5, 15, 40))
    resub = _submitted(*_who(neighbours[1]))
    resub = services.application_request_correction(
        actor=staff.officer, application=resub, items=["请补拍更衣室"], note=""
    )
    resub = services.application_sign(actor=resub.applicant, application=resub)
    resub = services.application_resubmit(actor=resub.applicant, application=resub)
    _replay(
        resub, cal, ("open", 9, 9, 30), ("request_correction", 8, 11, 0), ("resubmit", 3, 16, 20)
    )
    acc = _submitted(*_who(neighbours[2]))
    case_transition(case=acc, transition="accept", actor=staff.officer, note="材料齐全")
    _replay(acc, cal, ("open", 3, 14, 0), ("accept", 2, 9, 40))
    insp = _submitted(*_who(neighbours[3]))
    insp = services.application_accept(actor=staff.officer, application=insp)
    _replay(insp, cal, ("open", 5, 10, 5), ("accept", 4, 9, 20), ("send_to_inspection", 4, 9, 24))
    rev = services.application_accept(
        actor=staff.officer, application=_submitted(*_who(neighbours[4]))
    )
    rev = _verified(rev, staff.inspector)
    _replay(
        rev,
        cal,
        ("open", 8, 15, 10),
        ("accept", 7, 10, 0),
        ("send_to_inspection", 7, 10, 4),
        ("finish_inspection", 2, 16, 30),
    )
    rej = services.application_accept(
        actor=staff.officer, application=_submitted(*_who(neighbours[5]))
    )
    rej = _verified(rej, staff.inspector2)
    services.application_reject(
        actor=staff.officer,
        application=rej,
        reason="经营场所位于住宅楼内且无独立排烟管道，不符合餐饮服务场所要求。",
    )
    _replay(
        rej,
        cal,
        ("open", 20, 9, 50),
        ("accept", 19, 10, 30),
        ("send_to_inspection", 19, 10, 35),
        ("finish_inspection", 15, 11, 0),
        ("reject", 14, 15, 20),
    )
    wd = _submitted(*_who(neighbours[6]))
    services.application_withdraw(actor=wd.applicant, application=wd, note="暂不经营")
    _replay(wd, cal, ("open", 12, 19, 0), ("withdraw", 11, 8, 30))
    # overdue: accepted long ago (the decision limit has passed), still inspecting
    late = services.application_accept(
        actor=staff.officer, application=_submitted(*_who(neighbours[7]))
    )
    _replay(
        late, cal, ("open", 19, 10, 0), ("accept", 18, 9, 30), ("send_to_inspection", 18, 9, 35)
    )
    # issued: a filing approved instantly for 张三 …
    filing = _submitted(zhang, "filing", FILING, uscc=shops[2])
    _replay(filing, cal, ("open", 35, 10, 12), ("approve_instantly", 35, 10, 12))
    # … and his 食品经营许可证 issued five years ago, now inside the renewal window so that
    # 延续 can be tried (the certificate's validity follows from the backdated issue day)
    lic_app = services.application_accept(
        actor=staff.officer, application=_submitted(zhang, "licence", CATERING, uscc=shops[3])
    )
    lic_app = services.application_approve(
        actor=staff.officer, application=_verified(lic_app, staff.inspector), note="符合条件"
    )
    until = workdays.add_working_days(cal.today, ZHANG_LICENCE_WORKDAYS_LEFT)
    issued = workdays.roll_to_working_day(periods.add_years(until + timedelta(days=1), -5))
    submitted = workdays.subtract_working_days(issued, 4)
    _backdate(
        lic_app,
        _at(submitted, 9, 20),
        {
            "open": _at(submitted, 9, 48),
            "submit": _at(submitted, 9, 48) + timedelta(seconds=1),
            "accept": _at(workdays.subtract_working_days(issued, 3), 9, 30),
            "send_to_inspection": _at(workdays.subtract_working_days(issued, 3), 9, 34),
            "finish_inspection": _at(workdays.subtract_working_days(issued, 1), 15, 10),
            "approve": _at(issued, 10, 20),
            "issue": _at(issued, 10, 21),
        },
    )
    assert waiting.pk
    return Application.objects.filter(applicant=zhang).count()


# --------------------------------------------------------------------------- lifecycle


def seed_vendors(cal: DemoCalendar | None = None) -> list[Licence]:
    """Three street vendors (食品小摊点备案卡, valid one year) registered before April: one
    card expired a month ago, two expire within four months (延续 window open)."""
    cal = cal or DemoCalendar()
    cards = []
    for k, name, days_left in VENDORS:
        mobile = f"1370377{k:04d}"
        lic = Licence.objects.filter(owner__username=mobile).first()
        if lic is None:
            user = _applicant(mobile, name, _id_number(700 + k))
            app = _submitted(
                user,
                "small_stall",
                {**STALL, "premises_address": f"平顶山市高新区遵化店集贸街{k}号摊位"},
                holder_kind="person",
            )
            last_day = cal.today + timedelta(days=days_left)
            registered = workdays.roll_to_working_day(
                periods.add_years(last_day + timedelta(days=1), -1)
            )
            submitted = _at(registered, 7, 35 + k * 9)  # early, before the market opens
            _backdate(
                app,
                submitted - timedelta(minutes=12),
                {"open": submitted, "approve_instantly": submitted + timedelta(seconds=3)},
            )
            lic = Licence.objects.get(pk=Application.objects.get(pk=app.pk).licence_id)
        cards.append(lic)
    return cards


def revoke_one(staff: Staff, cal: DemoCalendar | None = None) -> Licence | None:
    """吊销 one of the 38 through ``licence_revoke`` (a penalty decision some weeks ago)."""
    cal = cal or DemoCalendar()
    lic = Licence.objects.filter(owner__username=f"1370375{REVOKED_OPERATOR:04d}").first()
    if lic is None or lic.status != LicenceStatus.VALID:
        return lic
    day = cal.back(REVOKE_WORKDAYS_AGO)
    when = _at(day, 15, 30)
    services.licence_revoke(
        actor=staff.officer,
        licence=lic,
        reason=REVOKE_REASON,
        decision_number=f"平高市监罚〔{day.year}〕27号",
    )
    PublicNotice.objects.filter(licence=lic, event="revoked").update(occurred_at=when)
    IssuedDocument.objects.filter(pk=lic.current_document_id).update(status_changed_at=when)
    Notification.objects.filter(dedupe_key=f"licensing.revoked:{lic.pk}").update(created_at=when)
    for message in OutboxMessage.objects.filter(
        topic="licence.revoked", payload__licence_number=lic.number
    ):
        message.payload = {**message.payload, "occurred_at": when.isoformat()}
        message.created_at = message.available_at = when
        message.save(update_fields=["payload", "created_at", "available_at"])
    return lic


def expire_due() -> list[Licence]:
    """The daily job's expiry (``licences_expire``), dated the day after the last valid
    day as the daily job would have done it."""
    expired = services.licences_expire()
    for lic in expired:
        assert lic.valid_until is not None
        when = _at(lic.valid_until + timedelta(days=1), 0, 5)
        IssuedDocument.objects.filter(pk=lic.current_document_id).update(status_changed_at=when)
        Notification.objects.filter(
            dedupe_key=f"licensing.expired:{lic.pk}:{lic.valid_until.isoformat()}"
        ).update(created_at=when)
    return expired


# --------------------------------------------------------------------------- 好差评


# (level, comment) of the demo ratings, newest finished application first; the 差评 is
# answered by the licensing officer and the rater says he is satisfied (回访).
DEMO_RATINGS = [
    (5, "全程网上办，当天就拿到了电子证书。"),
    (1, "核查通知没说清楚要拍哪些照片，来回补了两次。"),
    (4, ""),
    (3, "系统有点慢。"),
]


def seed_ratings(staff: Staff) -> int:
    """A few 好差评 ratings of finished applications (through core.ratings' services, so
    only cases inside the rating window are rated), one 差评 answered and called back."""
    from zonegov.core.errors import ApplicationError
    from zonegov.core.ratings.models import ServiceRating
    from zonegov.core.ratings.services import (
        rating_submit,
        rectification_answer,
        rectification_callback,
    )
    from zonegov.licensing.ratings import RATED_STATES, SERVICE_KEY

    if ServiceRating.objects.filter(service=SERVICE_KEY).exists():
        return 0
    finished = Application.objects.filter(state__in=RATED_STATES).select_related("applicant")
    made = 0
    for app in finished.order_by("-closed_at", "-pk")[:20]:
        if made == len(DEMO_RATINGS):
            break
        level, comment = DEMO_RATINGS[made]
        try:
            rating = rating_submit(
                actor=app.applicant,
                service_key=SERVICE_KEY,
                reference=app.reference,
                level=level,
                comment=comment,
            )
        except ApplicationError:
            continue  # outside the rating window, or already rated
        made += 1
        if rating.is_bad:
            case = rectification_answer(
                actor=staff.officer,
                rectification=rating.rectification,
                answer="已核实。核查通知已改为逐项列出需拍摄的照片和视频，并附示例图。",
            )
            rectification_callback(
                actor=app.applicant, rectification=case, result="satisfied", note="改得好。"
            )
    return made


@dataclass
class Summary:
    operators: int
    applications: int
    in_window: int
    expired: int
    revoked: int
    reminders: int


@transaction.atomic
def seed_licensing() -> Summary:
    if not Unit.objects.filter(code="xzfwzx").exists():
        raise CommandError("请先运行 seed_demo（需要行政服务中心 xzfwzx）。")
    staff = Staff()
    cal = DemoCalendar()
    operators = seed_operators(staff, cal=cal)
    applications = seed_states(staff, cal=cal)
    seed_vendors(cal)
    revoke_one(staff, cal)
    expire_due()
    report = services.renewal_reminders_send()
    seed_ratings(staff)
    valid = Licence.objects.filter(status=LicenceStatus.VALID, valid_until__isnull=False)
    in_window = sum(
        1
        for lic in valid.filter(valid_until__lte=cal.today + timedelta(days=200))
        if services.renewal_reminder_due(lic, cal.today)
    )
    return Summary(
        operators=operators,
        applications=applications,
        in_window=in_window,
        expired=Licence.objects.filter(status=LicenceStatus.EXPIRED).count(),
        revoked=Licence.objects.filter(status=LicenceStatus.REVOKED).count(),
        reminders=len(report.opening) + len(report.closing),
    )
