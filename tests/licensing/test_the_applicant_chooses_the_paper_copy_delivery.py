"""Issue 12: the applicant chooses how the paper copy reaches them (窗口领取 or 邮寄 with
recipient, phone and address, validated); the print queue shows the choice; marking the
copy printed tells the applicant it is ready at the counter, or posted with the tracking
number. Only the applicant may choose (anyone else: 404)."""

import pytest

from tests.licensing.conftest import issued_licence
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Notification
from zonegov.licensing import services
from zonegov.licensing.models import PrintJob

pytestmark = pytest.mark.django_db

QUEUE = "/licensing/workbench/?queue=print"
POST = {
    "delivery": "post",
    "recipient": "张三",
    "phone": "13800000001",
    "address": "河南省平顶山市高新区神马大道88号3号楼",
}


def delivery_url(app) -> str:
    return f"/licensing/applications/{app.pk}/delivery/"


def issued_app(cast, lic):
    licence = issued_licence(cast, lic)
    return licence.versions.get().application


def test_the_applicant_chooses_post_on_the_case_page(cast, lic, login):
    app = issued_app(cast, lic)
    client = login(cast.applicant)
    page = client.get(app.get_absolute_url()).content.decode()
    assert 'data-testid="delivery-form"' in page and "待打印" in page
    response = client.post(delivery_url(app), POST)
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.paper_delivery, app.delivery_address) == ("post", POST["address"])
    queue = login(cast.officer).get(QUEUE).content.decode()
    assert "邮寄" in queue and POST["address"] in queue and 'name="tracking_number"' in queue


@pytest.mark.parametrize(
    "bad, field_message",
    [
        ({"address": "高新区"}, "请填写详细邮寄地址"),
        ({"phone": "12345"}, "联系电话应为11位手机号"),
        ({"recipient": ""}, "请填写收件人姓名"),
        ({"address": "河南省平顶山市\x00高新区神马大道88号"}, "控制字符"),
        ({"delivery": "drone"}, "请选择领取方式"),
    ],
)
def test_bad_delivery_details_come_back_as_messages(cast, lic, login, bad, field_message):
    app = issued_app(cast, lic)
    client = login(cast.applicant)
    response = client.post(delivery_url(app), {**POST, **bad}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert field_message in page
    kept = "address" if "phone" in bad else "phone"  # what was typed stays in the form
    assert f'value="{POST[kept]}"' in page
    app.refresh_from_db()
    assert app.paper_delivery == "counter" and app.delivery_address == ""


def test_only_the_applicant_may_choose(cast, lic, login):
    app = issued_app(cast, lic)
    for user in (cast.other_applicant, cast.officer):
        assert login(user).post(delivery_url(app), POST).status_code == 404
    assert login(cast.other_applicant).get(app.get_absolute_url()).status_code == 404
    app.refresh_from_db()
    assert app.paper_delivery == "counter"


def test_counter_pick_up_is_told_when_printed(cast, lic, login):
    app = issued_app(cast, lic)
    job = PrintJob.objects.get()
    before = Notification.objects.filter(recipient=cast.applicant).count()
    response = login(cast.officer).post(f"/licensing/print/{job.pk}/done/", follow=True)
    assert "已打印并通知申请人到窗口领取" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "printed"
    new = Notification.objects.filter(recipient=cast.applicant).order_by("pk")[before:]
    assert [n.title for n in new] == [f"纸质证书可领取：{app.reference}"]
    assert new[0].url == app.get_absolute_url() and "窗口领取" in new[0].body
    page = login(cast.applicant).get(app.get_absolute_url()).content.decode()
    assert "已打印，待窗口领取" in page and 'data-testid="delivery-form"' not in page
    with pytest.raises(ApplicationError):  # the choice is fixed once printed
        services.paper_delivery_choose(actor=cast.applicant, application=app, **POST)


def test_posting_needs_the_tracking_number_and_tells_it(cast, lic, login):
    app = issued_app(cast, lic)
    login(cast.applicant).post(delivery_url(app), POST)
    job = PrintJob.objects.get()
    officer = login(cast.officer)
    refused = officer.post(f"/licensing/print/{job.pk}/done/", {"tracking_number": ""}, follow=True)
    assert "请填写快递单号" in refused.content.decode()
    job.refresh_from_db()
    assert job.status == "queued"
    assert not Notification.objects.filter(title__startswith="纸质证书").exists()
    officer.post(f"/licensing/print/{job.pk}/done/", {"tracking_number": "SF1234567890"})
    job.refresh_from_db()
    assert (job.status, job.tracking_number) == ("posted", "SF1234567890")
    notice = Notification.objects.get(recipient=cast.applicant, title__startswith="纸质证书")
    assert notice.title == f"纸质证书已邮寄：{app.reference}"
    assert "SF1234567890" in notice.body and POST["address"] in notice.body
    assert not Notification.objects.filter(recipient=cast.other_applicant).exists()
    page = login(cast.applicant).get(app.get_absolute_url()).content.decode()
    assert "已邮寄" in page and "SF1234567890" in page


def test_a_stranger_cannot_mark_the_copy_printed(cast, lic, login):
    issued_app(cast, lic)
    job = PrintJob.objects.get()
    login(lic.stranger_officer).post(f"/licensing/print/{job.pk}/done/")
    job.refresh_from_db()
    assert job.status == "queued"


def test_the_api_takes_the_same_choice_and_refuses_the_same_errors(cast, lic, login):
    app = issued_app(cast, lic)
    url = f"/api/licensing/applications/{app.pk}/delivery"
    client = login(cast.applicant)
    bad = client.post(url, {**POST, "phone": "abc"}, content_type="application/json")
    assert bad.status_code == 400 and "联系电话" in str(bad.json())
    long = client.post(url, {**POST, "address": "地" * 500}, content_type="application/json")
    assert long.status_code in (400, 422)
    ok = client.post(url, POST, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["delivery"] == "post"
    stranger = login(cast.other_applicant).post(url, POST, content_type="application/json")
    assert stranger.status_code == 404
