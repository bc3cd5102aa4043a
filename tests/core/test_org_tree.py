"""Issue 12 defect 10: the organisation page shows the tree (nested, collapsible), the
parent picker shows the tree, moving a unit under its own child says so plainly, and the
demo's 皇台街道 is a 街道 among the streets, not among the parks."""

import re

import pytest
from django.core.management import call_command

from tests.core import documents_fixtures
from zonegov.core.models import Unit, User
from zonegov.core.selectors.org import unit_tree

pki_dir = documents_fixtures.pki_dir
pytestmark = pytest.mark.django_db


def _tree_rows(page: str) -> list[tuple[int, str, str]]:
    """(depth, name, kind) of each unit on the page, in page order."""
    return [
        (int(depth), name, kind)
        for depth, name, kind in re.findall(
            r'data-depth="(\d+)".*?data-testid="unit-name"[^>]*>([^<]+)<.*?data-testid="unit-kind"[^>]*>([^<]+)<',
            page,
            re.S,
        )
    ]


def test_the_tree_nests_children_under_their_parents_and_collapses(cast, login):
    page = login(cast.admin).get("/org/").content.decode()
    rows = _tree_rows(page)
    names = [name for _depth, name, _kind in rows]
    assert names.index("皇台街道") + 1 == names.index("高阳社区")  # the child right below
    assert dict((n, d) for d, n, _k in rows)["高阳社区"] == 2
    assert "<details" in page and "<summary" in page  # a branch folds away


def test_siblings_are_grouped_by_kind_whatever_their_ids(cast, login):
    # A park created after the street (a higher id, "/1/10/" sorting before "/1/5/").
    for i in range(6):
        Unit.objects.create(name=f"新园区{i}", code=f"np{i}", kind="park", parent=cast.zone)
    for unit in Unit.objects.filter(code__startswith="np"):
        unit.path = f"{cast.zone.path}{unit.pk}/"
        unit.depth = 1
        unit.save()
    kinds = [u.kind for u in unit_tree(cast.admin) if u.depth == 1]
    assert kinds == sorted(kinds, key=["department", "park", "street"].index)


def test_the_demo_street_is_listed_as_a_street_among_the_streets(
    pki_dir, settings, tmp_path, client
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    client.force_login(
        User.objects.get(username="admin"), backend="django.contrib.auth.backends.ModelBackend"
    )
    rows = _tree_rows(client.get("/org/").content.decode())
    depth_one = [(name, kind) for depth, name, kind in rows if depth == 1]
    assert ("皇台街道", "街道") in depth_one
    kinds = [kind for _name, kind in depth_one]
    # parks together, then the street and the town: never a street among the parks
    assert kinds == ["部门"] * kinds.count("部门") + ["园区"] * kinds.count("园区") + ["街道", "镇"]


def test_the_parent_picker_shows_the_tree(cast, login):
    page = login(cast.admin).get(f"/org/units/{cast.community.pk}/").content.decode()
    start = page.index('name="parent"')
    select = page[start : page.index("</select>", start)]
    options = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    street = next(o for o in options if "皇台街道" in o)
    community = next(o for o in options if "高阳社区" in o)
    assert "街道" in street and community.startswith("\u3000\u3000")  # indented two levels


def test_moving_a_unit_under_its_own_child_is_explained(cast, login):
    response = login(cast.admin).post(
        f"/org/units/{cast.street.pk}/",
        {"name": "皇台街道", "parent": cast.community.pk, "sort_order": 0, "is_active": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "不能把“皇台街道”移到它自己的下级单位“高阳社区”之下" in page
    cast.street.refresh_from_db()
    assert cast.street.parent_id == cast.zone.pk
