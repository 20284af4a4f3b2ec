"""Every example program under examples/ is run by an end-to-end test, so a new example cannot be forgotten.

An example program is a directory holding a Pulumi.yaml (a Pulumi project), a go.mod (an Automation API
program) or a main.tf (an OpenTofu/Terraform configuration). RUN_BY names, for each, the e2e test module that
runs it (or the script such a test runs); this test fails when a program is missing from it, when it names one
that is gone, and when the runner does not name the program's directory. It needs no CLI: it runs with the unit
tests (`-m 'not e2e'`).
"""

from __future__ import annotations

from pathlib import Path

from .helpers import REPO

EXAMPLES = REPO / "examples"

#: Example program directory (relative to examples/) -> what runs it (relative to the repository).
RUN_BY = {
    "genesys": "tests/e2e/test_examples.py",
    "sip-trunk": "tests/e2e/test_examples.py",
    "go": "tests/e2e/test_sdk_go.py",  # and `-program every-resource`: test_every_resource.py
    "python-dynamic": "tests/e2e/test_every_resource.py",
    "python-native": "tests/e2e/test_sdk_python.py",
    "python-native/every-resource": "tests/e2e/test_every_resource.py",
    "typescript": "tests/e2e/test_sdk_typescript.py",
    "typescript/every-resource": "tests/e2e/test_every_resource.py",
    "yaml": "tests/e2e/test_yaml_program.py",
    "yaml/every-resource": "tests/e2e/test_every_resource.py",
    "yaml-attachment/billing-team": "tests/e2e/test_yaml_agent_attachment.py",
    "yaml-attachment/contact-centre": "tests/e2e/test_yaml_agent_attachment.py",
    # tests/e2e/test_promotion.py runs the script for each language; the script runs ./consumer too.
    "promotion": "tests/e2e/test_promotion.py",
    "promotion/consumer": "scripts/promotion-demo.sh",
    "yaml-promotion": "tests/e2e/test_promotion.py",
    "yaml-promotion/consumer": "scripts/promotion-demo.sh",
    "terraform": "tests/e2e/test_terraform_example.py",
}


def example_programs() -> set[str]:
    markers = [*EXAMPLES.rglob("Pulumi.yaml"), *EXAMPLES.rglob("go.mod"), *EXAMPLES.rglob("main.tf")]
    return {str(m.parent.relative_to(EXAMPLES)) for m in markers if "node_modules" not in m.parts}


def test_every_example_program_has_a_runner() -> None:
    found = example_programs()
    assert found - set(RUN_BY) == set(), "example programs no test runs: add a test, then name it in RUN_BY"
    assert set(RUN_BY) - found == set(), "RUN_BY names example programs that no longer exist"


def mentions(text: str, example: str) -> bool:
    """`text` names `example` by path (`examples/yaml`), as a string (`"billing-team"`) or relatively (`./consumer`)."""
    name = Path(example).name
    return any(form in text for form in (f"examples/{example}", f'"{name}"', f"./{name}"))


def test_each_runner_mentions_its_example() -> None:
    unmentioned = {
        example: runner for example, runner in RUN_BY.items() if not mentions((REPO / runner).read_text(), example)
    }
    assert unmentioned == {}, unmentioned
