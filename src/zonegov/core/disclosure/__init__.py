"""Public disclosure (公示, 双公示): one service any module publishes to.

- ``registry``: ``register_category(Category(...))`` from a module's ``ready()`` — what it
  discloses (model or queryset, public fields with labels, search fields, filters, link);
- ``services.publish(category, **fields)``: the one write (validates, masks, writes);
- ``search``: the search, filters and capped count shared by page, feeds and JSON;
- ``views`` / ``urls``: ``/gongshi/`` (the default category) and ``/gongshi/<key>/``, each
  with RSS and Atom; ``api``: ``/api/public/disclosures[/<key>]``;
- ``masking``: ``mask_id_number``, ``mask_name``, ``mask_subject_code``, ``mask_mobile``;
- ``models.DisclosureRecord``: the abstract common columns; ``pg``: the PostgreSQL search
  columns and indexes of a category's table.

Licensing's 行政许可 (``licensing/disclosure.py``) is the first category. See
docs/public-announcement.md.
"""

from zonegov.core.disclosure.masking import (
    mask_id_number,
    mask_mobile,
    mask_name,
    mask_subject_code,
)
from zonegov.core.disclosure.registry import (
    Category,
    ChoiceFilter,
    PublicField,
    TextSearch,
    categories,
    default_category,
    get_category,
    register_category,
    unregister_category,
)
from zonegov.core.disclosure.services import publish

__all__ = [
    "Category",
    "ChoiceFilter",
    "PublicField",
    "TextSearch",
    "categories",
    "default_category",
    "get_category",
    "mask_id_number",
    "mask_mobile",
    "mask_name",
    "mask_subject_code",
    "publish",
    "register_category",
    "unregister_category",
]
