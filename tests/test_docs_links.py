"""Every relative link in README.md and docs/guides/*.md names an existing file, and its anchor an existing heading.

Anchors follow mkdocs' default slugs (Python-Markdown's `toc` extension), which the site's strict build checks
too; the README's own `#anchors` resolve the same way on GitHub for the headings it has. Links to web pages
(`https://...`) are not followed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "docs" / "guides"
PAGES = [ROOT / "README.md", *sorted(GUIDES.glob("*.md"))]

# The reference pages another change generates (issue 22). Until `docs/reference/` exists in this checkout, a link
# to one of exactly these names is accepted without its file; once the folder exists, each must exist like any.
REFERENCE_PAGES = {
    "phone-config.md",
    "phone-number.md",
    "agent-attachment.md",
    "get-agent.md",
    "provider-configuration.md",
}

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def slugify(heading: str) -> str:
    """Python-Markdown's `toc` slug of a heading's text (mkdocs' default): the text as rendered, tags dropped."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading keeps its text only
    text = text.replace("`", "").replace("**", "").replace("*", "")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def prose_lines(path: Path) -> list[str]:
    """The lines outside fenced code blocks: links and headings in code are not links and headings."""
    lines: list[str] = []
    in_fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            lines.append(line)
    return lines


def anchors(path: Path) -> set[str]:
    """The ids mkdocs gives the page's headings; a repeated slug gets `_1`, `_2`... as in `toc`."""
    seen: set[str] = set()
    for line in prose_lines(path):
        match = HEADING.match(line)
        if not match:
            continue
        slug = base = slugify(match.group(2))
        count = 0
        while slug in seen:
            count += 1
            slug = f"{base}_{count}"
        seen.add(slug)
    return seen


def links(path: Path) -> list[str]:
    """The link targets of a page's prose (inline code spans are not links)."""
    return [target for line in prose_lines(path) for target in LINK.findall(INLINE_CODE.sub("", line))]


def problem(page: Path, target: str) -> str | None:
    """Why `target`, linked from `page`, does not resolve; None when it does."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check
        return None
    file_part, _, anchor = target.partition("#")
    linked = (page.parent / file_part).resolve() if file_part else page
    if not linked.is_file():
        reference = ROOT / "docs" / "reference"
        if linked.parent == reference and linked.name in REFERENCE_PAGES and not reference.exists():
            return None if not anchor else f"{target}: an anchor into a reference page not generated here"
        return f"{target}: no file {linked}"
    if anchor and linked.suffix == ".md" and anchor not in anchors(linked):
        return f"{target}: no heading with the anchor #{anchor} in {linked}"
    return None


def test_the_slugs_are_mkdocs_defaults() -> None:
    assert slugify("Adoption: `adopt_existing`") == "adoption-adopt_existing"
    assert slugify("Ownership: who writes a trunk's numbers") == "ownership-who-writes-a-trunks-numbers"
    assert slugify("Every language: TypeScript, Go, Python") == "every-language-typescript-go-python"
    assert slugify("Recovering from an interrupted `up`") == "recovering-from-an-interrupted-up"


def test_a_broken_link_is_reported(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## A section\n\n[ok](#a-section) [gone](#b-section) [file](missing.md)\n")
    problems = [problem(page, target) for target in links(page)]
    assert problems[0] is None
    assert problems[1] is not None and "#b-section" in problems[1]
    assert problems[2] is not None and "missing.md" in problems[2]


def test_links_in_code_are_not_links(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# T\n\n`[x](nowhere.md)`\n\n```\n[y](nowhere.md)\n```\n")
    assert links(page) == []


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    problems = [found for target in links(page) if (found := problem(page, target))]
    assert not problems, "\n".join(problems)


def test_every_guide_is_linked_from_the_readme() -> None:
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in links(ROOT / "README.md")}
    assert [guide.name for guide in sorted(GUIDES.glob("*.md")) if guide.resolve() not in linked] == []
