"""Reading a rendered summary back, as a reader (or a payer's OCR) would."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace folded to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
