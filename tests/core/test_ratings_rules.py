"""好差评 rules: one rating per case and rater, only after 办结 and within the window, a
差评 opens a rectification case with the CaseType's deadline for the case's unit."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from tests.core import ratings_fixtures
from tests.core.ratings_fixtures import SERVICE, finished
from zonegov.core import workdays
from zonegov.core.errors import ApplicationError
from zonegov.core.models import CaseType, WorkItem
from zonegov.core.ratings import rules
from zonegov.core.ratings.models import RatingRectification, ServiceRating
from zonegov.core.ratings.services import rating_submit

pytestmark = pytest.mark.django_db
rated = ratings_fixtures.rated  # the fixture


def _rate(user, ref, level, comment=""):
    return rating_submit(
        actor=user, service_key=SERVICE, reference=ref, level=level, comment=comment
    )


def test_the_level_codes_follow_the_standard_and_the_provincial_interfaces():
    assert rules.CODES[rules.Level.VERY_SATISFIED].gb_code == 1
    assert rules.CODES[rules.Level.VERY_DISSATISFIED].gb_code == 5
    assert rules.CODES[rules.Level.VERY_SATISFIED].provincial_code == 5
    assert rules.CODES[rules.Level.VERY_DISSATISFIED].provincial_code == 1
    assert {c.gb_code for c in rules.CODES.values()} == {1, 2, 3, 4, 5}
    assert rules.BAD_LEVELS == {rules.Level.DISSATISFIED, rules.Level.VERY_DISSATISFIED}


def test_a_good_rating_is_recorded_once_and_opens_nothing(cast, rated):
    finished("T-1", cast.applicant, cast.dept)
    rating = _rate(cast.applicant, "T-1", 5, "办得很快")
    assert rating.unit == cast.dept and rating.get_level_display() == "非常满意"
    assert not RatingRectification.objects.exists()
    with pytest.raises(ApplicationError, match="只能评价一次"):
        _rate(cast.applicant, "T-1", 1)
    assert ServiceRating.objects.count() == 1


def test_a_bad_rating_opens_a_rectification_for_the_unit_with_the_case_types_deadline(cast, rated):
    finished("T-2", cast.applicant, cast.dept)
    rating = _rate(cast.applicant, "T-2", 2, "窗口人员态度差")
    case = rating.rectification
    assert case.state == "open" and case.unit == cast.dept
    limit = CaseType.objects.get(code=rules.RECTIFICATION_CASE_TYPE)
    assert limit.time_limit == 15 and limit.limit_unit == "calendar_days"
    assert workdays.local_date(case.due_at) >= timezone.localdate() + timedelta(days=15)
    item = WorkItem.objects.get(reference=case.reference)
    assert item.unit == cast.dept and item.is_open and item.applicant == cast.applicant


def test_the_deadline_follows_an_admins_edit_of_the_case_type(cast, rated):
    CaseType.objects.filter(code=rules.RECTIFICATION_CASE_TYPE).update(
        time_limit=5, limit_unit="working_days"
    )
    finished("T-3", cast.applicant, cast.dept)
    case = _rate(cast.applicant, "T-3", 1).rectification
    assert case.limit_unit == "working_days"
    assert workdays.local_date(case.due_at) == workdays.deadline(
        timezone.localdate(), 5, "working_days"
    )


def test_it_refuses_a_case_not_yet_finished(cast, rated):
    finished("T-4", cast.applicant, cast.dept, done=False)
    with pytest.raises(ApplicationError, match="办结后才能评价"):
        _rate(cast.applicant, "T-4", 4)


def test_it_refuses_after_the_rating_window(cast, rated):
    finished("T-5", cast.applicant, cast.dept, timezone.now())
    with time_machine.travel(timezone.now() + timedelta(days=rules.rating_window_days() + 1)):
        with pytest.raises(ApplicationError, match="已超过评价期限"):
            _rate(cast.applicant, "T-5", 4)


def test_only_the_cases_applicant_may_rate_it(cast, rated):
    finished("T-6", cast.applicant, cast.dept)
    for stranger in (cast.other_applicant, cast.officer, cast.leader):
        with pytest.raises(Http404):
            _rate(stranger, "T-6", 5)
    with pytest.raises(Http404):
        rating_submit(actor=cast.applicant, service_key="nosuch", reference="T-6", level=5)


@pytest.mark.parametrize(
    ("level", "comment", "message"),
    [
        (0, "", "请选择满意度"),
        (6, "", "请选择满意度"),
        (5, "好" * (rules.COMMENT_MAX_LENGTH + 1), "不能超过"),
        (5, "bad\x00text", "控制字符"),
    ],
)
def test_it_refuses_bad_input_with_a_message(cast, rated, level, comment, message):
    finished("T-7", cast.applicant, cast.dept)
    with pytest.raises(ApplicationError) as exc:
        _rate(cast.applicant, "T-7", level, comment)
    assert message in exc.value.message or message in str(exc.value.field_errors)
    assert not ServiceRating.objects.exists()


def test_the_audit_log_names_every_rating_step():
    from zonegov.core.audit_labels import action_label

    assert action_label("rating.submit") == "提交好差评"
    assert action_label("rating_rectification.open").endswith("立案")
    assert action_label("rating_rectification.give_answer").endswith("答复整改情况")
    assert action_label("rating_rectification.record_callback").endswith("回访")
