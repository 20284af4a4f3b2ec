"""The errors' public path: **never move, rename or remove this module.**

Every error line names it (`pulumi_phonecfg.errors.PhoneApiError: create phone config 'x' failed: HTTP 409: ...`),
so scripts that match those lines and Automation API code that imports the classes keep working. The classes live
in `core/http/errors.py`, which gives them this module as their `__module__`.
"""

from pulumi_phonecfg.core.http.errors import (
    AmbiguousCreateError,
    AuthenticationError,
    ConfigConflictError,
    ConfigurationError,
    InvalidIdError,
    PartialCreateError,
    PhoneApiError,
    PhoneConfigError,
)

__all__ = [
    "AmbiguousCreateError",
    "AuthenticationError",
    "ConfigConflictError",
    "ConfigurationError",
    "InvalidIdError",
    "PartialCreateError",
    "PhoneApiError",
    "PhoneConfigError",
]
