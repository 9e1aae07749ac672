"""Who may do what: the clinic's roles and the one table of their permissions.

Each use case names one :class:`Action`; the services check it at their boundary
against :data:`PERMISSIONS` (and, on a clinic server, the database's own GRANTs
enforce the same table). The UI reads the same table to hide what a role may not
do, so screen and enforcement cannot disagree.

``role=None`` means no one signs in (a single desk without a people list): the
desk may do everything, as before sign-in existed.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .errors import DomainError


class Role(StrEnum):
    """A person's job in the clinic, which decides what they may do."""

    CLINICIAN = "clinician"
    NURSE = "nurse"
    FRONT_DESK = "front_desk"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Action(StrEnum):
    """One use case (or a family of them) whose permission is checked; the value is its words."""

    VIEW_PATIENTS = "see the patient list"
    EDIT_DEMOGRAPHICS = "register or edit a patient's details"
    SCHEDULE_COURSE = "start a course or set its session interval"
    VIEW_RECORD = "see scores, sessions and notes"
    RECORD_SCORES = "record or correct scores"
    RECORD_SESSIONS = "record or correct sessions"
    RECORD_VITALS = "record vital signs"
    SAFETY_ACTION = "record a safety action"
    REMS = "keep the REMS record"
    RECORD_EVENTS = "record or correct events"
    EDIT_COURSE = "edit, end or reopen a course (plan, thresholds, record)"
    CLINIC_OUTCOMES = "run the clinic's outcome analyses"
    EXCHANGE = "import or export the clinic's records"
    CLINIC_SETTINGS = "change the clinic's preferences"
    MANAGE_PEOPLE = "add, deactivate or reset people"


_NURSE = frozenset(
    {
        Action.VIEW_PATIENTS,
        Action.VIEW_RECORD,
        Action.RECORD_SCORES,
        Action.RECORD_SESSIONS,
        Action.RECORD_VITALS,
        Action.SAFETY_ACTION,
        Action.REMS,
        Action.RECORD_EVENTS,
    }
)
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.CLINICIAN: frozenset(Action),
    Role.NURSE: _NURSE,
    Role.FRONT_DESK: frozenset(
        {Action.VIEW_PATIENTS, Action.EDIT_DEMOGRAPHICS, Action.SCHEDULE_COURSE}
    ),
    Role.ADMINISTRATOR: frozenset({Action.MANAGE_PEOPLE, Action.CLINIC_SETTINGS}),
}
"""The one permission table (policy): clinician everything; nurse the infusion room's
work (scores, sessions, vitals, safety actions, REMS, adverse events), never course
edits, thresholds, settings or people; front desk demographics and scheduling only, no
scores or notes; administrator people and the clinic's settings, no patient data."""


class PermissionDenied(DomainError):
    """The signed-in person's role may not do this; the message names both."""

    def __init__(self, action: Action, role: Role | None) -> None:
        who = f"the {role.label} role" if role is not None else "nobody signed in"
        super().__init__(f"Not permitted: {who} may not {action.value}.", field="role")
        self.action = action
        self.role = role


def allowed(role: Role | None, action: Action) -> bool:
    """Whether ``role`` may do ``action`` (None: a single desk without sign-in may)."""
    return role is None or action in PERMISSIONS[role]


def require(role: Role | None, action: Action) -> None:
    """Raise :class:`PermissionDenied` unless ``role`` may do ``action``."""
    if not allowed(role, action):
        raise PermissionDenied(action, role)
