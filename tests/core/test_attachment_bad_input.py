"""Whatever a client sends to the attachment endpoints, the answer is never a 500."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_attachment_samples import SAMPLES, case, media, upload  # noqa: F401

HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
text = st.text(min_size=1, max_size=80)


def named_upload(content: bytes, name: str):
    try:
        return upload(content, name)
    except SuspiciousFileOperation:  # the test client cannot send names like "/" or ".."
        return upload(content, "x")


@HYPOTHESIS
@given(content_type=text, owner_id=text)
def test_any_record_name_is_answered_without_a_server_error(
    cast, case, media, login, content_type, owner_id
):
    client = login(cast.officer)
    url = f"/api/attachments/{quote(content_type, safe='')}/{quote(owner_id, safe='')}"
    assert client.get(url).status_code in {200, 404}
    assert client.post(url, {"file": upload(b"%PDF-1.4\n", "a.pdf")}).status_code in {
        201,
        400,
        404,
        409,
    }


@HYPOTHESIS
@given(
    content=st.one_of(
        st.binary(max_size=600),
        st.sampled_from([sample[0] for sample in SAMPLES.values()]).flatmap(
            lambda head: st.binary(max_size=100).map(lambda tail: head[:40] + tail)
        ),
    ),
    name=st.text(max_size=300),
    label=st.text(max_size=120),
)
def test_any_upload_is_stored_or_refused_with_a_message(
    cast, case, media, login, content, name, label
):
    client = login(cast.officer)
    api = client.post(
        f"/api/attachments/core.assignment/{case.pk}",
        {"file": named_upload(content, name), "label": label},
    )
    assert api.status_code in {201, 400}, api.content
    if api.status_code == 400:
        assert api.json()["message"]
    content_type = ContentType.objects.get_for_model(case)
    page = client.post(
        reverse("attachment_upload", args=[content_type.pk, case.pk]),
        {"file": named_upload(content, name), "label": label},
    )
    assert page.status_code == 302


@HYPOTHESIS
@given(range_header=st.text(max_size=40), if_range=st.text(max_size=20))
def test_any_range_header_is_answered_without_a_server_error(
    cast, case, media, login, range_header, if_range
):
    from zonegov.core.services.attachments import attachment_add

    if not hasattr(case, "_video"):
        content = SAMPLES["mp4"][0] * 50
        case._video = attachment_add(
            actor=cast.officer, owner=case, uploaded_file=upload(content, "v.mp4")
        )
    headers = {"Range": range_header}
    if if_range:
        headers["If-Range"] = if_range
    try:
        response = login(cast.officer).get(
            reverse("attachment_download", args=[case._video.pk]), headers=headers
        )
    except ValueError:
        return  # the test client itself refuses header values with newlines
    assert response.status_code in {200, 206, 416}
