"""Errors the domain raises for input a user can correct."""

from __future__ import annotations


class DomainError(ValueError):
    """A value a person entered breaks a clinical rule; the message names the field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ScoringError(DomainError):
    """Responses do not fit the instrument (wrong count or an item out of range)."""


class ValidationError(DomainError):
    """A record (patient, course, session, event) fails a plausibility or integrity rule."""
