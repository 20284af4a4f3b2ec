"""The one place a face's configuration becomes the process's settings: `ProviderSession.configure_from`."""

from __future__ import annotations

import pytest

from pulumi_phonecfg.core.http.errors import ConfigurationError
from pulumi_phonecfg.core.lifecycle.session import ProviderSession


def test_configure_from_reads_phonecfg_keys_and_falls_back_to_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PHONECFG_TOKEN", "fake-token-from-environment")
    monkeypatch.delenv("PHONECFG_URL", raising=False)
    session = ProviderSession()
    config = {"phonecfg:url": "http://127.0.0.1:9/instances/x", "phonecfg:adoptExisting": "true"}
    settings = session.configure_from(config.get)
    assert session.settings is settings
    assert (settings.url, settings.token, settings.adopt_existing) == (
        "http://127.0.0.1:9/instances/x",
        "fake-token-from-environment",
        True,
    )


def test_an_invalid_configuration_is_refused_and_the_previous_settings_stay() -> None:
    session = ProviderSession()
    before = session.configure_from({"phonecfg:url": "https://api.example.invalid/instances/x"}.get)
    with pytest.raises(ConfigurationError, match="phonecfg:maxRetries"):
        session.configure_from({"phonecfg:maxRetries": "many"}.get)
    assert session.settings is before
