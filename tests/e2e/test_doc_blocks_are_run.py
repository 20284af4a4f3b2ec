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
