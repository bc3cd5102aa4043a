"""Which services can be rated: any module registers its own (``register_rated_service``)
from its ``AppConfig.ready()``; core never names a module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class RatedCase:
    """What core needs to know about one case of a service (办件)."""

    reference: str  # 办件编号 (an..50)
    title: str
    unit: Any  # core.Unit that handled it (谁办理、谁负责): it answers a 差评
    applicant_id: int | None  # the only user who may rate it
    completed_at: datetime | None  # 办结 time; None while the case is not finished
    url: str  # the case page of the module, for links back


@dataclass(frozen=True)
class RatedService:
    key: str
    label: Any
    resolve: Callable[[str], RatedCase | None]  # reference → the case, None if unknown


_SERVICES: dict[str, RatedService] = {}


def register_rated_service(
    key: str, label: Any, resolve: Callable[[str], RatedCase | None]
) -> RatedService:
    """Declare a rated service: ``key`` (the URL's ``/ratings/<key>/<reference>/``), its
    label, and ``resolve(reference)`` giving the case (its unit, applicant, 办结 time and
    page) or None."""
    if not key or not key.replace("_", "").replace("-", "").isalnum() or len(key) > 40:
        raise ValueError(f"bad rated service key {key!r}")
    service = RatedService(key=key, label=label, resolve=resolve)
    _SERVICES[key] = service
    return service


def unregister_rated_service(key: str) -> None:
    _SERVICES.pop(key, None)


def get_rated_service(key: str) -> RatedService | None:
    return _SERVICES.get(key)


def rated_services() -> list[RatedService]:
    return list(_SERVICES.values())


def service_label(key: str) -> str:
    service = _SERVICES.get(key)
    return str(service.label) if service else key
