"""The outbox topic registry: what each message topic carries, and where it goes.

The *producer* of a topic declares it, with its contract — a pydantic model naming every
field of the payload — in its AppConfig.ready (``licensing/topics.py``: ``licence.*``).
Producers call ``core.services.outbox.emit(topic, payload)``, which checks the payload
against the contract (a field the contract does not name, a missing or mistyped one is a
programming error, raised at once) and writes one message per destination *subscribed* to
the topic. A *consumer* reads payloads through the same contract, found by name
(``topic("licence.granted").parse(payload)``), so the consuming app never imports the
producing one (apps depend on core only) and the fields are written down once.

Why the contract lives with the producer rather than in core: the producer is the one
that can keep it true (it builds the payload), and core stays ignorant of what its apps
say to each other. The consumer depends on the topic's *name* only — the same thing an
external receiver of the webhook depends on (docs/integration.md).

Subscriptions (which destinations receive a topic) are configuration: each consuming app
declares its default with :func:`subscribe` (supervision subscribes its destination
``supervision`` to ``licence.*``); ``settings.ZONEGOV_OUTBOX_SUBSCRIPTIONS``
(``{"licence.granted": ["supervision", "archive"]}``) replaces the defaults of the topics
it names. A destination is either a webhook of ``settings.ZONEGOV_WEBHOOKS`` or
``platform`` (in-platform consumers only, ``outbox.LOCAL_DESTINATION``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, ValidationError


class TopicContractError(ValueError):
    """A payload does not follow its topic's contract."""


@dataclass(frozen=True)
class Topic:
    name: str
    contract: type[BaseModel]
    description: str = ""
    declared_by: str = ""

    def fields(self) -> list[str]:
        return list(self.contract.model_fields)

    def dump(self, payload: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
        """The payload checked against the contract (producer side): every required field
        present and of its type, no field the contract does not name. A mapping is
        returned as given (its values keep their wire form, e.g. a time's offset); a model
        instance as its JSON data. Raises TopicContractError."""
        if isinstance(payload, BaseModel):
            return self.dump(payload.model_dump(mode="json"))
        data = dict(payload)
        unknown = sorted(set(data) - set(self.contract.model_fields))
        if unknown:
            raise TopicContractError(f"{self.name}: fields not in the contract: {unknown}")
        try:
            self.contract.model_validate(data)
        except ValidationError as exc:
            raise TopicContractError(f"{self.name}: {exc}") from exc
        return data

    def parse(self, payload: Any) -> BaseModel:
        """The payload read through the contract (consumer side): fields it does not
        name are ignored (a producer may be newer). Raises TopicContractError."""
        if not isinstance(payload, Mapping):
            raise TopicContractError(f"{self.name}: payload is not a JSON object")
        known = {k: v for k, v in payload.items() if k in self.contract.model_fields}
        try:
            return self.contract.model_validate(known)
        except ValidationError as exc:
            raise TopicContractError(f"{self.name}: {exc}") from exc


_TOPICS: dict[str, Topic] = {}
_DEFAULT_SUBSCRIPTIONS: dict[str, list[str]] = {}


def register_topic(
    name: str, contract: type[BaseModel], *, description: str = "", declared_by: str = ""
) -> Topic:
    """Declare a topic and its payload contract (call in the producer's AppConfig.ready).
    Declaring it again with the same contract is a no-op; another contract is an error."""
    if not name or len(name) > 80:
        raise ImproperlyConfigured(f"topic name {name!r}: 1-80 characters")
    known = _TOPICS.get(name)
    if known is not None:
        if known.contract is not contract:
            raise ImproperlyConfigured(f"topic {name!r} already has another contract")
        return known
    topic_ = Topic(name=name, contract=contract, description=description, declared_by=declared_by)
    _TOPICS[name] = topic_
    return topic_


def unregister_topic(name: str) -> None:
    """For tests that declare a topic of their own."""
    _TOPICS.pop(name, None)
    _DEFAULT_SUBSCRIPTIONS.pop(name, None)


def topic(name: str) -> Topic:
    """The declared topic; LookupError when no installed app declares it."""
    try:
        return _TOPICS[name]
    except KeyError:
        raise LookupError(f"no installed app declares the outbox topic {name!r}") from None


def registered_topics() -> list[Topic]:
    return sorted(_TOPICS.values(), key=lambda t: t.name)


def subscribe(topic_name: str, destination: str) -> None:
    """Default subscription, declared by the consuming app (AppConfig.ready): messages of
    ``topic_name`` go to ``destination`` unless the settings say otherwise. The topic need
    not be declared yet (its producer may load later, or not be installed)."""
    if not destination or len(destination) > 40:
        raise ImproperlyConfigured(f"destination {destination!r}: 1-40 characters")
    subscribed = _DEFAULT_SUBSCRIPTIONS.setdefault(topic_name, [])
    if destination not in subscribed:
        subscribed.append(destination)


def unsubscribe(topic_name: str, destination: str) -> None:
    subscribed = _DEFAULT_SUBSCRIPTIONS.get(topic_name, [])
    if destination in subscribed:
        subscribed.remove(destination)


def destinations(topic_name: str) -> list[str]:
    """Where messages of ``topic_name`` go: the setting's list when it names the topic
    (an empty list silences it), otherwise the consuming apps' defaults."""
    configured: Mapping[str, Any] = getattr(settings, "ZONEGOV_OUTBOX_SUBSCRIPTIONS", {}) or {}
    if topic_name in configured:
        return list(dict.fromkeys(str(d) for d in configured[topic_name] or []))
    return list(_DEFAULT_SUBSCRIPTIONS.get(topic_name, []))


@checks.register()
def check_subscriptions(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A subscription setting naming a topic no installed app declares is a typo or a
    module removed: its messages would never be written."""
    configured = getattr(settings, "ZONEGOV_OUTBOX_SUBSCRIPTIONS", {}) or {}
    problems: list[checks.CheckMessage] = []
    if not isinstance(configured, Mapping):
        return [
            checks.Error(
                "ZONEGOV_OUTBOX_SUBSCRIPTIONS must map topic names to lists of destinations",
                id="zonegov.E301",
            )
        ]
    for name, dests in configured.items():
        if name not in _TOPICS:
            problems.append(
                checks.Warning(
                    f"ZONEGOV_OUTBOX_SUBSCRIPTIONS names the topic {name!r}, which no "
                    "installed app declares",
                    id="zonegov.W301",
                )
            )
        if not isinstance(dests, list | tuple) or not all(
            isinstance(d, str) and 0 < len(d) <= 40 for d in dests
        ):
            problems.append(
                checks.Error(
                    f"ZONEGOV_OUTBOX_SUBSCRIPTIONS[{name!r}] must be a list of destination "
                    "names (1-40 characters)",
                    id="zonegov.E302",
                )
            )
    return problems
