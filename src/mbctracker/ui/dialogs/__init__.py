"""Dialogs: one module per screen that asks and saves (Entry, Session, Patient...)."""
