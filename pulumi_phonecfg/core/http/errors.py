"""The exception types of the provider, its settings and its HTTP client.

An error is one readable line: what was being done, the HTTP status and the API's own `detail` messages. How that
text is made (the API's error body made readable, credentials scrubbed) is `error_text.py`'s job.

Two errors live beside their one user instead: `core/lifecycle/agents.AgentLookupError` (which a Python program
sees as a `pulumi.RunError`, so it stops with its one line and no traceback) and `commands/export`'s
`ExportError` (why `phonecfg export` refused).
"""

from __future__ import annotations

from typing import Any

from pulumi_phonecfg.core.http.field_text import Spelling, spelled


class PhoneConfigError(Exception):
    """Base of this module's errors: its message is one line meant for the user, free of credentials.

    A message that names fields is a `FieldText` (field_text.py): str() gives the Python spelling, `spelled` a face's.
    """

    def spelled(self, spelling: Spelling) -> str:
        """The message, the fields it names written as `spelling` writes them."""
        message = self.args[0] if len(self.args) == 1 else None
        return spelled(message, spelling) if isinstance(message, str) else str(self)


class AuthenticationError(PhoneConfigError):
    """The token service refused the API key, or could not be reached. Message names the auth step."""


class ConfigurationError(PhoneConfigError):
    """The provider is missing configuration it needs to reach the API."""


class PhoneApiError(PhoneConfigError):
    """A failed API call, as one readable line: operation, HTTP status and the API's own messages."""

    def __init__(self, operation: str, status: int | None, detail: str) -> None:
        self.operation = operation
        self.status = status
        self.detail = detail
        where = f"HTTP {status}" if status is not None else "no response"
        super().__init__(f"{operation} failed: {where}: {detail}" if detail else f"{operation} failed: {where}")


class AmbiguousCreateError(PhoneApiError):
    """A POST failed in a way that leaves open whether the config was created."""


class PartialCreateError(PhoneApiError):
    """A create that made the config but could not finish it (the follow-up PATCH failed) nor undo it (the cleanup
    DELETE failed too). The message is the whole story for a face that cannot keep partial state (the dynamic
    provider: "delete it by hand"); `config_id`, `outputs` (the config as created) and `cause` (why the create
    failed, one line) let a face that can (the native plugin) hand the config to the engine instead."""

    def __init__(
        self, operation: str, status: int | None, detail: str, *, config_id: str, outputs: dict[str, Any], cause: str
    ) -> None:
        super().__init__(operation, status, detail)
        self.config_id = config_id
        self.outputs = outputs
        self.cause = cause


class InvalidIdError(PhoneConfigError):
    """A resource id (an import id, an id in the state) that is not the API's: refused before any request."""


class ConfigConflictError(PhoneConfigError):
    """A create whose name is taken by a config of the same kind, or an adoption with several candidates."""


# The name every error line shows (`pulumi_phonecfg.errors.PhoneApiError: create phone config ... failed`), which
# programs and scripts match and Automation API code imports: the module these lived in before the package had
# folders. `pulumi_phonecfg/errors.py` re-exports them from there.
PUBLIC_MODULE = "pulumi_phonecfg.errors"
for _error in (
    PhoneConfigError,
    AuthenticationError,
    ConfigurationError,
    PhoneApiError,
    AmbiguousCreateError,
    PartialCreateError,
    ConfigConflictError,
    InvalidIdError,
):
    _error.__module__ = PUBLIC_MODULE
