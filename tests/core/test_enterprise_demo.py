"""The demo enterprises: valid codes, the zone's parks, food businesses, idempotent."""

from stdnum.cn import uscc

from tests.conftest import make_unit
from zonegov.core.demo.enterprises import demo_rows, seed_enterprises
from zonegov.core.models import AuditRecord, Enterprise
from zonegov.core.models.org import UnitKind


def parks(cast) -> dict:
    units = {
        "电气装备产业园区": cast.park,
        "皇台街道": cast.street,
    }
    for name, code in (
        ("临港物流产业园区", "lgwl"),
        ("皇台产业园区", "htcy"),
        ("尼龙智造产业园区", "nlzz"),
    ):
        units[name] = make_unit(name, code, UnitKind.PARK, cast.zone)
    return units


def test_every_demo_code_is_valid_and_unique():
    rows = demo_rows()
    assert 35 <= len(rows) <= 45
    assert all(uscc.is_valid(r["uscc"]) for r in rows)
    assert len({r["uscc"] for r in rows}) == len(rows)
    individual = [r for r in rows if r["kind"] == "individual"]
    assert len(individual) >= 5
    assert all(r["uscc"].startswith("92") for r in individual)


def test_seeding_registers_them_once_through_the_service(cast):
    count = seed_enterprises(parks=parks(cast), actor=cast.admin)
    assert count == len(demo_rows()) == Enterprise.objects.count()
    assert AuditRecord.objects.filter(action="enterprise.create").count() == count
    assert seed_enterprises(parks=parks_again(cast), actor=cast.admin) == count
    assert Enterprise.objects.count() == count


def parks_again(cast) -> dict:
    from zonegov.core.models import Unit

    return {u.name: u for u in Unit.objects.filter(kind__in=["park", "street", "town"])}


def test_the_parks_get_their_kind_of_industry_and_food_businesses_exist(cast):
    seed_enterprises(parks=parks(cast), actor=cast.admin)
    electrical = Enterprise.objects.filter(park=cast.park, industry_id="38")
    assert electrical.count() >= 4
    assert Enterprise.objects.filter(
        park__name="临港物流产业园区", industry__parent_id="G"
    ).exists()
    assert Enterprise.objects.filter(park__name="皇台产业园区", industry_id="30").exists()
    assert Enterprise.objects.filter(park__name="尼龙智造产业园区", industry_id="28").exists()
    food = Enterprise.objects.filter(industry_id__in=["62", "52", "14", "51"])
    assert food.count() >= 12
    # 遵化店镇 is not in this cast: its businesses are registered without a 属地
    assert Enterprise.objects.filter(name__startswith="遵化店镇", park__isnull=True).count() == 2
