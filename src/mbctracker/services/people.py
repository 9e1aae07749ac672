"""The desk's people list (SQLite): add, deactivate, reset a PIN, sign in.

Optional: with nobody listed the desk works as before (no sign-in, the OS login in
the change log). Once someone is listed, each person signs in with their name and
PIN and becomes the actor of the change log, the default "taken by" of safety
actions and the default rater of clinician-rated scales; their role decides what
they may do (``domain.access``). The first person must be an administrator, and
the last active administrator cannot be deactivated, so the list can always be
managed. PINs are kept as scrypt hashes with a per-person random salt.

On a clinic server the PostgreSQL login roles take this part (services/users.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from ..domain.access import Action, Role
from ..domain.errors import ValidationError
from ..domain.limits import NAME_MAX
from ..domain.text import loose_mrn_key
from ..storage.db import Database
from ..storage.tables import Clinician
from ._rows import bump, live
from .access import requires
from .validation import choice, refuse, text

PIN_DIGITS = (4, 12)
"""A PIN is 4 to 12 digits: typed on any keyboard's number row or keypad."""
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
"""scrypt cost (about 16 MB and tens of ms per check): slow for a guesser, quick for a person."""
MAX_FAILURES = 5
"""Wrong PINs in a row before sign-in pauses (:class:`SignInThrottle`)."""
PAUSE_SECONDS = 30.0
"""How long sign-in pauses after :data:`MAX_FAILURES` wrong PINs."""
NOT_RECOGNISED = "Name or PIN not recognised; check both and try again."


@dataclass(frozen=True, slots=True)
class Person:
    """One person on the list, as shown in Edit -> People (never the PIN)."""

    id: int
    name: str
    role: Role
    active: bool
    version: int


def _person(row: Clinician) -> Person:
    assert row.id is not None
    return Person(row.id, row.display_name, Role(row.role), row.active, row.version)


def _checked_pin(pin: object) -> str:
    low, high = PIN_DIGITS
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit():
        refuse("pin", "PIN", "must be digits only", f"{low}-{high} digits 0-9")
    if not low <= len(pin) <= high:
        refuse("pin", "PIN", f"has {len(pin)} digits", f"{low}-{high} digits 0-9")
    return pin


def _hash(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode(), salt=salt, **_SCRYPT).hex()


def _set_pin(row: Clinician, pin: str) -> None:
    salt = secrets.token_bytes(16)
    row.pin_salt = salt.hex()
    row.pin_hash = _hash(pin, salt)


def _pin_matches(row: Clinician, pin: str) -> bool:
    return hmac.compare_digest(_hash(pin, bytes.fromhex(row.pin_salt)), row.pin_hash)


def _name(value: object) -> tuple[str, str]:
    name = text(value, "name", "Name", NAME_MAX, required=True)
    return name, loose_mrn_key(name)


def has_people(db: Database) -> bool:
    """Whether anyone is listed: then the desk asks who is there (no permission needed)."""
    with db.read() as session:
        return bool(session.exec(select(func.count()).select_from(Clinician)).one())


@requires(Action.MANAGE_PEOPLE)
def list_people(db: Database) -> list[Person]:
    """Everyone listed, active first, by name."""
    with db.read() as session:
        rows = session.exec(select(Clinician)).all()
    return sorted(map(_person, rows), key=lambda p: (not p.active, p.name.casefold()))


@requires(Action.MANAGE_PEOPLE)
def add_person(db: Database, name: str, role: Role | str, pin: str) -> Person:
    """List a person; the first one must be an administrator (someone must manage the list).

    Raises:
        ValidationError: bad name, role or PIN, a name already listed, or a first
            person who is not an administrator.
    """
    display, key = _name(name)
    chosen = choice(role, Role, "role", "Role")
    _checked_pin(pin)
    with db.write() as session:
        _refuse_first_non_admin(session, chosen)
        if session.exec(select(Clinician).where(Clinician.name_key == key)).first():
            refuse("name", "Name", f"{display!r} is already listed", "a name not yet listed")
        row = Clinician(
            display_name=display, name_key=key, role=chosen.value, pin_hash="", pin_salt=""
        )
        _set_pin(row, pin)
        session.add(row)
        session.flush()
        return _person(row)


def _refuse_first_non_admin(session: Session, role: Role) -> None:
    if role != Role.ADMINISTRATOR and not session.exec(select(Clinician.id)).first():
        refuse(
            "role",
            "Role",
            f"the first person listed must manage the list, not be a {role.label}",
            Role.ADMINISTRATOR.label,
        )


@requires(Action.MANAGE_PEOPLE)
def set_active(db: Database, person_id: int, active: bool, *, expected_version: int) -> Person:
    """Deactivate (or reactivate) a person; their past entries keep their name.

    Raises:
        ValidationError: deactivating the last active administrator.
        StaleRecordError: someone else changed this person first.
    """
    with db.write() as session:
        row = live(session, Clinician, person_id, "person")
        if not active and row.active and row.role == Role.ADMINISTRATOR:
            _refuse_last_admin(session, row)
        bump(row, expected_version, "person")
        row.active = active
        session.add(row)
        session.flush()
        return _person(row)


def _refuse_last_admin(session: Session, row: Clinician) -> None:
    others = select(Clinician.id).where(
        Clinician.role == Role.ADMINISTRATOR.value,
        Clinician.active,
        Clinician.id != row.id,
    )
    if session.exec(others).first() is None:
        refuse(
            "active",
            "Active",
            f"{row.display_name} is the last active administrator",
            "add another administrator first",
        )


@requires(Action.MANAGE_PEOPLE)
def reset_pin(db: Database, person_id: int, pin: str, *, expected_version: int) -> Person:
    """Give a person a new PIN (a forgotten one is never shown, only replaced)."""
    _checked_pin(pin)
    with db.write() as session:
        row = live(session, Clinician, person_id, "person")
        bump(row, expected_version, "person")
        _set_pin(row, pin)
        session.add(row)
        session.flush()
        return _person(row)


def sign_in(db: Database, name: str, pin: str) -> Person:
    """Check a name and PIN; the person becomes ``db``'s actor and role.

    A wrong name, a wrong PIN and a deactivated person get the same message, so
    the screen never confirms who is listed.

    Raises:
        ValidationError: not recognised (the field is ``pin``).
    """
    if not isinstance(name, str) or not isinstance(pin, str) or not name.strip():
        raise ValidationError(NOT_RECOGNISED, field="pin")
    key = loose_mrn_key(name)
    with db.read() as session:
        row = session.exec(select(Clinician).where(Clinician.name_key == key)).first()
    if row is None or not row.active or not _pin_matches(row, pin):
        raise ValidationError(NOT_RECOGNISED, field="pin")
    person = _person(row)
    db.actor, db.role, db.signed_out = person.name, person.role, False
    return person


def sign_out(db: Database) -> None:
    """Nobody is signed in: every checked use case is refused until the next sign-in."""
    db.signed_out = True


@dataclass
class SignInThrottle:
    """Pause sign-in after :data:`MAX_FAILURES` wrong PINs in a row (a guesser waits).

    ``clock`` is injectable so a test can step time instead of sleeping.
    """

    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    paused_until: float = field(default=0.0)

    def wait_seconds(self) -> float:
        """Seconds before the next try is accepted (0: now)."""
        return max(0.0, self.paused_until - self.clock())

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            self.failures = 0
            self.paused_until = self.clock() + PAUSE_SECONDS

    def succeeded(self) -> None:
        self.failures = 0
        self.paused_until = 0.0
