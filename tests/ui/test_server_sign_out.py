"""The idle lock on a clinic server is a real sign-out (issue 13 §2).

Each person signs in to the server with their own PostgreSQL login. When the idle
lock covers the window, the last person's connections are closed (none is left in
``pg_stat_activity``), live updates stop, and the curtain asks the next person for
their login name and password; the server is then reopened as them, with their role.
Everything runs on the real throw-away cluster of tests/conftest.py and is driven by
the keyboard; the idle timer's signal is emitted rather than waited for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from ui_helpers import Clinic, build_clinic, closed, open_patient

from mbctracker.domain.access import Role
from mbctracker.services.people import MAX_FAILURES
from mbctracker.services.users import add_user, server_init
from mbctracker.storage import open_database
from mbctracker.storage.watch import PostgresWatcher
from mbctracker.ui.dialogs.entry_dialog import EntryDialog
from mbctracker.ui.main_window import MainWindow
from mbctracker.ui.models.patient_model import FLAG_COLUMN
from pg_cluster import Cluster

PASSWORD = "synthetic-pass-1"
PEOPLE = {"dr.ada": "clinician", "nurse.ben": "nurse", "desk.cy": "frontdesk", "it.di": "admin"}


def _name(url: str) -> str:
    return url.split("@/", 1)[1].split("?", 1)[0]


@pytest.fixture
def server(pg: Cluster, pg_url: str) -> Iterator[tuple[str, Clinic]]:
    """A clinic server set up as docs/clinic-server.md says, one login per role, and
    the UI tests' small clinic on it; yields the database's name and the clinic."""
    owner = open_database(pg_url, actor="owner")
    try:
        server_init(owner)
        for name, role in PEOPLE.items():
            pg.psql(f'DROP ROLE IF EXISTS "{name}"')
            add_user(owner, name, role, PASSWORD)
        clinic = build_clinic(owner)
    finally:
        owner.dispose()
    yield _name(pg_url), clinic
    pg.drop_database(_name(pg_url))
    for name in PEOPLE:
        pg.psql(f'DROP ROLE IF EXISTS "{name}"')


@pytest.fixture
def ada_window(
    qtbot, pg: Cluster, server: tuple[str, Clinic], tmp_path: Path
) -> Iterator[MainWindow]:
    """The window as Dr Ada (clinician) opened it, with the clinic's patient on screen."""
    from mbctracker.app import make_window

    database, clinic = server
    win = make_window(pg.url(database, "dr.ada", PASSWORD), settings_path=tmp_path / "ui.ini")
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    open_patient(qtbot, win, clinic.patient_id)
    try:
        yield win
    finally:
        win.close()
        win.db.dispose()


def sessions_of(pg: Cluster, user: str) -> int:
    """Connections ``user`` has open on the server now (any database). A closed connection's
    backend leaves this view a moment after the client is gone: wait for 0, never assert it."""
    return int(pg.psql(f"SELECT count(*) FROM pg_stat_activity WHERE usename = '{user}'"))


def listener(pg: Cluster) -> str:
    """Who holds the live-updates connection (the one whose last statement was LISTEN)."""
    return pg.psql(
        "SELECT coalesce(string_agg(usename, ','), '') FROM pg_stat_activity "
        "WHERE query LIKE 'LISTEN %'"
    ).strip()


def idle(win: MainWindow) -> None:
    """The clinic's idle time passes: the lock's timer fires (its signal, not a sleep)."""
    win.idle_lock.set_minutes(5)
    win.idle_lock.timer.timeout.emit()


def type_sign_in(qtbot, win: MainWindow, name: str, password: str) -> None:
    curtain = win.sign_in.curtain
    assert curtain.isVisible()
    curtain.name.setFocus()
    qtbot.keyClicks(curtain.name, name)
    qtbot.keyClick(curtain.name, Qt.Key.Key_Tab)
    qtbot.keyClicks(curtain.focusWidget(), password)
    qtbot.keyClick(curtain.focusWidget(), Qt.Key.Key_Return)


def test_the_idle_lock_closes_the_last_persons_connections(
    qtbot, pg: Cluster, ada_window: MainWindow
) -> None:
    win = ada_window
    assert win.db.actor == "dr.ada"  # the change log names the login, not the OS account
    assert sessions_of(pg, "dr.ada") > 0
    assert listener(pg) == "dr.ada"
    idle(win)
    curtain = win.sign_in.curtain
    assert curtain.isVisible() and win.idle_lock.locked
    assert win.db.signed_out and win.live.watcher is None
    qtbot.waitUntil(lambda: sessions_of(pg, "dr.ada") == 0)  # the server lets them go
    assert listener(pg) == ""
    assert curtain.secret_label.text().replace("&", "") == "Password:"
    assert not win.actions_by_name["entry"].isEnabled()
    assert PASSWORD not in (win.db.url or "")


def test_the_next_person_signs_in_with_their_password_and_saves_as_themselves(
    qtbot, pg: Cluster, ada_window: MainWindow, server: tuple[str, Clinic], caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    database, clinic = server
    win = ada_window
    idle(win)
    type_sign_in(qtbot, win, "nurse.ben", PASSWORD)
    assert not win.sign_in.curtain.isVisible()
    assert win.sign_in.curtain.pin.text() == ""  # not kept in the hidden field
    assert (win.db.actor, win.db.role, win.db.signed_out) == ("nurse.ben", Role.NURSE, False)
    assert win.course.patient is not None and win.course.patient.id == clinic.patient_id
    assert win.course.timeline is not None  # a nurse sees the scores
    assert isinstance(win.live.watcher, PostgresWatcher)
    qtbot.waitUntil(lambda: listener(pg) == "nurse.ben")  # live updates listen as Ben now
    qtbot.waitUntil(lambda: sessions_of(pg, "dr.ada") == 0)  # backends exit after the close
    # Ben records a PHQ-9 from the keyboard: the change log names him
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(win.dialog, EntryDialog) and win.dialog.isVisible())
    dialog = win.dialog
    form = dialog.tabs.currentWidget()
    for key in "000000000":
        qtbot.keyClick(form, key)
    qtbot.keyClick(form, Qt.Key.Key_Return)
    assert "PHQ9" in dialog.saved_codes, dialog.error.text()
    dialog.reject()
    qtbot.waitUntil(lambda: closed(dialog))
    last = pg.psql(
        "SELECT actor, table_name FROM change_log ORDER BY id DESC LIMIT 1", database
    ).strip()
    assert last == "nurse.ben|assessment"
    shown = [win.windowTitle(), win.db_label.text(), win.statusBar().currentMessage(), win.db.url]
    assert all(PASSWORD not in (text or "") for text in shown)
    assert PASSWORD not in caplog.text


def test_a_front_desk_login_gets_the_front_desk_window(
    qtbot, pg: Cluster, ada_window: MainWindow, server: tuple[str, Clinic]
) -> None:
    _database, clinic = server
    win = ada_window
    idle(win)
    type_sign_in(qtbot, win, "desk.cy", PASSWORD)
    assert win.db.role == Role.FRONT_DESK
    assert win.patients.model.total == len(clinic.other_ids) + 1  # the list, without scores
    assert win.course.patient is not None and win.course.patient.id == clinic.patient_id
    assert win.course.timeline is None  # demographics only: no scores
    assert win.patients.table.isColumnHidden(FLAG_COLUMN)
    assert not win.actions_by_name["entry"].isEnabled()
    assert not win.flags_label.isVisible()
    qtbot.waitUntil(lambda: sessions_of(pg, "dr.ada") == 0)  # backends exit after the close


def test_a_dialog_left_open_is_closed_unsaved_and_cannot_save_as_the_next_person(
    qtbot, pg: Cluster, ada_window: MainWindow, server: tuple[str, Clinic]
) -> None:
    database, _clinic = server
    win = ada_window
    logged = pg.psql("SELECT count(*) FROM change_log", database)
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(win.dialog, EntryDialog) and win.dialog.isVisible())
    dialog = win.dialog
    for key in "1201":
        qtbot.keyClick(dialog.tabs.currentWidget(), key)
    idle(win)
    qtbot.waitUntil(lambda: closed(dialog))  # not left over the curtain with Ada's patient
    type_sign_in(qtbot, win, "nurse.ben", PASSWORD)
    assert pg.psql("SELECT count(*) FROM change_log", database) == logged  # nothing saved


def test_an_administrator_is_not_left_the_last_persons_patient(
    qtbot, ada_window: MainWindow
) -> None:
    win = ada_window
    idle(win)
    type_sign_in(qtbot, win, "it.di", PASSWORD)
    assert win.db.role == Role.ADMINISTRATOR
    assert win.course.patient is None


def test_a_wrong_password_is_refused_plainly_then_sign_in_pauses(
    qtbot, pg: Cluster, ada_window: MainWindow
) -> None:
    win = ada_window
    idle(win)
    curtain = win.sign_in.curtain
    for attempt in range(MAX_FAILURES):
        type_sign_in(qtbot, win, "nurse.ben", "not-the-password")
        assert curtain.isVisible() and win.db.signed_out
        assert curtain.pin.text() == ""
        if attempt < MAX_FAILURES - 1:
            assert "wrong user name or password" in curtain.message.text()
            assert "Traceback" not in curtain.message.text()
        curtain.name.clear()
    assert "pauses for 30 seconds" in curtain.message.text()
    assert not curtain.button.isEnabled()
    type_sign_in(qtbot, win, "nurse.ben", PASSWORD)  # even the right password waits
    assert win.db.signed_out and curtain.isVisible()
    qtbot.waitUntil(lambda: sessions_of(pg, "nurse.ben") + sessions_of(pg, "dr.ada") == 0)


@pytest.mark.parametrize("name", ["", "   ", "nurse.ben@other-host/db?x=1", "Robert'); DROP--"])
def test_a_hostile_or_empty_name_is_refused_plainly(
    qtbot, ada_window: MainWindow, name: str
) -> None:
    win = ada_window
    idle(win)
    type_sign_in(qtbot, win, name, PASSWORD)
    curtain = win.sign_in.curtain
    assert curtain.isVisible() and win.db.signed_out
    text = curtain.message.text()
    assert text.startswith("Name:") or "wrong user name or password" in text
    assert "Traceback" not in text
