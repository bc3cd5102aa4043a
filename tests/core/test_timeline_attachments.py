import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.test_attachment_samples import PNG
from zonegov.core.selectors.workflow import timeline_for
from zonegov.core.services.assignments import assignment_create


@pytest.fixture
def task(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return assignment_create(
        actor=cast.leader, title="清理杂物", description="拍照报送", unit=cast.dept, time_limit=3
    )


def test_a_report_carries_its_photos_on_the_timeline(cast, login, task):
    client = login(cast.officer)
    client.post(f"/assignments/{task.pk}/act/", {"action": "accept"})
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    client.post(
        f"/assignments/{task.pk}/act/", {"action": "report", "note": "已清理", "files": [photo]}
    )
    entry = timeline_for(task).get(action="report")
    assert [a.original_name for a in entry.attachments.all()] == ["现场.png"]
    page = client.get(f"/assignments/{task.pk}/").content.decode()
    assert "现场.png" in page


def test_a_refused_file_stops_the_step_and_says_why(cast, login, task):
    client = login(cast.officer)
    client.post(f"/assignments/{task.pk}/act/", {"action": "accept"})
    fake = SimpleUploadedFile("photo.jpg", b"this is text, not a photo", content_type="image/jpeg")
    response = client.post(
        f"/assignments/{task.pk}/act/",
        {"action": "report", "note": "已清理", "files": [fake]},
        follow=True,
    )
    task.refresh_from_db()
    assert task.state == "in_progress"
    page = response.content.decode()
    assert "文件内容不是可接受的类型" in page
    assert "已清理" in page  # the note typed is kept for the next try
