"""Checks on the code itself: no guards hiding the app's own modules, no dead code."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def _vulture(*extra: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("vulture", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("vulture is in the test extra: pip install -e '.[test]'")
    return subprocess.run([exe, *extra], capture_output=True, text=True, cwd=ROOT, check=False)


def test_vulture_finds_no_dead_code_and_runs_in_make_test() -> None:
    done = _vulture()
    assert done.returncode == 0, done.stdout
    assert "$(BIN)/vulture" in (ROOT / "Makefile").read_text()


def test_vulture_would_report_a_dead_function(tmp_path: Path) -> None:
    dead = tmp_path / "dead.py"
    dead.write_text("def never_called() -> int:\n    return 1\n")
    done = _vulture(str(dead))
    assert done.returncode == 3 and "never_called" in done.stdout, done.stdout
