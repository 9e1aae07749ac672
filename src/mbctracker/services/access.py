"""The permission check at the services' boundary: one decorator per use case.

Every use case that takes the open :class:`~mbctracker.storage.db.Database` names
its :class:`~mbctracker.domain.access.Action` with ``@requires``; the check reads
the signed-in person's role from the database object and refuses with
:class:`~mbctracker.domain.access.PermissionDenied` before any read or write, so
a hidden button is never the only guard. The table itself is the domain's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from ..domain.access import Action, PermissionDenied, allowed, require
from ..storage.db import Database

P = ParamSpec("P")
T = TypeVar("T")


def check(db: Database, action: Action) -> None:
    """Refuse ``action`` unless the person signed in to ``db`` may do it."""
    if db.signed_out:
        raise PermissionDenied(action, None)
    require(db.role, action)


def may(db: Database, action: Action) -> bool:
    """Whether the person signed in may do ``action`` (the UI hides what they may not)."""
    return not db.signed_out and allowed(db.role, action)


def requires(
    action: Action,
) -> Callable[[Callable[Concatenate[Database, P], T]], Callable[Concatenate[Database, P], T]]:
    """Check ``action`` before the use case runs (the one check per use case)."""

    def wrap(
        use_case: Callable[Concatenate[Database, P], T],
    ) -> Callable[Concatenate[Database, P], T]:
        @functools.wraps(use_case)
        def checked(db: Database, /, *args: P.args, **kwargs: P.kwargs) -> T:
            check(db, action)
            return use_case(db, *args, **kwargs)

        checked.required_action = action  # type: ignore[attr-defined]
        return checked

    return wrap
