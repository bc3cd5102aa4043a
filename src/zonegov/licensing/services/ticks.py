"""The applicant's ticks (勾选): every save validates the format field by field and keeps
what is valid; what was refused comes back in a ``TickUpdate`` (completeness before
signing is ``selectors.missing_ticks``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zonegov.core.identifiers import validate_id_number, validate_uscc
from zonegov.core.services.audit import audit_append
from zonegov.core.validation import control_characters_message, has_control_characters
from zonegov.licensing import codes
from zonegov.licensing.kinds import HolderKind
from zonegov.licensing.models import Application
from zonegov.licensing.services._common import lock_application, require_applicant, require_editable
from zonegov.licensing.services.verification import application_verify

TEXT_FIELDS = {
    "operator_name": 200,
    "holder_code": 18,
    "legal_rep": 50,
    "address": 255,
    "premises_address": 255,
    "warehouse_address": 255,
    "reason": 300,
}


TICK_FIELDS = (
    *TEXT_FIELDS,
    "holder_kind",
    "subject_type",
    "subject_qualifiers",
    "items",
    "premises",
    "conditions_unchanged",
    "declarations",
)


def _clean_ticks(app: Application, data: dict[str, Any]) -> dict[str, list[str]]:
    """Apply ``data`` to ``app`` field by field; return format errors (what is stored is
    kept even when another field is wrong, so nothing the applicant ticked is lost)."""
    errors: dict[str, list[str]] = {}
    kind = app.permit_kind
    table = app.code_table
    for name, limit in TEXT_FIELDS.items():
        if name in data and data[name] is not None:
            value = str(data[name]).strip()
            if len(value) > limit:
                errors[name] = [_("不能超过 %(n)d 个字。") % {"n": limit}]
                continue
            if has_control_characters(value):
                errors[name] = [control_characters_message()]
                continue
            setattr(app, name, value)
    if data.get("holder_kind"):
        if data["holder_kind"] not in kind.holder_kinds:
            errors["holder_kind"] = [_("该证照不接受此类申请主体。")]
        else:
            app.holder_kind = data["holder_kind"]
    if app.holder_code and "holder_code" not in errors:
        try:
            if app.holder_kind == HolderKind.PERSON:
                app.holder_code = validate_id_number(app.holder_code)
            else:
                app.holder_code = validate_uscc(app.holder_code)
        except ValidationError as exc:
            errors["holder_code"] = exc.messages
    subject_types = table.subject_types[kind.subject_table]
    if "subject_type" in data and data["subject_type"] is not None:
        code = str(data["subject_type"])
        if code and code not in subject_types:
            errors["subject_type"] = [_("请从列表中勾选主体业态。")]
        else:
            app.subject_type = code
    if "subject_qualifiers" in data and data["subject_qualifiers"] is not None:
        allowed = subject_types[app.subject_type].qualifiers if app.subject_type else ()
        quals = [str(q) for q in data["subject_qualifiers"]]
        bad = [q for q in quals if q not in allowed]
        if bad:
            errors["subject_qualifiers"] = [
                _("所选主体业态不适用备注：%(q)s。")
                % {"q": "、".join(table.qualifier_name(q) for q in bad)}
            ]
        else:
            app.subject_qualifiers = list(dict.fromkeys(quals))
    if "items" in data and data["items"] is not None:
        item_table = table.items[kind.item_table]
        items, item_errors = [], []
        for entry in data["items"]:
            code = str(entry.get("code", "")) if isinstance(entry, dict) else str(entry)
            quals = [
                str(q) for q in (entry.get("qualifiers", []) if isinstance(entry, dict) else [])
            ]
            item = item_table.get(code)
            if item is None:
                item_errors.append(_("“%(code)s”不是可选的经营项目。") % {"code": code})
                continue
            bad = [q for q in quals if q not in item.qualifiers]
            if bad:
                item_errors.append(
                    _("%(item)s 不适用备注：%(q)s。")
                    % {"item": item.name, "q": "、".join(table.qualifier_name(q) for q in bad)}
                )
                continue
            items.append({"code": code, "qualifiers": list(dict.fromkeys(quals))})
        if item_errors:
            errors["items"] = item_errors
        else:
            app.items = items
    if "premises" in data and data["premises"] is not None:
        premises, fact_errors = {}, []
        for code, value in dict(data["premises"]).items():
            fact = codes.PREMISES_INDEX.get(code)
            if fact is None or value not in {c.code for c in fact.choices}:
                fact_errors.append(_("场所情况“%(code)s”的选项无效。") % {"code": code})
                continue
            premises[code] = value
        if fact_errors:
            errors["premises"] = fact_errors
        else:
            app.premises = premises
    for flag in ("conditions_unchanged", "declarations"):
        if flag in data and data[flag] is not None:
            setattr(app, flag, bool(data[flag]))
    return errors


@dataclass(frozen=True)
class TickUpdate:
    """What saving the ticks did: the saved application and, per field, why a value was
    refused (the refused fields keep their previous value; the others are saved)."""

    application: Application
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def application_save_ticks(
    *, actor: Any, application: Application, data: dict[str, Any]
) -> TickUpdate:
    """Save the ticks of a draft (or of an application sent back for 补正). Valid fields are
    kept even when others are wrong; the wrong ones come back in the result (the valid
    part is saved, so the transaction commits: nothing is raised for them)."""
    app = lock_application(application)
    require_applicant(actor, app)
    require_editable(app)
    before = app.ticks()
    errors = _clean_ticks(app, {k: v for k, v in data.items() if k in TICK_FIELDS})
    application_verify(app)
    app.save()
    audit_append(
        actor=actor,
        action="licensing.application.update",
        obj=app,
        changes={k: v for k, v in app.ticks().items() if before.get(k) != v},
    )
    return TickUpdate(application=app, errors=errors)


def application_update(
    *, actor: Any, application: Application, data: dict[str, Any]
) -> Application:
    """``application_save_ticks`` for callers that only need the application (seeding,
    scripts, tests with known-good ticks): refused fields are left unchanged, and callers
    that must tell the user why use ``application_save_ticks``."""
    return application_save_ticks(actor=actor, application=application, data=data).application
