"""Every program block in README.md and docs/ is run by a test or is an include of an example file CI runs, so a
new inline example cannot rot unnoticed. Needs no CLI: it runs with the unit tests (`-m 'not e2e'`)."""

from __future__ import annotations

from .doc_blocks import EXEMPT, Block, blocks, doc_files, program_blocks


def test_every_program_block_is_run_or_included() -> None:
    unrun = [
        f"{b.id} ({b.language}: {b.first_line})"
        for b in program_blocks()
        if not (b.is_include() or b.runnable() or (b.path, b.first_line) in EXEMPT)
    ]
    assert unrun == [], "doc program blocks no test runs: include an example section (`--8<--`) or make it whole"


def test_exemptions_name_existing_blocks() -> None:
    present = {(b.path, b.first_line) for b in program_blocks()}
    assert set(EXEMPT) - present == set(), "EXEMPT names blocks that are gone"


def test_the_quickstarts_are_found() -> None:
    """The extraction sees the README's two quickstart programs (a broken fence regex would find none and pass)."""
    readme = [b for path in doc_files()[:1] for b in blocks(path) if b.runnable()]
    assert [b.runnable() for b in readme] == ["python", "yaml"], readme


def test_a_fragment_is_caught() -> None:
    fragment = Block("docs/x.md", 1, "python", 'PhoneConfig("t", name="n")\n')
    assert fragment.is_program() and not fragment.runnable() and not fragment.is_include()
    assert Block("docs/x.md", 1, "go", '--8<-- "examples/go/every_resource.go:trunk"\n').is_include()


def test_an_hcl_resource_is_a_program_and_a_cli_configuration_is_not() -> None:
    """HCL: a block declaring a resource or a data source must be an include of examples/terraform; a CLI
    configuration or an import block alone may stay inline."""
    resource = Block("docs/x.md", 1, "hcl", 'resource "phonecfg_phone_config" "t" {\n  name = "n"\n}\n')
    assert resource.is_program() and not resource.runnable() and not resource.is_include()
    lookup = Block("docs/x.md", 1, "terraform", 'data "phonecfg_agent" "a" {\n  name = "billing"\n}\n')
    assert lookup.is_program()
    for text in (
        "provider_installation {\n  direct {}\n}\n",
        'import {\n  to = phonecfg_phone_config.t\n  id = "x"\n}\n',
    ):
        assert not Block("docs/x.md", 1, "hcl", text).is_program()
    assert Block("docs/x.md", 1, "hcl", '--8<-- "examples/terraform/main.tf:trunk"\n').is_include()
