"""`make run` ends by printing the address and one demo login per role."""

from io import StringIO

from django.core.management import call_command


def test_it_prints_each_demo_login_with_its_role_names():
    out = StringIO()
    call_command("demo_logins", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text
    assert "shenpi" in text and "审批员" in text
    assert "组织管理员" in text and "13800138000" in text
