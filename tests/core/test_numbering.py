import threading

import pytest
from django.db import connection, transaction

from zonegov.core.services.numbering import number_format, number_next


@pytest.mark.django_db
def test_numbers_follow_each_other_per_series():
    assert [number_next(series="a") for _ in range(3)] == [1, 2, 3]
    assert number_next(series="b") == 1


@pytest.mark.django_db
def test_a_rolled_back_caller_leaves_no_gap():
    number_next(series="g")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert number_next(series="g") == 2
        raise RuntimeError("the document could not be issued")
    assert number_next(series="g") == 2


@pytest.mark.django_db
def test_the_formatted_number_carries_prefix_year_and_padding():
    value = number_format(prefix="JB")
    assert value.startswith("JB-20") and value.endswith("-000001")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_callers_never_share_a_number_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency are exercised on PostgreSQL (CI runs it)")
    results: list[int] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(20):
                with transaction.atomic():
                    value = number_next(series="concurrent")
                with lock:
                    results.append(value)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == list(range(1, 161))
