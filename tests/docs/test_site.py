"""The documentation site: built strictly by mkdocs, and the PhoneConfig reference page rendered in a real browser.

The smoke test builds the site into the test's tmp dir, opens `reference/phone-config/` in headless Chromium
(Debian's package: `scripts/chromium.sh install`), and reads the DOM the browser rendered (`--dump-dom`): the
property table is there with one row per input of the field table. The screenshot stays in the tmp dir as the
test's artifact. Without Chromium the test skips, or fails with CI=true.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from support import REPO, in_ci

from pulumi_phonecfg.commands import reference_docs
from pulumi_phonecfg.core.schema.fields import PHONE_CONFIG

BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def build_site(config_dir: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=config_dir,
        env=BUILD_ENV,
        capture_output=True,
        text=True,
        timeout=300,
    )


def chromium() -> str:
    found = subprocess.run([REPO / "scripts" / "chromium.sh", "path"], capture_output=True, text=True).stdout.strip()
    if found:
        return found
    message = "headless Chromium is missing: scripts/chromium.sh install (apt-get install chromium)"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def browse(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run with a profile of its own (tests of other worktrees run browsers too)."""
    return subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def png_pixels(path: Path) -> bytes:
    """The decompressed image data of a PNG (filter bytes included): enough to tell a blank page from a drawn one."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            chunks.append(data[offset + 8 : offset + 8 + length])
        offset += 12 + length
    return zlib.decompress(b"".join(chunks))


def test_the_site_builds_strictly_and_a_broken_anchor_fails_it(tmp_path: Path) -> None:
    """The real configuration on a copy of docs/: it builds; one link to a missing anchor makes it fail."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "docs", copy / "docs")
    shutil.copy(REPO / "mkdocs.yml", copy)
    (copy / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "mkdocs_hooks.py", copy / "scripts")
    (copy / "examples").symlink_to(REPO / "examples")  # the pages include sections of the examples (snippets)
    built = build_site(copy, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "index.html").exists(), "docs/_index.md is the home page"

    guide = copy / "docs" / "guides" / "drift.md"
    guide.parent.mkdir(exist_ok=True)
    guide.write_text("# Drift\n\nSee [the inputs](../reference/phone-config.md#no-such-section).\n")
    broken = build_site(copy, tmp_path / "site-broken")
    assert broken.returncode != 0 and "no-such-section" in broken.stderr, broken.stderr

    guide.write_text("# Drift\n\nSee [the inputs](../reference/phone-config.md#inputs).\n")
    fixed = build_site(copy, tmp_path / "site-guide")
    assert fixed.returncode == 0, fixed.stderr
    home = (tmp_path / "site-guide" / "index.html").read_text()
    assert 'href="guides/drift/"' in home, "a page added to docs/guides/ is in the navigation with no config edit"


def test_the_phone_config_page_renders_with_its_property_table(tmp_path: Path) -> None:
    browser = chromium()
    site = tmp_path / "site"
    built = build_site(REPO, site)
    assert built.returncode == 0, built.stderr
    page = (site / "reference" / "phone-config" / "index.html").as_uri()

    screenshot = tmp_path / "phone-config.png"
    shot = browse(browser, tmp_path / "profile-shot", f"--screenshot={screenshot}", "--window-size=1280,1600", page)
    assert screenshot.exists(), shot.stderr[-2000:]
    assert len(set(png_pixels(screenshot))) > 16, "the screenshot is blank"

    dumped = browse(browser, tmp_path / "profile-dom", "--dump-dom", page)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    (tmp_path / "phone-config.dom.html").write_text(dom)
    assert re.search(r"<h1[^>]*>PhoneConfig", dom), "the page's title"
    assert 'class="md-content"' in dom, "the Material theme's layout"
    # The Inputs table: its header, then one row per input (nested ones included) of the field table.
    inputs_section = dom.split('id="inputs"', 1)[1].split('id="outputs"', 1)[0]
    table = re.search(r"<table>(.*?)</table>", inputs_section, re.S)
    assert table, "the Inputs section has its property table"
    header = re.findall(r"<th[^>]*>(.*?)</th>", table.group(1))
    assert header[:7] == ["Property", "Type", "Rule", "Default", "Secret", "On change", "Description"], header
    first_cells = re.findall(r"<tr>\s*<td[^>]*><code>([^<]+)</code>", table.group(1))
    expected = [reference_docs.program_path(row.path) for row in reference_docs._walk(PHONE_CONFIG.inputs, inputs=True)]
    assert first_cells == expected
    assert {"name", "security.password", "phoneNumbers[].phoneNumber", "adoptExisting"} <= set(first_cells)
