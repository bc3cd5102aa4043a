"""Evidence checklists: apps register the photos and videos a case type needs, and ask
which required ones a case's attachments do not cover yet (right label, right kind,
enough of them)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_attachment_samples import MP4, PNG
from zonegov.core import checklists
from zonegov.core.checklists import Checklist, Item
from zonegov.core.services.assignments import assignment_create
from zonegov.core.services.attachments import attachment_add

SITE = Item("site", "施工现场全景", hint="站在大门口拍摄", check="有无停工迹象")
ROSTER = Item("roster", "工人花名册", min_count=2)
WALK = Item("walk", "现场视频", kind="video")
OPTIONAL = Item("gate", "工地大门", required=False)
WAGE_SITE = Checklist("test.wage_site", "欠薪现场核查", (SITE, ROSTER, OPTIONAL, WALK))


@pytest.fixture(autouse=True)
def registered():
    checklists.register_checklist(WAGE_SITE)
    yield
    checklists._REGISTRY.pop(WAGE_SITE.key, None)


def test_a_registered_checklist_is_found_by_its_key():
    assert checklists.get_checklist("test.wage_site") is WAGE_SITE
    assert WAGE_SITE in checklists.checklists("test.")
    assert checklists.get_checklist("test.nothing") is None
    assert WAGE_SITE.item("roster").min_count == 2


def test_registering_the_same_checklist_twice_is_harmless_but_a_clash_is_refused():
    checklists.register_checklist(Checklist("test.wage_site", "欠薪现场核查", WAGE_SITE.items))
    with pytest.raises(ValueError):
        checklists.register_checklist(Checklist("test.wage_site", "别的清单", (SITE,)))


def test_items_must_be_photos_or_videos_listed_once():
    with pytest.raises(ValueError):
        Item("doc", "合同", kind="pdf")
    with pytest.raises(ValueError):
        Item("x", "零张", min_count=0)
    with pytest.raises(ValueError):
        Checklist("test.twice", "重复", (SITE, SITE))


def test_extra_items_go_before_the_closing_video():
    extended = WAGE_SITE.with_items(Item("payroll", "工资表"), SITE)
    assert [i.key for i in extended.items] == ["site", "roster", "gate", "payroll", "walk"]


@pytest.fixture
def case(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return assignment_create(
        actor=cast.leader, title="欠薪核查", description="取证", unit=cast.dept, time_limit=3
    )


def attach(cast, case, label, content=PNG, name="p.png"):
    return attachment_add(
        actor=cast.leader,
        owner=case,
        uploaded_file=SimpleUploadedFile(name, content),
        label=label,
    )


def test_it_names_what_a_case_still_lacks(cast, case):
    assert [i.key for i in checklists.missing_for_owner(WAGE_SITE, case)] == [
        "site",
        "roster",
        "walk",
    ]
    attach(cast, case, "site")
    attach(cast, case, "roster")
    attach(cast, case, "walk")  # a photo where the video belongs does not count
    missing = checklists.missing_for_owner(WAGE_SITE, case)
    assert [i.key for i in missing] == ["roster", "walk"]
    assert checklists.missing_message(missing) == "工人花名册（至少 2 个）、现场视频"

    attach(cast, case, "roster")
    attach(cast, case, "walk", MP4, "v.mp4")
    assert checklists.missing_for_owner(WAGE_SITE, case) == []
    status = {s.item.key: s for s in checklists.evaluate_owner(WAGE_SITE, case)}
    assert status["roster"].count == 2 and status["roster"].done
    assert not status["gate"].done and not status["gate"].missing  # optional


def test_a_case_not_saved_yet_lacks_everything_required(cast):
    from zonegov.core.models import Assignment

    unsaved = Assignment(title="未保存")
    assert len(checklists.missing_for_owner(WAGE_SITE, unsaved)) == 3


def test_licensing_registers_its_capture_guide():
    from zonegov.licensing import capture

    guide = checklists.get_checklist("licensing.licence.2")
    assert guide is not None
    assert [i.key for i in guide.items] == [s.code for s in capture.GUIDES[("licence", "2")]]
    cold = capture.checklist_for("licence", "2", ["cold"])
    assert [i.key for i in cold.items][-2:] == ["cold_room", "walkthrough"]
    assert capture.guide_for("unknown", "9") == list(capture.DEFAULT_GUIDE)
