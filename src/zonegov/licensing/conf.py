"""Settings of the licensing app, each read at call time with a default (tests and
deployments override them in Django settings; ``settings.py`` itself is not edited).

* ``ZONEGOV_LICENSING_UNIT_CODE`` – code of the unit that accepts and decides applications
  (the 行政服务中心). Default ``"xzfwzx"``.
* ``ZONEGOV_LICENSING_INSPECTION_UNIT_CODE`` – unit of the inspectors who verify premises
  (市场监管分局). Default ``"scjg"``.
* ``ZONEGOV_LICENSING_ISSUER_NAME`` – 发证机关 printed on certificates.
* ``ZONEGOV_LICENSING_ISSUER_USCC`` – the issuing authority's 统一社会信用代码, used as the
  颁发机构代码 of GB/T 36904 identifiers.
* ``ZONEGOV_LICENSING_REGION_CODE`` – six-digit division code of the issuing authority
  (the 2-2-2 region digits of JY/YB numbers and of the series they are drawn from).
  Default ``"410471"``.
* ``ZONEGOV_LICENSING_COMPLAINTS_PHONE`` – 投诉举报电话 on certificates.
* (``ZONEGOV_LICENSING_SIGNER`` is gone: the 签发人 line names the approving official, see
  ``kinds.PermitKind.prints_signer``.)
* ``ZONEGOV_ELICENCE_PROVIDER`` – dotted path of the e-licence provider class. Now a core
  setting (``zonegov.core.identity.elicence``, read there at call time); the name is
  unchanged, so a deployment that set it for licensing keeps its provider.
* ``ZONEGOV_LICENSING_CHECK_DIGIT`` – JY/YB check-digit algorithm name (see identifiers).
* ``ZONEGOV_LICENSING_HENAN_NUMBER_FORMATS`` – number formats of the three Henan documents.
* ``ZONEGOV_LICENSING_IDENTITY_MATTER`` – the matter (办理事项) code an enterprise's agent
  must be authorised for (电子营业执照 精准授权) to be granted a licence instantly.
"""

from typing import Any

from django.conf import settings


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def licensing_unit_code() -> str:
    return setting("ZONEGOV_LICENSING_UNIT_CODE", "xzfwzx")


def inspection_unit_code() -> str:
    return setting("ZONEGOV_LICENSING_INSPECTION_UNIT_CODE", "scjg")


def issuer_name() -> str:
    return setting("ZONEGOV_LICENSING_ISSUER_NAME", "平顶山高新技术产业开发区管理委员会")


def seal_text() -> str:
    return setting("ZONEGOV_LICENSING_SEAL_TEXT", "平顶山高新技术产业开发区行政审批专用章")


def issuer_uscc() -> str:
    # A demo code with a valid GB 32100 check character; set the real one in production.
    return setting("ZONEGOV_LICENSING_ISSUER_USCC", "11410400MB1234567C")


def region_code() -> str:
    # 410471 = 平顶山高新技术产业开发区: the zone's code in the NBS 统计用区划代码 (a
    # statistical division code; development zones have no GB/T 2260 county code of
    # their own). Every licensing number and number series reads the region from here.
    return setting("ZONEGOV_LICENSING_REGION_CODE", "410471")


def complaints_phone() -> str:
    return setting("ZONEGOV_LICENSING_COMPLAINTS_PHONE", "12315")


def identity_matter() -> str:
    """The matter code of food-business licensing in an agent's authorisation.
    UNCONFIRMED: the code the provincial 电子营业执照 system uses for 食品经营许可 (a
    事项编码 of the 河南省政务服务事项目录) is not known; the provider adapter must map
    its value to this one, or the deployment sets the real code here."""
    return setting("ZONEGOV_LICENSING_IDENTITY_MATTER", "food_business_licensing")
