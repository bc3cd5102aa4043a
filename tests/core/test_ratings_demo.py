"""The demo has a few 好差评 ratings of finished licensing cases, one 差评 answered by the
licensing officer and called back, and seeding again adds none."""

import pytest
from django.core.management import call_command

from tests.core import documents_fixtures, ratings_fixtures
from zonegov.core.ratings.models import RatingRectification, ServiceRating

pki_dir = documents_fixtures.pki_dir


@pytest.mark.django_db
def test_the_demo_has_ratings_and_one_answered_bad_rating(pki_dir, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ratings_fixtures.ensure_case_type()
    call_command("seed_demo", verbosity=0)
    ratings = ServiceRating.objects.filter(service="licensing")
    assert ratings.count() >= 3
    assert {r.level for r in ratings} >= {5, 1}
    rect = RatingRectification.objects.get()
    assert rect.state == "closed" and rect.answer and rect.callback_result == "satisfied"
    assert rect.answered_by.username == "shenpi"
    call_command("seed_licensing", verbosity=0)
    assert ServiceRating.objects.count() == ratings.count()
