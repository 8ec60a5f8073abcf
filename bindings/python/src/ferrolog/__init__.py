"""ferrolog: one telemetry client for every language, here through ctypes over the core.

Importing the package loads the bundled core library and refuses one of another C ABI.
"""

from ._native import EXPECTED_ABI_VERSION, lib
from .client import Client
from .errors import ConfigError, FerrologError, Result
from .logger import Logger, Scope
from .span import Span

__version__ = lib.ferrolog_version().decode("ascii")

__all__ = [
    "EXPECTED_ABI_VERSION",
    "Client",
    "ConfigError",
    "FerrologError",
    "Logger",
    "Result",
    "Scope",
    "Span",
    "__version__",
]
