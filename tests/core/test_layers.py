"""The package's layers, read from the code: the core imports no face, the faces import no other face, the
emulator imports nothing of the provider (it must be able to disagree with it).

The import graph is read with `ast` from every module's source (imports inside functions and `TYPE_CHECKING`
blocks included), so a new arrow in the wrong direction fails here before anyone runs it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pulumi_phonecfg"

# Who may import whom, by top-level part of the package. `provider` and `errors` are the permanent public paths
# (the pickled providers, the name error lines show): shims over `dynamic/` and `core/`, imported by nobody inside.
MAY_IMPORT: dict[str, set[str]] = {
    "core": {"core"},
    "dynamic": {"core", "dynamic"},
    "native": {"core", "native"},
    "commands": {"core", "dynamic", "native", "terraform", "commands", "emulator"},
    "terraform": {"core", "terraform"},
    "emulator": {"emulator"},
    "policy": {"core", "policy"},
    "provider": {"dynamic"},
    "errors": {"core"},
    "__init__": {"core", "dynamic", "errors", "provider"},
}
# Pulumi's own modules that belong to one face: the core decides, each face speaks its protocol.
FACE_ONLY_LIBRARIES = {
    "pulumi.dynamic": "dynamic",
    "pulumi.provider": "native",
    "pulumi.runtime.proto": "native",
    "tf": "terraform",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str | None:
    """`pulumi_phonecfg.core.http.client` -> `core`; `pulumi_phonecfg` -> `__init__`; other packages -> None."""
    parts = module.split(".")
    if parts[0] != "pulumi_phonecfg":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> Iterator[str]:
    """Every module `path` imports, as absolute names (`from x import y` yields `x` and `x.y`)."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    return {_module_name(path): set(imports_of(path)) for path in sorted(PACKAGE.rglob("*.py"))}


def violations(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, imported in sorted(graph.items()):
        layer = _layer(module)
        assert layer is not None
        allowed = MAY_IMPORT.get(layer)
        assert allowed is not None, f"{module}: a new top-level part of the package; give it a row in MAY_IMPORT"
        for target in sorted(imported):
            target_layer = _layer(target)
            if target_layer is not None and target_layer not in allowed and target != "pulumi_phonecfg":
                found.append(f"{module} imports {target} ({layer} may import {', '.join(sorted(allowed))})")
            for library, face in FACE_ONLY_LIBRARIES.items():
                if (target == library or target.startswith(library + ".")) and layer not in (face, "commands"):
                    found.append(f"{module} imports {target}, which only the {face} face speaks")
    return found


def test_the_graph_is_read_from_the_code() -> None:
    """The reader sees real arrows, including function-level and relative imports (else the rule proves nothing)."""
    graph = import_graph()
    assert "pulumi_phonecfg.core.lifecycle.phone_config" in graph["pulumi_phonecfg.dynamic.providers"]
    assert "pulumi_phonecfg.dynamic.providers" in graph["pulumi_phonecfg.provider"]
    assert "pulumi_phonecfg.dynamic.pickler_guard" in graph["pulumi_phonecfg.commands.migrate"]  # inside a function
    assert "pulumi.dynamic" in graph["pulumi_phonecfg.dynamic.results"]
    assert len(graph) > 60


def test_no_layer_imports_one_above_it_or_beside_it() -> None:
    assert violations(import_graph()) == []


@pytest.mark.parametrize(
    ("module", "target", "why"),
    [
        ("pulumi_phonecfg.core.http.client", "pulumi_phonecfg.dynamic.providers", "core may import core"),
        ("pulumi_phonecfg.core.lifecycle.phone_config", "pulumi.dynamic", "which only the dynamic face speaks"),
        ("pulumi_phonecfg.native.server", "pulumi_phonecfg.dynamic.resources", "native may import core, native"),
        ("pulumi_phonecfg.emulator.app", "pulumi_phonecfg.core.schema.models", "emulator may import emulator"),
    ],
)
def test_a_wrong_arrow_is_named(module: str, target: str, why: str) -> None:
    graph = import_graph()
    graph[module] = graph[module] | {target}
    found = violations(graph)
    assert len(found) == 1 and found[0].startswith(f"{module} imports {target}") and why in found[0], found
