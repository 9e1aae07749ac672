"""Checks on the code itself: no guards hiding the app's own modules, no dead code."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
SRC = ROOT / "src" / "mbctracker"


def _imports_own_module(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").startswith("mbctracker")
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("mbctracker") for alias in node.names)
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names
    )


def test_the_apps_own_modules_are_imported_without_an_import_error_guard() -> None:
    """A guard turns a broken module into a silently missing feature (no log, no backup)."""
    guarded = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Try):
                continue
            if any(_imports_own_module(s) for s in node.body) and any(
                _catches_import_error(h) for h in node.handlers
            ):
                guarded.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert guarded == []
