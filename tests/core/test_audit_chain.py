from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zonegov.core.models import AuditRecord
from zonegov.core.services.audit import audit_append, audit_verify


@pytest.fixture
def chain(cast):
    for i in range(5):
        audit_append(actor=cast.admin, action="test.write", obj=cast.park, changes={"i": i})
    return list(AuditRecord.objects.order_by("id"))


def test_every_record_carries_the_hash_of_the_previous_one(chain):
    for prev, record in pairwise(chain):
        assert record.prev_hash == prev.hash
    assert audit_verify().ok


def test_it_names_the_first_record_edited_in_the_database(chain):
    victim = chain[-3]
    AuditRecord.objects.filter(pk=victim.pk).update(changes={"i": 999})
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == victim.pk


def test_it_detects_a_deleted_record(chain):
    victim = chain[-2]
    AuditRecord.objects.filter(pk=victim.pk)._raw_delete(AuditRecord.objects.db)
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == chain[-1].pk


def test_it_detects_a_deleted_last_record(chain):
    AuditRecord.objects.filter(pk=chain[-1].pk)._raw_delete(AuditRecord.objects.db)
    assert not audit_verify().ok


def test_the_command_reports_a_healthy_chain(chain, capsys):
    call_command("audit_verify")
    assert "审计链完整" in capsys.readouterr().out


def test_the_command_fails_naming_the_broken_record(chain):
    AuditRecord.objects.filter(pk=chain[1].pk).update(actor_name="someone else")
    with pytest.raises(CommandError, match=f"第 {chain[1].pk} 号记录"):
        call_command("audit_verify")


def test_records_refuse_to_be_changed_or_deleted_through_the_orm(chain):
    record = chain[0]
    record.action = "forged"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()


def test_the_admin_offers_no_add_change_or_delete(cast, login):
    cast.admin.is_staff = True
    cast.admin.is_superuser = True
    cast.admin.save()
    client = login(cast.admin)
    record = audit_append(actor=cast.admin, action="test.write", obj=cast.park)
    assert client.get("/admin/core/auditrecord/add/").status_code == 403
    response = client.post(f"/admin/core/auditrecord/{record.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_the_audit_page_is_read_only_and_checks_the_chain(cast, login, chain):
    client = login(cast.admin)
    page = client.get("/audit/?verify=1").content.decode()
    assert "哈希链完整" in page
    AuditRecord.objects.filter(pk=chain[2].pk).update(object_repr="x")
    page = client.get("/audit/?verify=1").content.decode()
    assert f"第 {chain[2].pk} 号记录" in page


def test_staff_without_audit_role_cannot_open_the_audit_log(cast, login):
    assert login(cast.officer).get("/audit/").status_code == 403


def test_the_api_lists_and_verifies_for_admins_only(cast, login, chain):
    client = login(cast.admin)
    assert client.get("/api/audit/verify").json()["ok"] is True
    assert len(client.get("/api/audit?action=test.").json()) == 5
    assert login(cast.officer).get("/api/audit").status_code == 403
