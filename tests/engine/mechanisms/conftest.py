"""Shared pieces of the mechanism tests: decisions to add to the toy schedule."""

from __future__ import annotations

import datetime as dt
from typing import Any


def crackdown(places: list[str], officers: int = 400, weeks: int = 52) -> dict[str, Any]:
    """A year-long crackdown from the start of 2021."""
    return {
        "date": dt.date(2021, 1, 4),
        "action": "crackdown",
        "name": "test crackdown",
        "places": places,
        "officers": officers,
        "weeks": weeks,
        "lethality": 0.3,
        "sources": ["synthetic"],
    }


def patrol(places: list[str], level: float) -> dict[str, Any]:
    return {
        "date": dt.date(2020, 1, 6),
        "action": "patrol",
        "places": places,
        "level": level,
        "sources": ["synthetic"],
    }
