"""匠心 Jiangxin — runs high-skill talent programs exactly as their policy documents say.

This package's ``__init__`` is the composition root of the two lower floors: it hands the policy core's registry
the loader of the program packages (``jiangxin.programs.load_all``), so that the core finds every program on first
use without importing the programs built on it. Loading stays lazy: nothing is imported here but the loader.
"""

from jiangxin import programs as _programs
from jiangxin.policy import registry as _registry

__version__ = "0.1.0"

_registry.set_program_loader(_programs.load_all)
