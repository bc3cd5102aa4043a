"""The public service catalogue (办事服务): the services a citizen or an enterprise can
apply for online, each with its 办事指南 (service guide), listed on the public home page.

Core names no app: a module registers its services when it loads (``apps.ready`` or a
module ``ready()`` imports), e.g. licensing's ``licensing/guide.py``::

    register_public_service(
        "licensing.licence.new", title="食品经营许可（新办）", summary="…",
        guide_builder=build_new_licence_guide, start_url_name="licensing:application_new",
        start_query="kind=licence", order=10,
    )

The guide is built on each request by ``guide_builder`` (so a time limit edited in the
admin's 事项时限 shows at once) and holds only plain text and lists: who the service is
for, what the applicant needs, what they tick, the time limits, fees, legal basis, how the
certificate is delivered and how to complain. Pages render it the same way for every
module (``core/views/front.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class GuideSection:
    """A heading with lines (e.g. one 经营项目 group and its items)."""

    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimeLimit:
    """One time limit as the applicant reads it: ``label`` (受理, 审批决定 …), ``amount``
    (None: no number, e.g. 即申即审) and its unit (``unit_label``: 个工作日 …), with an
    optional ``note``."""

    label: str
    amount: int | None
    unit_label: str = "个工作日"
    note: str = ""
    headline: bool = False  # also shown among the key facts at the top of the guide


@dataclass(frozen=True)
class ServiceGuide:
    """The 办事指南 of one service. Every list is plain text lines, in display order."""

    who: tuple[str, ...]  # 适用对象
    materials: tuple[str, ...]  # 申请材料 (what the applicant needs)
    ticks: tuple[GuideSection, ...]  # 勾选内容 (what is ticked instead of typed)
    time_limits: tuple[TimeLimit, ...]  # 办理时限
    fees: str  # 收费标准
    legal_basis: tuple[str, ...]  # 设定依据
    delivery: tuple[str, ...]  # 证照领取
    complaints: tuple[str, ...]  # 投诉渠道
    steps: tuple[str, ...] = ()  # 办理流程
    authority: str = ""  # 实施机关
    channel: str = ""  # 办理方式 (e.g. 全程网办，零见面)
    start_note: str = ""  # what 开始办理 leads to, when it is not a blank form
    extra: tuple[GuideSection, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PublicService:
    key: str
    title: str
    summary: str
    guide_builder: Callable[[], ServiceGuide]
    start_url_name: str
    order: int = 100
    start_query: str = ""  # query string of the start page, e.g. "kind=licence"
    group: str = ""  # heading the home page lists the service under

    @property
    def start_url(self) -> str:
        url = reverse(self.start_url_name)
        return f"{url}?{self.start_query}" if self.start_query else url

    def start_link(self, user: Any) -> str:
        """Where 开始办理 leads: the start page for a logged-in user, else the login page
        with ``next`` set to it (the login and SMS-login pages keep ``next``)."""
        if getattr(user, "is_authenticated", False):
            return self.start_url
        return f"{reverse('login')}?{urlencode({'next': self.start_url})}"

    def guide(self) -> ServiceGuide:
        return self.guide_builder()


_REGISTRY: dict[str, PublicService] = {}


def register_public_service(
    key: str,
    *,
    title: str,
    summary: str,
    guide_builder: Callable[[], ServiceGuide],
    start_url_name: str,
    order: int = 100,
    start_query: str = "",
    group: str = "",
) -> PublicService:
    """Register (or re-register identically, as a reloaded module does) one service.
    ``key`` is ``"<app>.<service>"`` and is the address of its guide, ``/guide/<key>/``."""
    service = PublicService(
        key=key,
        title=title,
        summary=summary,
        guide_builder=guide_builder,
        start_url_name=start_url_name,
        order=order,
        start_query=start_query,
        group=group,
    )
    existing = _REGISTRY.get(key)
    if existing is not None and (existing.title, existing.start_url_name) != (
        title,
        start_url_name,
    ):
        raise ValueError(f"public service {key!r} is already registered differently")
    _REGISTRY[key] = service
    return service


def public_services() -> list[PublicService]:
    """Every registered service, in display order."""
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.key))


def public_service(key: str) -> PublicService | None:
    return _REGISTRY.get(key)


def grouped_services() -> list[tuple[str, list[PublicService]]]:
    """The services under their group headings, groups in the order of their first
    service."""
    groups: dict[str, list[PublicService]] = {}
    for service in public_services():
        groups.setdefault(service.group, []).append(service)
    return list(groups.items())
