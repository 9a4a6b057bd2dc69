from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from agora.domain import ranking

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_hot_rank_matches_lemmys_formula():
    # log10(max(2, 10 + 2)) / (3 + 2) ^ 1.8
    assert abs(ranking.hot_rank(10, NOW - timedelta(hours=3), NOW) - 0.0595591) < 1e-6


def test_hot_rank_floor_keeps_negative_scores_above_zero_inside_the_window():
    assert ranking.hot_rank(-50, NOW - timedelta(hours=1), NOW) == ranking.hot_rank(0, NOW - timedelta(hours=1), NOW)
    assert ranking.hot_rank(-50, NOW - timedelta(hours=1), NOW) > 0


def test_hot_rank_is_zero_after_a_week_and_for_future_posts():
    assert ranking.hot_rank(1000, NOW - timedelta(days=7, seconds=1), NOW) == 0
    assert ranking.hot_rank(1000, NOW + timedelta(minutes=5), NOW) == 0


@given(score=st.integers(-1000, 100_000), hours=st.floats(0, 167))
def test_hot_rank_decays_with_age(score, hours):
    earlier = ranking.hot_rank(score, NOW - timedelta(hours=hours), NOW)
    later = ranking.hot_rank(score, NOW - timedelta(hours=hours + 0.5), NOW)
    assert later <= earlier


@given(score=st.integers(-1000, 100_000), hours=st.floats(0, 167))
def test_hot_rank_grows_with_score(score, hours):
    published = NOW - timedelta(hours=hours)
    assert ranking.hot_rank(score + 1, published, NOW) >= ranking.hot_rank(score, published, NOW)


def test_scaled_rank_favours_small_communities():
    published = NOW - timedelta(hours=2)
    assert ranking.scaled_rank(10, published, NOW, 5) > ranking.scaled_rank(10, published, NOW, 5000)


def test_controversy_rank():
    assert ranking.controversy_rank(10, 0) == 0
    assert ranking.controversy_rank(0, 10) == 0
    assert ranking.controversy_rank(10, 10) == 20
    assert ranking.controversy_rank(10, 5) == 15**0.5
    assert ranking.controversy_rank(10, 10) > ranking.controversy_rank(100, 1)
