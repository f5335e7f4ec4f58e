"""peacezones: a simulation laboratory for state-gang bargaining.

Peace zones, truces, crackdowns and the "pax mafiosa", with Venezuela's Peace Zones
(2013-2021) as the default scenario.
"""

__version__ = "0.1.0"  # the one place it is written: pyproject.toml reads it from here

from .api import compare, run, validate
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "load_scenario",
    "run",
    "validate",
]
