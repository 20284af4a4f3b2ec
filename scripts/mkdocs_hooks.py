"""MkDocs hooks of the documentation site (mkdocs.yml `hooks:`).

`docs/_index.md` is the overview page in the layout Pulumi's registry reads (`_index.md`, not `index.md`); the
site serves it as its home page, so it is written to `index.html`.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import Files

HOME_PAGE = "_index.md"


def on_files(files: Files, config: Any) -> Files:
    home = files.get_file_from_path(HOME_PAGE)
    if home is not None:
        home.dest_uri = "index.html"
        home.url = "./"
    return files
