"""services.users: the small API the sign-in UI calls (people exist on a clinic server)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mbctracker.domain.errors import ValidationError
from mbctracker.services.users import ROLE_LABELS, ROLES, add_user, list_users
from mbctracker.storage import open_database


def test_every_role_has_a_label_for_the_people_screen() -> None:
    assert tuple(ROLE_LABELS) == ROLES == ("clinician", "nurse", "frontdesk", "admin")


def test_a_file_has_no_people(tmp_path: Path) -> None:
    db = open_database(tmp_path / "desk.sqlite3", actor="t")
    try:
        assert list_users(db) == []
        with pytest.raises(ValidationError, match="clinic server only"):
            add_user(db, "nurse.ben", "nurse", "long-enough-1")
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("name", "role", "password", "says"),
    [
        ("Nurse Ben", "nurse", "long-enough-1", "Name: 'Nurse Ben' cannot be a sign-in name"),
        ("mbct_nurse", "nurse", "long-enough-1", "(not mbct_ or pg_)"),
        ("x", "nurse", "long-enough-1", "2-63 characters"),
        ("nurse.ben", "surgeon", "long-enough-1", "Role: 'surgeon' is not a role; allowed: "),
        ("nurse.ben", "nurse", "short", "Password: at least 10 characters"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    pg_url: str, name: str, role: str, password: str, says: str
) -> None:
    db = open_database(pg_url, actor="t")
    try:
        with pytest.raises(ValidationError, match=says.replace("(", r"\(").replace(")", r"\)")):
            add_user(db, name, role, password)
        assert list_users(db) == []
    finally:
        db.dispose()
