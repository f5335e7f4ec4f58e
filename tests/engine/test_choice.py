"""M20 Decisions: the logit that every actor's choice goes through."""

from __future__ import annotations

import numpy as np

from peacezones.engine import choice

DRAWS = 20_000


def test_pick_follows_the_logit_shares() -> None:
    rng = np.random.default_rng(0)
    utility = np.tile([0.0, np.log(3.0)], (DRAWS, 1))  # odds of 1 to 3
    chosen = choice.pick(utility, np.ones_like(utility, bool), 1.0, rng)
    assert abs((chosen == 1).mean() - 0.75) < 0.02


def test_a_near_tie_is_split_not_taken_by_a_hair() -> None:
    """Two parishes almost alike are chosen about equally often (an argmax would always
    take the one ahead by a hair)."""
    rng = np.random.default_rng(1)
    utility = np.tile([1.000, 1.001], (DRAWS, 1))
    chosen = choice.pick(utility, np.ones_like(utility, bool), 1.0, rng)
    assert 0.45 < (chosen == 0).mean() < 0.55


def test_a_cold_choice_is_an_argmax_and_a_hot_one_spreads() -> None:
    rng = np.random.default_rng(2)
    utility = np.tile([0.0, 1.0, 0.5], (DRAWS, 1))
    allowed = np.ones_like(utility, bool)
    cold = choice.pick(utility, allowed, 0.01, rng)
    hot = choice.pick(utility, allowed, 5.0, rng)
    assert (cold == 1).all()
    assert 0.25 < (hot == 0).mean() < 0.4


def test_options_not_allowed_are_never_taken_and_none_left_means_none() -> None:
    rng = np.random.default_rng(3)
    utility = np.zeros((4, 3))
    allowed = np.array([[True, False, False], [False, False, True], [False] * 3, [True] * 3])
    chosen = choice.pick(utility, allowed, 1.0, rng)
    assert chosen[0] == 0
    assert chosen[1] == 2
    assert chosen[2] == choice.NONE
    assert chosen[3] in (0, 1, 2)


def test_abstaining_is_an_option_with_its_own_utility() -> None:
    rng = np.random.default_rng(4)
    utility = np.zeros((DRAWS, 1))  # one option, as good as staying put
    chosen = choice.pick(utility, np.ones_like(utility, bool), 1.0, rng, abstain=0.0)
    assert abs((chosen == choice.NONE).mean() - 0.5) < 0.02


def test_a_binary_choice_takes_its_log_odds() -> None:
    rng = np.random.default_rng(5)
    assert np.isclose(choice.share(np.log(4.0), 1.0), 0.8)
    assert abs(choice.yes(np.full(DRAWS, np.log(4.0)), 1.0, rng).mean() - 0.8) < 0.02
    assert np.isfinite(choice.log_ratio(0.0, 0.0))
    assert choice.log_ratio(0.0, 1.0) < -15
