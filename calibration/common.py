"""What the calibration scripts share: the default scenario cut at the end of 2017.

Everything fitted is fitted to figures of 2013-2017 only: runs stop on ``END``, and the
decisions and observations after it go, so that no later figure can enter a fit.
"""

from __future__ import annotations

import datetime as dt

from peacezones import Scenario
from peacezones.scenario import evolve

END = dt.date(2017, 12, 25)


def to_2017(base: Scenario) -> Scenario:
    """``base`` ending on ``END``: its later decisions and observations, and its patterns
    (which read later years), left out."""
    return evolve(
        base,
        meta=evolve(base.meta, end=END),
        schedule=tuple(d for d in base.schedule if d.date <= END),
        observations=tuple(o for o in base.observations if o.year <= END.year),
        patterns=(),
    )
