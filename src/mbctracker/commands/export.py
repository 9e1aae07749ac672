"""``mbctracker export``: the record in an exchange format (FHIR R4 here)."""

from __future__ import annotations

import argparse

from . import add_db_argument
from .fhir import add_mrn_system_argument, export_fhir

FORMATS = {"fhir": export_fhir, "ndjson": export_fhir}
"""Format -> writer; ``fhir`` is one Bundle file, ``ndjson`` a Bulk-Data folder."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_db_argument(parser)
    parser.add_argument("--format", required=True, choices=sorted(FORMATS))
    parser.add_argument(
        "--out", required=True, metavar="PATH", help="file (fhir) or folder (ndjson)"
    )
    parser.add_argument("--force", action="store_true", help="replace files that already exist")
    add_mrn_system_argument(parser)


def run(args: argparse.Namespace) -> int:
    return FORMATS[args.format](args)
