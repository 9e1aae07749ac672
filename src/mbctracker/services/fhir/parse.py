"""Read patient-reported QuestionnaireResponses (PHQ-9, GAD-7) from FHIR JSON.

Pure: JSON in, plain answers out, every problem collected (not only the first)
and worded as ``<resource>: <item>: what is wrong; allowed: ...``. Nothing here
reads the database; :mod:`.importer` matches patients and saves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...domain.instruments import INSTRUMENTS, LOINC_ANSWER_TEXT, Instrument
from ...domain.limits import MRN_MAX
from . import codes

ACCEPTED_STATUS = ("completed", "amended")


@dataclass(frozen=True, slots=True)
class ParsedResponse:
    """One response, ready to be scored by the services (the app computes every total)."""

    where: str
    mrn: str
    instrument: str
    responses: tuple[int | None, ...]
    when: datetime
    """Naive clinic-local wall-clock time, as every use case takes it."""
    supplementary: int | None = None


@dataclass
class Parsed:
    responses: list[ParsedResponse] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)


def questionnaire_urls() -> dict[str, Instrument]:
    """The LOINC canonical of each instrument with a LOINC panel (PHQ-9, GAD-7)."""
    return {f"http://loinc.org/q/{i.loinc_panel}": i for i in INSTRUMENTS.values() if i.loinc_panel}


def parse_document(data: object, mrn_system: str) -> Parsed:
    """A Bundle of QuestionnaireResponses (Patients in it resolve references) or one response."""
    parsed = Parsed()
    if not isinstance(data, dict) or data.get("resourceType") not in (
        "Bundle",
        "QuestionnaireResponse",
    ):
        kind = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        parsed.problems.append(
            f"file: resourceType {kind!r} is not accepted; allowed: Bundle, QuestionnaireResponse"
        )
        return parsed
    entries: list[tuple[str | None, dict[str, Any]]] = (
        list(_entries(data, parsed)) if data["resourceType"] == "Bundle" else [(None, data)]
    )
    patients = _patients(entries)
    for number, (_, resource) in enumerate(entries, start=1):
        kind = resource.get("resourceType")
        if kind == "QuestionnaireResponse":
            _parse_response(resource, number, patients, mrn_system, parsed)
        elif kind != "Patient":
            parsed.ignored[str(kind)] = parsed.ignored.get(str(kind), 0) + 1
    if not parsed.responses and not parsed.problems:
        parsed.problems.append("file: holds no QuestionnaireResponse")
    return parsed


def _entries(
    bundle: Mapping[str, Any], parsed: Parsed
) -> Iterator[tuple[str | None, dict[str, Any]]]:
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        parsed.problems.append("Bundle: entry must be a list")
        return
    for number, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            parsed.problems.append(f"Bundle entry {number}: has no resource")
            continue
        full_url = entry.get("fullUrl")
        yield (full_url if isinstance(full_url, str) else None), resource


def _patients(entries: list[tuple[str | None, dict[str, Any]]]) -> dict[str, Mapping[str, Any]]:
    """Patients of the Bundle by every way a reference may name them."""
    found: dict[str, Mapping[str, Any]] = {}
    for full_url, resource in entries:
        if resource.get("resourceType") != "Patient":
            continue
        if full_url:
            found[full_url] = resource
        if isinstance(resource.get("id"), str):
            found[f"Patient/{resource['id']}"] = resource
    return found


def _label(resource: Mapping[str, Any], number: int) -> str:
    rid = resource.get("id")
    named = f" {rid!r}" if isinstance(rid, str) else ""
    return f"QuestionnaireResponse{named} (entry {number})"


def _parse_response(
    resource: Mapping[str, Any],
    number: int,
    patients: Mapping[str, Mapping[str, Any]],
    mrn_system: str,
    parsed: Parsed,
) -> None:
    where = _label(resource, number)
    problems: list[str] = []
    instrument = _instrument(resource, problems)
    mrn = _mrn(resource.get("subject"), patients, mrn_system, problems)
    when = _authored(resource.get("authored"), problems)
    status = resource.get("status")
    if status not in ACCEPTED_STATUS:
        problems.append(
            f"status: {status!r} is not a finished response; allowed: completed, amended"
        )
    answers = _answers(resource, instrument, problems) if instrument else None
    parsed.problems += [f"{where}: {p}" for p in problems]
    if problems or instrument is None or mrn is None or when is None or answers is None:
        return
    items, extra = answers
    parsed.responses.append(ParsedResponse(where, mrn, instrument.code, items, when, extra))


def _instrument(resource: Mapping[str, Any], problems: list[str]) -> Instrument | None:
    known = questionnaire_urls()
    url = resource.get("questionnaire")
    canonical = url.split("|", 1)[0] if isinstance(url, str) else None
    if canonical in known:
        return known[canonical]
    allowed = ", ".join(f"{u} ({i.name})" for u, i in known.items())
    problems.append(f"questionnaire: {url!r} is not a known questionnaire; allowed: {allowed}")
    return None


def _mrn(
    subject: object,
    patients: Mapping[str, Mapping[str, Any]],
    mrn_system: str,
    problems: list[str],
) -> str | None:
    """The MRN from subject.identifier, or from the Bundle's Patient the reference names."""
    if not isinstance(subject, dict):
        problems.append("subject: missing; allowed: a Patient reference or an MRN identifier")
        return None
    if isinstance(subject.get("identifier"), dict):
        return _mrn_of([subject["identifier"]], mrn_system, "subject.identifier", problems)
    reference = subject.get("reference")
    patient = patients.get(reference) if isinstance(reference, str) else None
    if patient is None:
        problems.append(
            f"subject: reference {reference!r} names no Patient in this file; allowed: a "
            f"Patient entry of the Bundle, or subject.identifier with system {mrn_system}"
        )
        return None
    identifiers = patient.get("identifier")
    found = identifiers if isinstance(identifiers, list) else []
    return _mrn_of(found, mrn_system, f"Patient {reference}: identifier", problems)


def _mrn_of(identifiers: list[Any], mrn_system: str, where: str, problems: list[str]) -> str | None:
    for identifier in identifiers:
        if not isinstance(identifier, dict):
            continue
        value = identifier.get("value")
        if identifier.get("system") == mrn_system and isinstance(value, str) and value.strip():
            if len(value) > MRN_MAX:
                problems.append(f"{where}: the MRN is longer than {MRN_MAX} characters")
                return None
            return value
    systems = sorted({str(i.get("system")) for i in identifiers if isinstance(i, dict)})
    shown = ", ".join(systems) or "none"
    problems.append(
        f"{where}: no MRN under the clinic's system (found systems: {shown}); "
        f"allowed: system {mrn_system} with a value"
    )
    return None


def _authored(value: object, problems: list[str]) -> datetime | None:
    """A date and time; with an offset it is converted to clinic-local time."""
    moment: datetime | None = None
    if isinstance(value, str) and "T" in value:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None:
        problems.append(
            f"authored: {value!r} is not a date and time; allowed: YYYY-MM-DDThh:mm:ss "
            "with an offset (without one it is clinic-local time)"
        )
        return None
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _answers(
    resource: Mapping[str, Any], instrument: Instrument, problems: list[str]
) -> tuple[tuple[int | None, ...], int | None]:
    """Item values by position (missing = None) and the unscored extra answer."""
    slots = _slots(instrument)
    values: dict[str, int | None] = {}
    for item in _flat_items(resource.get("item", []), problems):
        link = _link(item, slots)
        if link is None:
            if not _is_total(item, instrument):
                problems.append(_unknown_item(item, instrument))
            continue
        if link in values:
            problems.append(f"item {link}: answered twice; allowed: one answer per question")
            continue
        values[link] = _value(item, link, slots[link], instrument, problems)
    items = tuple(values.get(i.loinc or "") for i in instrument.items)
    extra = instrument.supplementary
    return items, values.get(extra.loinc or "") if extra else None


def _slots(instrument: Instrument) -> dict[str, dict[int, str]]:
    """Each LOINC question code with its own answer list (value -> LA code)."""
    slots = {i.loinc: instrument.item_answer_loinc(i.number) for i in instrument.items if i.loinc}
    extra = instrument.supplementary
    if extra is not None and extra.loinc:
        slots[extra.loinc] = extra.answer_loinc or {}
    return slots


def _flat_items(items: object, problems: list[str]) -> Iterator[Mapping[str, Any]]:
    """Questions at any depth (some forms nest them in a group)."""
    if not isinstance(items, list):
        problems.append("item: must be a list")
        return
    for item in items:
        if not isinstance(item, dict):
            problems.append("item: each item must be an object")
            continue
        if "item" in item:
            yield from _flat_items(item["item"], problems)
        if "answer" in item or "item" not in item:
            yield item


def _link(item: Mapping[str, Any], slots: Mapping[str, object]) -> str | None:
    """The LOINC question code from the linkId: ``44250-9``, or a path ending in it
    (``/44249-1/44250-9``, as forms built from LOINC's panel name their items)."""
    link = item.get("linkId")
    tail = link.rsplit("/", 1)[-1] if isinstance(link, str) else None
    return tail if tail in slots else None


def _is_total(item: Mapping[str, Any], instrument: Instrument) -> bool:
    """A total sent by the form is ignored: the app scores the items itself."""
    link = item.get("linkId")
    return isinstance(link, str) and link.rsplit("/", 1)[-1] == instrument.loinc_total


def _unknown_item(item: Mapping[str, Any], instrument: Instrument) -> str:
    allowed = ", ".join(i.loinc or "" for i in instrument.items)
    return (
        f"item {item.get('linkId')!r}: is not a {instrument.name} question; "
        f"allowed linkIds: {allowed}"
    )


def _describe(slot_name: str, instrument: Instrument) -> str:
    for item in instrument.items:
        if item.loinc == slot_name:
            return f"item {slot_name} ({instrument.name} item {item.number}, {item.label})"
    extra = instrument.supplementary.label if instrument.supplementary else "extra question"
    return f"item {slot_name} ({instrument.name} {extra})"


def _value(
    item: Mapping[str, Any],
    link: str,
    answers: Mapping[int, str],
    instrument: Instrument,
    problems: list[str],
) -> int | None:
    """The answer's value from its LOINC code (the item's own list) or an integer in range."""
    given = item.get("answer", [])
    if not given:
        return None
    name = _describe(link, instrument)
    if not isinstance(given, list) or len(given) != 1 or not isinstance(given[0], dict):
        problems.append(f"{name}: needs exactly one answer")
        return None
    answer = given[0]
    by_code = {code: value for value, code in answers.items()}
    coding = answer.get("valueCoding")
    if isinstance(coding, dict):
        code = coding.get("code")
        loinc = coding.get("system", codes.LOINC) == codes.LOINC
        if loinc and isinstance(code, str) and code in by_code:
            return by_code[code]
        allowed = ", ".join(
            f"{c} ({v} {LOINC_ANSWER_TEXT.get(c, '')})" for v, c in sorted(answers.items())
        )
        problems.append(
            f"{name}: answer code {code!r} is not in its LOINC answer list; allowed: {allowed}"
        )
        return None
    number = answer.get("valueInteger")
    low, high = min(answers), max(answers)
    if isinstance(number, int) and not isinstance(number, bool) and low <= number <= high:
        return number
    shown = number if "valueInteger" in answer else answer
    problems.append(
        f"{name}: answer {shown!r} is out of range; allowed: valueInteger {low}-{high} "
        "or a valueCoding from the item's LOINC answer list"
    )
    return None
