"""Numbers as the terminal and the report print them (no heavy imports: the CLI uses it)."""

from __future__ import annotations

import math


def number(x: float) -> str:
    """Three significant digits, without exponents: 1,160 or 0.0634. Below 1e-9 is
    rounding noise (a difference of two equal means summed in another order): 0."""
    if abs(x) < 1e-9 or not math.isfinite(x):
        return f"{0.0 if math.isfinite(x) else x:g}"
    decimals = max(0, 2 - math.floor(math.log10(abs(x))))
    return f"{x:,.{decimals}f}"


def interval(value: float, low: float, high: float) -> tuple[str, str]:
    """The value, and its interval in brackets (empty with one replicate: no interval)."""
    if not math.isfinite(low):
        return number(value), ""
    return number(value), f"[{number(low)}, {number(high)}]"
