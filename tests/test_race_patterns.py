"""The suite's own race patterns, refused by reading the tests (CI was refused twice by a
test that passed almost always). Each check names a pattern that failed, or would fail,
on a loaded machine:

- a qtbot wait with a short ceiling: 5 s (pytest-qt's default) or 2 s on a list refresh,
  a PDF render or another process's save is a speed assertion in disguise;
- ``qtbot.wait(N)``: a fixed sleep used as synchronisation;
- ``waitUntil(lambda: not w.isVisible())``: races the dialog's deferred delete (use
  ``ui_helpers.closed``);
- Hypothesis's per-example deadline: a paused process fails it (then "flaky").
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, settings
from pytestqt.qtbot import QtBot

TESTS = Path(__file__).parent
WAITS = {"waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive", "waitCallback"}
WAIT_CEILING_MS = 60_000
"""What tests/conftest.py sets as every qtbot wait's default timeout."""


def _calls() -> Iterator[tuple[str, ast.Call]]:
    for path in sorted(TESTS.rglob("*.py")):
        where = path.relative_to(TESTS).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                yield f"{where}:{node.lineno}", node


def _constant(node: ast.expr, names: dict[str, int]) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def _module_constants() -> dict[str, int]:
    """Module-level ``NAME = <int>`` in the tests (e.g. ``WAIT = 120_000``); the lowest wins."""
    found: dict[str, int] = {}
    for path in TESTS.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, int)
            ):
                name = node.targets[0].id
                found[name] = min(found.get(name, node.value.value), node.value.value)
    return found


def test_every_qtbot_wait_defaults_to_the_generous_ceiling() -> None:
    for name in WAITS:
        assert getattr(QtBot, name).__kwdefaults__["timeout"] == WAIT_CEILING_MS


def test_no_qtbot_wait_sets_a_shorter_ceiling() -> None:
    names = _module_constants()
    short = []
    for where, call in _calls():
        assert isinstance(call.func, ast.Attribute)
        if call.func.attr not in WAITS:
            continue
        for keyword in call.keywords:
            value = _constant(keyword.value, names) if keyword.arg == "timeout" else None
            if value is not None and value < WAIT_CEILING_MS:
                short.append(f"{where}: {call.func.attr}(timeout={value})")
    assert short == []


def test_no_fixed_sleep_stands_in_for_a_wait() -> None:
    sleeps = [
        where
        for where, call in _calls()
        if isinstance(call.func, ast.Attribute)
        and call.func.attr == "wait"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "qtbot"
    ]
    assert sleeps == []


def _attr(node: ast.expr) -> str:
    """The method a call names (``w.isVisible()`` -> ``isVisible``), or ""."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _waits_for_hidden(call: ast.Call) -> bool:
    if not call.args or not isinstance(call.args[0], ast.Lambda):
        return False
    body = call.args[0].body
    if isinstance(body, ast.UnaryOp) and isinstance(body.op, ast.Not):
        return _attr(body.operand) == "isVisible"
    return _attr(body) == "isHidden"


def test_no_wait_for_a_dialog_to_hide_races_its_deferred_delete() -> None:
    racing = [
        where
        for where, call in _calls()
        if isinstance(call.func, ast.Attribute)
        and call.func.attr == "waitUntil"
        and _waits_for_hidden(call)
    ]
    assert racing == []


def test_property_tests_have_no_deadline_and_no_speed_health_check() -> None:
    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
