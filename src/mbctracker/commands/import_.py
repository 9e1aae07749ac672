"""``mbctracker import``: records from an exchange format (FHIR QuestionnaireResponses here)."""

from __future__ import annotations

import argparse

from . import add_db_argument
from .fhir import add_mrn_system_argument, import_fhir

FORMATS = {"fhir": import_fhir}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--format", required=True, choices=sorted(FORMATS))
    parser.add_argument(
        "file", metavar="FILE", help="a FHIR Bundle or QuestionnaireResponse (JSON)"
    )
    add_mrn_system_argument(parser)


def run(args: argparse.Namespace) -> int:
    return FORMATS[args.format](args)
