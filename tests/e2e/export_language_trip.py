"""The export round trip for a language on the native provider, as a user runs it through the `pulumi` command.

Configs made out of band (`make_tenant` of the Python round trip) -> `phonecfg export --language <lang>` ->
`pulumi stack init` and the secrets set with the exact commands the stack file lists (typed at the prompt) ->
`pulumi up` adopts every config: no POST, no DELETE, the same ids, every field as it was -> `pulumi preview
--expect-no-changes` is clean. Used by test_export_yaml.py, test_export_typescript.py and (with
`--numbers-as-resources` or `--attachments-as-resources`, in Python and YAML) test_export_members.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from pulumi_phonecfg.emulator.testing import RunningEmulator

from .cli_project import NATIVE_TYPE, CliProject
from .helpers import PHONE_PATH, get_config, list_configs, read_tree, scan_for_secrets, summarize, venv
from .test_export_roundtrip import (
    GENESYS_API_KEY,
    GENESYS_CLIENT_SECRET,
    GONE_AGENT,
    SERVER_WRITTEN,
    SIP_PASSWORD,
    make_tenant,
)

STACK = "roundtrip"
# What the user types at each prompt, by the key the export names (the program's own keys are camelCase).
TYPED = {
    "supportSipTrunkPassword": SIP_PASSWORD,
    "genesysAudioConnectorApiKey": GENESYS_API_KEY,
    "genesysAudioConnectorClientSecret": GENESYS_CLIENT_SECRET,
}


def phonecfg() -> str:
    return str(Path(sys.executable).parent / "phonecfg")


def project_files(directory: Path) -> str:
    """Every file of the project as text; installed packages (node_modules, a linked virtualenv) aside."""
    files = []
    for root, dirs, names in os.walk(directory):  # does not follow the `venv` symlink
        dirs[:] = [d for d in dirs if d != "node_modules"]
        files += [Path(root) / name for name in names if not (Path(root) / name).is_symlink()]
    return "\n".join(f"== {p}\n{p.read_text(errors='replace')}" for p in sorted(files))


class LanguageTrip:
    """One language's round trip; the test module's steps call these in order."""

    def __init__(self, language: str, emulator: RunningEmulator, base: Path, *export_args: str) -> None:
        self.language = language
        self.emulator = emulator
        self.base = base
        self.export_args = export_args
        self.out = base / f"exported-{language}"
        self.project = CliProject(self.out, base, STACK)
        self.before: dict[str, dict[str, Any]] = {}
        self.export_output = ""

    def export(self) -> subprocess.CompletedProcess[str]:
        make_tenant(self.emulator)
        self.before = {c["id"]: c for c in list_configs(self.emulator)}
        self.emulator.clear_requests()
        env = {**os.environ, "PHONECFG_URL": self.emulator.url, "PHONECFG_TOKEN": self.emulator.token}
        env.pop("PHONECFG_API_KEY", None)
        command = [
            phonecfg(),
            "export",
            "--all",
            "--language",
            self.language,
            *self.export_args,
            "--out",
            str(self.out),
        ]
        done = subprocess.run(
            [*command, "--stack", STACK], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        self.export_output = done.stdout + done.stderr
        assert done.returncode == 0, self.export_output
        # Read only: one list, one GET per config, one agents listing.
        assert [r["method"] for r in self.emulator.requests()] == ["GET"] * 5, summarize(self.emulator.requests())
        warnings = [line for line in done.stderr.splitlines() if "warning:" in line]
        assert len(warnings) == 1 and GONE_AGENT in warnings[0], done.stderr
        if self.language == "python":
            (self.out / "venv").symlink_to(venv(), target_is_directory=True)
        return done

    def set_secrets(self) -> None:
        """`pulumi stack init`, then each `pulumi config set --secret` the stack file lists, value on stdin."""
        self.project.run("stack", "init", "--secrets-provider", "passphrase", STACK)
        stack_file = (self.out / f"Pulumi.{STACK}.yaml").read_text()
        commands = re.findall(r"^#\s+(pulumi config set --stack \S+ --secret \S+)", stack_file, flags=re.MULTILINE)
        values = {"phonecfg:token": self.emulator.token, **TYPED}
        assert sorted(c.rsplit(" ", 1)[1] for c in commands) == sorted(values), stack_file
        for command in commands:
            done = subprocess.run(
                command.split(),
                input=values[command.rsplit(" ", 1)[1]],
                cwd=self.out,
                env=self.project.env,
                capture_output=True,
                text=True,
                check=False,
            )
            self.project.lines += [f"$ {command}", done.stdout, done.stderr]
            assert done.returncode == 0, done.stdout + done.stderr

    def up_adopts(
        self, config_type: str = NATIVE_TYPE, number_type: str | None = None, attachment_type: str | None = None
    ) -> None:
        """Every config adopted (and with `number_type`, every number as a PhoneNumber; with `attachment_type`, every
        attachment as an AgentAttachment, with no POST and no write of any config's list): nothing created, nothing
        deleted, the same ids, every field as it was."""
        self.emulator.clear_requests()
        self.project.run("up", "--yes", "--skip-preview")
        sent = self.emulator.api_requests()
        # A PhoneNumber adopts the number its trunk has already once the API refuses its POST: nothing is created.
        created = [r for r in sent if r["method"] == "POST" and (number_type is None or r["status"] < 400)]
        assert not created and not [r for r in sent if r["method"] == "DELETE"], summarize(sent)
        resources = self.project.phone_resources(config_type)
        assert sorted(resources) == ["genesys-audio-connector", "plain-trunk", "support-sip-trunk"]
        assert sorted(r["id"] for r in resources.values()) == sorted(self.before), "same ids: nothing new"
        if number_type is not None:
            numbers = {f"{c['id']}/{n['phone_number']}" for c in self.before.values() for n in c["phone_numbers"]}
            adopted = self.project.phone_resources(number_type)
            assert len(numbers) == 4 and sorted(r["id"] for r in adopted.values()) == sorted(numbers)
        if attachment_type is not None:
            pairs = {
                f"{c['id']}/{a['agent_id']}/{a['environment_id']}"
                for c in self.before.values()
                for a in c["attached_environments"]
            }
            adopted = self.project.phone_resources(attachment_type)
            assert len(pairs) == 2 and sorted(r["id"] for r in adopted.values()) == sorted(pairs)
            # Adopting a config sends its credentials (the API never returns them); no write touches the pairs.
            writes = [r for r in sent if r["method"] == "POST" or "attached_environments" in (r.get("body") or {})]
            assert not writes, f"an attachment adopted as it is writes nothing: {summarize(writes)}"
        assert sorted(c["id"] for c in list_configs(self.emulator)) == sorted(self.before), "nothing new, nothing gone"
        for config_id, before in self.before.items():
            now = get_config(self.emulator, config_id)
            assert now is not None
            unchanged = {k: v for k, v in before.items() if k not in SERVER_WRITTEN}
            assert {k: v for k, v in now.items() if k not in SERVER_WRITTEN} == unchanged, config_id

    def preview_is_clean(self) -> None:
        self.emulator.clear_requests()
        self.project.run("preview", "--expect-no-changes")
        phone_requests = [r for r in self.emulator.requests() if r["path"].startswith(PHONE_PATH)]
        assert phone_requests == [], summarize(phone_requests)

    def nothing_secret_anywhere(self) -> None:
        found = scan_for_secrets(
            {**TYPED, "emulator token": self.emulator.token},
            {
                "export output": self.export_output,
                "exported project": project_files(self.out),
                "CLI output": self.project.text(),
                "backend": read_tree(self.base / "state"),
            },
        )
        assert not found, f"plaintext credentials leaked: {found}"
