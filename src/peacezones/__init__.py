"""peacezones: a simulation laboratory for state-gang bargaining.

Peace zones, truces, crackdowns and the "pax mafiosa", with Venezuela's Peace Zones
(2013-2021) as the default scenario.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("peacezones")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from .api import compare, run
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "__version__", "compare", "load_scenario", "run"]
