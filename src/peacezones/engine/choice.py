"""M20 Decisions: how actors choose among options, by a logit that splits near-ties.

Every choice an actor makes in the model (which place a gang pushes into, whether it keeps
a pact's condition, whether it kills an official, whether it punishes a lesser gang) weighs
what each option brings against what it risks, as a utility in log-odds. The option taken
follows the multinomial logit: option ``k`` with probability
``exp(u_k / T) / sum_j exp(u_j / T)``, where ``T`` is the temperature
(``decisions.temperature``). At ``T`` near 0 the best option always wins (an argmax, which
breaks a near-tie by a hair); at ``T = 1`` the utilities are log-odds as written; larger
``T`` spreads the choice. Each function works on whole arrays (one row per actor) so that
the hot paths hold no per-decision Python objects.
"""

from __future__ import annotations

import numpy as np

NONE = -1
"""What :func:`pick` returns for a row with no option allowed, or that chose to abstain."""


def pick(
    utility: np.ndarray,
    allowed: np.ndarray,
    temperature: float,
    rng: np.random.Generator,
    abstain: np.ndarray | float | None = None,
) -> np.ndarray:
    """Per row of ``utility`` (actors x options), the option chosen by the logit.

    ``allowed`` (same shape, bool) masks the options open to each actor. ``abstain``, when
    given, is the utility of doing nothing (one per row, or one for all): a row that
    abstains, or has no option, gets :data:`NONE`. The draw is the Gumbel-max form of the
    logit: one Gumbel draw per option, so the number of random numbers used does not
    depend on the utilities.
    """
    utility = np.asarray(utility, float)
    rows = utility.shape[0]
    noise = rng.gumbel(size=utility.shape)
    scored = np.where(allowed, utility / temperature + noise, -np.inf)
    best = np.argmax(scored, axis=1) if utility.shape[1] else np.zeros(rows, np.int64)
    top = scored[np.arange(rows), best] if utility.shape[1] else np.full(rows, -np.inf)
    chosen = np.where(np.isfinite(top), best, NONE)
    if abstain is not None:
        stay = np.broadcast_to(np.asarray(abstain, float), (rows,)) / temperature
        stay = stay + rng.gumbel(size=rows)
        chosen = np.where(top > stay, chosen, NONE)
    return chosen


def share(utility: np.ndarray, temperature: float) -> np.ndarray:
    """The logit's probability of "yes" for a binary choice whose "yes" has ``utility``
    (log-odds) over "no"."""
    return 1.0 / (1.0 + np.exp(-np.asarray(utility, float) / temperature))


def yes(utility: np.ndarray | float, temperature: float, rng: np.random.Generator) -> np.ndarray:
    """Binary choices: ``True`` with the logit's probability (:func:`share`), one per
    element of ``utility``."""
    utility = np.asarray(utility, float)
    return rng.random(utility.shape) < share(utility, temperature)


def log_ratio(numerator: np.ndarray | float, denominator: np.ndarray | float) -> np.ndarray:
    """``ln(numerator / denominator)``, with 0 in either read as a tiny positive amount, so
    that an option worth nothing is very unlikely but never a division by zero."""
    tiny = 1e-9
    return np.log(np.maximum(numerator, tiny)) - np.log(np.maximum(denominator, tiny))
