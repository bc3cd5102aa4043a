"""The one write of a public disclosure: :func:`publish`."""

from __future__ import annotations

from typing import Any

from django.db import models

from zonegov.core.disclosure.masking import looks_like_id_number, mask_name, mask_subject_code
from zonegov.core.disclosure.registry import get_category


def publish(category: str, *, natural_person: bool | None = None, **fields: Any) -> models.Model:
    """Add one line to a category's public disclosure, inside the caller's transaction
    (the decision and its announcement commit together).

    ``fields`` are the category model's fields (for permits: ``licence``, ``event``,
    ``licence_number``, ``operator_name``, ``holder_code``, …), copied at this moment so
    a later change does not rewrite an earlier announcement. The subject's code is masked
    when the subject is a natural person — ``natural_person`` says so, or, left None,
    the code's shape does (a valid personal ID number is never written in full); the
    name too when the category asks for it (``mask_person_names``).

    Checked: unknown field names (TypeError), lengths and choices of the values given
    (ValidationError). Empty values are written as given (a filing may have no premises
    address): what is public is what the decision says."""
    cat = get_category(category)
    if cat is None:
        raise LookupError(f"no disclosure category {category!r}")
    record = cat.model(**fields)
    code = str(getattr(record, cat.code_field, "") or "") if cat.code_field else ""
    person = natural_person if natural_person is not None else looks_like_id_number(code)
    if code:
        setattr(record, cat.code_field, mask_subject_code(code, natural_person=person))
    if person and cat.mask_person_names and cat.name_field:
        setattr(record, cat.name_field, mask_name(getattr(record, cat.name_field)))
    empty = [
        f.name
        for f in record._meta.concrete_fields
        if f.is_relation or getattr(record, f.attname) in (None, "")
    ]
    record.clean_fields(exclude=empty)
    record.save(force_insert=True)  # one INSERT, in the caller's transaction
    return record
