import pytest
from django.core.management import call_command

from tests.core import documents_fixtures
from zonegov.core.models import Assignment, Enterprise, Unit, User, WorkItem
from zonegov.core.selectors.workflow import work_items_for

pki_dir = documents_fixtures.pki_dir


@pytest.mark.django_db
def test_the_demo_zone_is_built_once_however_often_it_is_seeded(pki_dir, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", verbosity=0)
    counts = (Unit.objects.count(), User.objects.count(), Enterprise.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Unit.objects.count(), User.objects.count(), Enterprise.objects.count()) == counts
    names = set(Unit.objects.values_list("name", flat=True))
    assert {
        "电气装备产业园区",
        "临港物流产业园区",
        "皇台产业园区",
        "尼龙智造产业园区",
        "行政服务中心",
        "市场监督管理局高新区分局",
        "高阳社区",
        "戴庄村",
        "张楼村",
    } <= names
    # One demo login per role, each able to log in with the printed password.
    for username in [
        "admin",
        "leader",
        "shenpi",
        "hecha",
        "jianguan",
        "yuanqu",
        "qianxin",
        "wangge",
        "zhaoshang",
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff_member and user.check_password("Zonegov@2026")
    assert User.objects.get(username="13800138000").is_applicant
    # The home page has something to show, overdue first.
    assert Assignment.objects.count() == 6
    leader_items = list(work_items_for(User.objects.get(username="leader")))
    deadlines = [item.due_at for item in leader_items]
    assert deadlines[0] is not None
    dated = [d for d in deadlines if d is not None]
    assert dated == sorted(dated) and deadlines[: len(dated)] == dated
    assert WorkItem.objects.filter(is_open=False).exists()
