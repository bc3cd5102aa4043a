"""The platform's JSON API at /api/ (OpenAPI document at /api/openapi.json).

Each app contributes routers through ``API_ROUTERS``; every endpoint authenticates with a
session (browser) or a bearer token (API clients) and answers errors in one shape.
"""

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.db.utils import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zonegov.core.api.base import AUTH, StrictParser, error_body
from zonegov.core.errors import ApplicationError, field_errors_from_validation_error
from zonegov.core.ratelimit import RateLimited

api = NinjaAPI(
    title="zonegov API",
    version="1.0",
    description="高新区数字政务平台接口。认证：浏览器会话，或 `Authorization: Bearer <令牌>`。",
    auth=AUTH,
    parser=StrictParser(),
    urls_namespace="api",
)


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    return api.create_response(
        request, error_body(exc.message, exc.field_errors), status=exc.status_code
    )


@api.exception_handler(ValidationError)
def _django_validation_error(request, exc: ValidationError):
    errors = field_errors_from_validation_error(exc)
    return api.create_response(request, error_body(_("提交的数据有误。"), errors), status=400)


def _loc_to_field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def _ninja_validation_error(request, exc: NinjaValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        errors.setdefault(_loc_to_field(err.get("loc", ())), []).append(err.get("msg", ""))
    return api.create_response(request, error_body(_("提交的数据有误。"), errors), status=400)


@api.exception_handler(DataError)
def _data_error(request, exc):
    # A value the database cannot hold (an id or offset beyond 64 bits, …): the client's
    # input is wrong, not the server.
    return api.create_response(
        request, error_body(_("提交的数值超出允许范围，请检查后重试。")), status=400
    )


@api.exception_handler(OverflowError)
def _overflow_error(request, exc):
    return _data_error(request, exc)


# A request body Django cannot parse is the client's error on every endpoint: without
# these, django-ninja's default handler answers 500 (with DEBUG) or hands the exception to
# Django, which answers an HTML page instead of the API's error shape.
@api.exception_handler(MultiPartParserError)
def _malformed_multipart(request, exc):
    return api.create_response(
        request,
        error_body(
            _(
                "上传的内容无法解析：multipart/form-data 请求须带分隔符（boundary），"
                "各部分的头信息（含文件名）合计不得超过 1 KB。请检查文件名和请求格式后重试。"
            )
        ),
        status=400,
    )


@api.exception_handler(TooManyFieldsSent)
def _too_many_fields(request, exc):
    return api.create_response(request, error_body(_("提交的字段过多。")), status=400)


@api.exception_handler(TooManyFilesSent)
def _too_many_files(request, exc):
    return api.create_response(request, error_body(_("一次上传的文件过多。")), status=400)


@api.exception_handler(RequestDataTooBig)
def _request_too_big(request, exc):
    return api.create_response(request, error_body(_("提交的内容过大，请减小后重试。")), status=413)


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    return api.create_response(
        request, error_body(_("请先登录或提供有效的 API 令牌。")), status=401
    )


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return api.create_response(request, error_body(str(exc) or _("您无权进行此操作。")), status=403)


@api.exception_handler(RateLimited)
def _rate_limited(request, exc: RateLimited):
    response = api.create_response(request, error_body(str(exc)), status=429)
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, error_body(_("未找到，或您无权查看。")), status=404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, NinjaValidationError):
        # The body parser (StrictParser) refused a value; ninja wraps that in HttpError.
        return _ninja_validation_error(request, exc.__cause__)
    if str(exc).startswith("Cannot parse request body"):
        return api.create_response(
            request, error_body(_("请求内容不是有效的 JSON。")), status=exc.status_code
        )
    return api.create_response(request, error_body(str(exc)), status=exc.status_code)


def _register_routers() -> None:
    from zonegov.core.api import routers as core_routers

    for prefix, router in core_routers.ROUTERS:
        api.add_router(prefix, router)
    from zonegov.licensing.api import router as licensing_router

    api.add_router("/licensing", licensing_router)
    from zonegov.supervision.api import router as supervision_router

    api.add_router("/supervision", supervision_router)
    from zonegov.dashboard.api import router as dashboard_router

    api.add_router("/dashboard", dashboard_router)
    from zonegov.core.disclosure.api import router as disclosure_router
    from zonegov.licensing.public_api import router as public_router

    api.add_router("/public", disclosure_router)
    api.add_router("/public", public_router)


_register_routers()
