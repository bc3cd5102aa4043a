"""Bad input gets a clear Chinese message and nothing the applicant entered is lost."""

import pytest

from tests.licensing.conftest import CATERING_TICKS
from zonegov.core.errors import ApplicationError
from zonegov.licensing import services

pytestmark = pytest.mark.django_db


def _start(cast):
    return services.application_start(actor=cast.applicant, kind="licence")


def test_a_wrong_uscc_check_character_is_named_and_the_rest_kept(cast, lic):
    app = _start(cast)
    data = {**CATERING_TICKS, "holder_code": "91410400MA9F8U6X34", "premises_address": "某路1号"}
    result = services.application_save_ticks(actor=cast.applicant, application=app, data=data)
    assert "校验位不正确" in result.errors["holder_code"][0]
    assert not result.ok
    app = result.application
    app.refresh_from_db()
    assert app.premises_address == "某路1号"
    assert app.items == CATERING_TICKS["items"]


def test_missing_ticks_are_listed_before_signing(cast, lic):
    app = _start(cast)
    app = services.application_update(
        actor=cast.applicant, application=app, data={"subject_type": "2", "items": []}
    )
    with pytest.raises(ApplicationError) as exc:
        services.application_sign(actor=cast.applicant, application=app)
    assert "请至少勾选一项经营项目" in exc.value.message
    assert "请勾选承诺事项" in exc.value.message
    assert "items" in exc.value.field_errors


def test_a_seller_cannot_tick_catering_items(cast, lic):
    app = _start(cast)
    app = services.application_update(
        actor=cast.applicant, application=app, data={**CATERING_TICKS, "subject_type": "1"}
    )
    assert "餐饮服务" in "".join(services.missing_ticks(app)["items"])


def test_unknown_codes_are_refused(cast, lic):
    app = _start(cast)
    result = services.application_save_ticks(
        actor=cast.applicant,
        application=app,
        data={"items": [{"code": "caviar"}], "subject_type": "9", "premises": {"area": "huge"}},
    )
    assert set(result.errors) == {"items", "subject_type", "premises"}
    assert not hasattr(result.application, "_tick_errors")  # nothing set on the model


def test_semi_finished_food_needs_the_central_kitchen_qualifier(cast, lic):
    app = _start(cast)
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={**CATERING_TICKS, "items": [{"code": "semi"}, {"code": "hot"}]},
    )
    assert any("中央厨房" in m for m in services.missing_ticks(app)["items"])


def test_a_small_shop_over_60_square_metres_is_refused(cast, lic):
    app = services.application_start(actor=cast.applicant, kind="small_shop")
    ticks = {**CATERING_TICKS, "premises": {**CATERING_TICKS["premises"], "area": "le200"}}
    app = services.application_update(actor=cast.applicant, application=app, data=ticks)
    assert any("60平方米" in m for m in services.missing_ticks(app)["premises"])


def test_an_unsupported_application_type_is_refused(cast, lic):
    with pytest.raises(ApplicationError) as exc:
        services.application_start(actor=cast.applicant, kind="filing", app_type="renew")
    assert "不支持" in exc.value.message


def test_known_facts_are_prefilled_from_the_registry(cast, lic):
    app = _start(cast)
    assert app.operator_name == lic.enterprise.name
    assert app.holder_code == lic.enterprise.uscc
    assert app.legal_rep == "张三"
    assert app.verification_passed
