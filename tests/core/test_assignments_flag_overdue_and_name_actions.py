"""Issue 12 defect 14: the 交办 list flags overdue tasks; 验收办结 and 退回重办 look
different; the feedback names what happened. Date-sensitive (travels 30 days on)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from zonegov.core.services.assignments import assignment_act, assignment_create

pytestmark = pytest.mark.django_db


def _task(cast, title="核查消防通道", days=5):
    return assignment_create(
        actor=cast.leader, title=title, description="本周内完成", unit=cast.dept, time_limit=days
    )


def test_the_list_flags_an_overdue_task_and_not_a_current_one(cast, login):
    late = _task(cast, "逾期的事项", days=1)
    current = _task(cast, "未到期的事项", days=250)
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=True):
        page = login(cast.leader).get("/assignments/").content.decode()
    rows = page.split("<tr")
    late_row = next(r for r in rows if late.reference in r)
    current_row = next(r for r in rows if current.reference in r)
    assert "table-overdue" in late_row and "已超期" in late_row
    assert "table-overdue" not in current_row and "已超期" not in current_row


def test_a_closed_task_is_not_flagged_even_after_its_deadline(cast, login):
    task = _task(cast, days=1)
    assignment_act(actor=cast.officer, assignment=task, action="accept")
    assignment_act(actor=cast.officer, assignment=task, action="report", note="已办")
    assignment_act(actor=cast.leader, assignment=task, action="close")
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=True):
        page = login(cast.leader).get("/assignments/").content.decode()
    assert "已超期" not in page


def test_accept_and_send_back_look_different_and_the_message_names_the_step(cast, login):
    task = _task(cast)
    officer = login(cast.officer)
    response = officer.post(f"/assignments/{task.pk}/act/", {"action": "accept"}, follow=True)
    assert "已签收" in response.content.decode()
    officer.post(f"/assignments/{task.pk}/act/", {"action": "report", "note": "已核查"})
    leader = login(cast.leader)
    page = leader.get(f"/assignments/{task.pk}/").content.decode()
    close = re.search(r'<button[^>]*value="close"[^>]*>', page).group(0)
    back = re.search(r'<button[^>]*value="send_back"[^>]*>', page).group(0)
    assert "btn-success" in close and "btn-outline-danger" in back
    response = leader.post(
        f"/assignments/{task.pk}/act/", {"action": "send_back", "note": "照片不清楚"}, follow=True
    )
    page = response.content.decode()
    assert "已退回重办" in page and task.reference in page
    assert "已办理。" not in page


def test_table_headers_do_not_wrap_on_phones():
    from pathlib import Path

    import zonegov

    css = (Path(zonegov.__file__).parent / "static/zonegov/site.css").read_text()
    assert re.search(r"\.table th[^{]*\{[^}]*white-space:\s*nowrap", css)
