"""The GB/T 4754-2017 code table loaded by migration core.0003."""

from zonegov.core.industry import parse_industry_code
from zonegov.core.models import IndustryCode

SECTION = IndustryCode.Level.SECTION
DIVISION = IndustryCode.Level.DIVISION


def test_it_has_the_20_sections_and_97_divisions_of_the_2017_edition(db):
    assert IndustryCode.objects.filter(level=SECTION).count() == 20
    assert IndustryCode.objects.filter(level=DIVISION).count() == 97
    sections = list(IndustryCode.objects.filter(level=SECTION).values_list("code", flat=True))
    assert sections == list("ABCDEFGHIJKLMNOPQRST")
    divisions = IndustryCode.objects.filter(level=DIVISION).values_list("code", flat=True)
    assert sorted(divisions) == [f"{n:02d}" for n in range(1, 98)]


def test_every_division_hangs_under_its_section(db):
    assert not IndustryCode.objects.filter(level=DIVISION, parent__isnull=True).exists()
    assert not IndustryCode.objects.filter(level=SECTION, parent__isnull=False).exists()
    counts = {s.code: s.children.count() for s in IndustryCode.objects.filter(level=SECTION)}
    assert counts["A"] == 5
    assert counts["C"] == 31  # 制造业 13–43
    assert counts["S"] == 6  # 91–96
    assert counts["T"] == 1  # 97


def test_spot_checks_against_the_standard(db):
    def name(code: str) -> tuple[str, str | None]:
        row = IndustryCode.objects.get(code=code)
        return row.name, row.parent_id

    assert name("A") == ("农、林、牧、渔业", None)
    assert name("C") == ("制造业", None)
    assert name("S") == ("公共管理、社会保障和社会组织", None)
    assert name("T") == ("国际组织", None)
    assert name("01") == ("农业", "A")
    assert name("05") == ("农、林、牧、渔专业及辅助性活动", "A")
    assert name("13") == ("农副食品加工业", "C")
    assert name("28") == ("化学纤维制造业", "C")
    assert name("30") == ("非金属矿物制品业", "C")
    assert name("38") == ("电气机械和器材制造业", "C")
    assert name("58") == ("多式联运和运输代理业", "G")
    assert name("59") == ("装卸搬运和仓储业", "G")
    assert name("62") == ("餐饮业", "H")
    assert name("79") == ("土地管理业", "N")  # new in 2017; shifts 80–97 by one
    assert name("90") == ("娱乐业", "R")
    assert name("91") == ("中国共产党机关", "S")
    assert name("96") == ("基层群众自治组织及其他组织", "S")
    assert name("97") == ("国际组织", "T")


def test_it_reads_codes_the_way_people_type_them():
    assert parse_industry_code("38") == "38"
    assert parse_industry_code("C38") == "38"
    assert parse_industry_code("38 电气机械和器材制造业") == "38"
    assert parse_industry_code("8") == "08"
    assert parse_industry_code("c") == "C"
    assert parse_industry_code("A38") == ""  # letter and division disagree
    assert parse_industry_code("381") == ""  # a group code, not a division
    assert parse_industry_code("制造业") == ""
