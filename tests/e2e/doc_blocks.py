"""The fenced code blocks of README.md and docs/: which are programs, which are includes of example files, and
which tests/e2e/test_doc_snippets.py runs. Shared by that e2e test and the unit test that no program block is
left unrun (tests/e2e/test_doc_blocks_are_run.py).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .helpers import REPO

FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[a-z]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
PROGRAM_LANGUAGES = {"python", "typescript", "ts", "go", "yaml"}
#: Fence languages of HCL (OpenTofu/Terraform). A block declaring a resource or a data source is a program; a CLI
#: configuration, a `provider` or an `import` block alone is not.
HCL_LANGUAGES = {"hcl", "terraform", "tf"}
RESOURCE_TYPES = ("PhoneConfig", "PhoneNumber", "AgentAttachment")

#: Program-looking blocks no test runs, each with why it may stay inline: (file, first line) -> reason.
EXEMPT = {
    ("docs/emulator.md", "from pulumi_phonecfg.emulator import start_emulator"): "the emulator's test API, not a "
    "Pulumi program",
    ("docs/guides/native-provider.md", "resources:"): "a two-resource fragment of examples/yaml-attachment's shape "
    "(sharedTrunk + salesLine), whose variables it leaves out",
}


@dataclass(frozen=True)
class Block:
    path: str  # relative to the repository
    line: int  # of the opening fence, 1-based
    language: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    def is_include(self) -> bool:
        """Only pymdownx.snippets lines (`--8<-- "examples/...:section"`): the site shows the example file."""
        lines = [line.strip() for line in self.text.splitlines() if line.strip()]
        return bool(lines) and all(line.startswith("--8<--") for line in lines)

    def is_program(self) -> bool:
        if self.language == "yaml":  # a config or API document is not a program; one with resources is
            return re.search(r"^\s*(runtime|resources):", self.text, re.M) is not None
        if self.language in HCL_LANGUAGES:  # no test runs HCL inline: a program block must be an include
            return re.search(r'^\s*(resource|data)\s+"', self.text, re.M) is not None
        return self.language in PROGRAM_LANGUAGES

    def runnable(self) -> str | None:
        """`python` (a whole dynamic-provider program) or `yaml` (a whole YAML program): what the e2e test runs."""
        if self.language == "python" and "from pulumi_phonecfg import" in self.text and "import pulumi\n" in self.text:
            return "python"
        if self.language == "yaml" and re.search(r"^runtime: yaml$", self.text, re.M):
            return "yaml"
        return None

    def declared(self) -> Counter[str]:
        """How many of each phonecfg resource type the program declares."""
        if self.runnable() == "yaml":
            resources = yaml.safe_load(self.text).get("resources", {})
            return Counter(r["type"].rsplit(":", 1)[-1] for r in resources.values())
        return Counter(re.findall(rf"\b({'|'.join(RESOURCE_TYPES)})\(", self.text))


def doc_files() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]


def blocks(path: Path) -> list[Block]:
    text = path.read_text()
    found = []
    for match in FENCE.finditer(text):
        indent = match["indent"]
        body = "".join(line.removeprefix(indent) for line in match["body"].splitlines(keepends=True))
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(str(path.relative_to(REPO)), line, match["lang"], body))
    return found


def program_blocks() -> list[Block]:
    return [block for path in doc_files() for block in blocks(path) if block.is_program()]


def runnable_blocks() -> list[Block]:
    return [block for block in program_blocks() if block.runnable() and not block.is_include()]
