"""Issue 10.6: someone with database access edits a record and recomputes the chain.
The chain is keyed (HMAC-SHA256 with a secret held outside the database), so a chain
recomputed without the key - with the published unkeyed rule or a guessed key - does not
verify, and audit_verify names the first record that disagrees."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.audit_fixtures import KEY, OTHER_KEY, audit_key, recompute_from  # noqa: F401
from zonegov.core.models import AuditRecord
from zonegov.core.services.audit import audit_append, audit_verify


@pytest.fixture
def chain(cast, audit_key):  # noqa: F811
    for i in range(6):
        audit_append(actor=cast.admin, action="test.write", obj=cast.park, changes={"i": i})
    return list(AuditRecord.objects.order_by("id"))


def rewrite_from(victim: AuditRecord, **how) -> None:
    """The attack of the issue: edit ``victim``'s payload, recompute the chain from it."""
    AuditRecord.objects.filter(pk=victim.pk).update(changes={"i": "forged"})
    recompute_from(victim, **how)


def test_every_new_record_carries_the_id_of_the_key_it_was_made_with(chain):
    assert {r.key_id for r in chain} == {chain[0].key_id}
    assert chain[0].key_id
    assert KEY not in chain[0].key_id
    assert audit_verify().ok


def test_it_names_the_record_of_a_chain_recomputed_with_the_unkeyed_rule(chain):
    victim = chain[2]
    rewrite_from(victim)
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == victim.pk
    assert result.checked == 2


def test_it_names_the_record_of_a_chain_recomputed_with_a_wrong_key(chain):
    victim = chain[3]
    rewrite_from(victim, key=OTHER_KEY.encode())
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == victim.pk


def test_it_names_a_record_passed_off_as_written_before_keying(chain):
    """Blanking the key id to claim the old unkeyed rule only works for records before
    the first keyed one; here a keyed record precedes the victim."""
    victim = chain[4]
    rewrite_from(victim, key_id="")
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == victim.pk


def test_the_command_names_the_record_and_fails(chain):
    rewrite_from(chain[1])
    with pytest.raises(CommandError, match=f"第 {chain[1].pk} 号记录"):
        call_command("audit_verify")
