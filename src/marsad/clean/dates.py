"""Publication dates: ISO 8601 from the many shapes dates come in (metadata, URLs, text)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from marsad.normalize import normalize

MIN_YEAR = 1990
MAX_YEAR = 2100
TEXT_WINDOW = 400  # characters at the start of an article searched for a written date
_MONTHS = {
    # Gregorian month names in Egyptian/Gulf, Levantine and Maghrebi usage (normalised spelling)
    "يناير": 1,
    "كانون الثاني": 1,
    "جانفي": 1,
    "january": 1,
    "jan": 1,
    "فبراير": 2,
    "شباط": 2,
    "فيفري": 2,
    "february": 2,
    "feb": 2,
    "مارس": 3,
    "اذار": 3,
    "march": 3,
    "mar": 3,
    "ابريل": 4,
    "نيسان": 4,
    "افريل": 4,
    "april": 4,
    "apr": 4,
    "مايو": 5,
    "ايار": 5,
    "ماي": 5,
    "may": 5,
    "يونيو": 6,
    "يونيه": 6,
    "حزيران": 6,
    "جوان": 6,
    "june": 6,
    "jun": 6,
    "يوليو": 7,
    "يوليه": 7,
    "تموز": 7,
    "جويليه": 7,
    "july": 7,
    "jul": 7,
    "اغسطس": 8,
    "اب": 8,
    "اوت": 8,
    "august": 8,
    "aug": 8,
    "سبتمبر": 9,
    "ايلول": 9,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "اكتوبر": 10,
    "تشرين الاول": 10,
    "october": 10,
    "oct": 10,
    "نوفمبر": 11,
    "تشرين الثاني": 11,
    "november": 11,
    "nov": 11,
    "ديسمبر": 12,
    "كانون الاول": 12,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR_RE = re.compile(
    rf"(?<!\d)(\d{{1,2}})\s+({_MONTH_ALT})(?:\s*[/\-]\s*({_MONTH_ALT}))?\s*,?\s+(\d{{4}})(?!\d)"
)
_MONTH_DAY_YEAR_RE = re.compile(rf"\b({_MONTH_ALT})\s+(\d{{1,2}}),?\s+(\d{{4}})(?!\d)")
_NUMERIC_RE = re.compile(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)")
_NUMERIC_DMY_RE = re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)")
_URL_DATE_RE = re.compile(r"/((?:19|20)\d{2})[/\-](\d{1,2})[/\-](\d{1,2})(?:/|[^\d]|$)")
_TIME_RE = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?", re.IGNORECASE)


def _valid(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso_datetime(value: datetime) -> str:
    if value.tzinfo is not None:
        return value.isoformat(timespec="seconds")
    if (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date().isoformat()
    return value.isoformat(timespec="seconds")


def parse_date(value: str | int | float | None) -> str | None:
    """ISO 8601 (date, or date-time when a time is given) from a metadata value, else None."""
    if value is None:
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.strip().isdigit()):
        return _from_timestamp(float(value))
    text = normalize(str(value)).strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(
            text.upper().replace(" ", "T", 1) if "T" not in text.upper() else text.upper()
        )
        return _iso_datetime(parsed) if _valid(parsed.year, parsed.month, parsed.day) else None
    except ValueError:
        pass
    try:
        parsed = parsedate_to_datetime(str(value))
        if parsed and _valid(parsed.year, parsed.month, parsed.day):
            return _iso_datetime(parsed)
    except (TypeError, ValueError, IndexError):
        pass
    found = find_date(text)
    if not found:
        return None
    time_match = _TIME_RE.search(text)
    if time_match:
        hour, minute = int(time_match.group(1)), int(time_match.group(2))
        if (time_match.group(4) or "").lower() == "pm" and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            return f"{found}T{hour:02d}:{minute:02d}:00"
    return found


def _from_timestamp(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        parsed = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _iso_datetime(parsed) if _valid(parsed.year, parsed.month, parsed.day) else None


def find_date(text: str) -> str | None:
    """The first written Gregorian date in (normalised) ``text`` as ``YYYY-MM-DD``."""
    folded = normalize(text)
    candidates: list[tuple[int, date]] = []
    for match in _DAY_MONTH_YEAR_RE.finditer(folded):
        month = _MONTHS[match.group(3) or match.group(2)]
        found = _valid(int(match.group(4)), month, int(match.group(1)))
        if found:
            candidates.append((match.start(), found))
    for match in _MONTH_DAY_YEAR_RE.finditer(folded):
        found = _valid(int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2)))
        if found:
            candidates.append((match.start(), found))
    for match in _NUMERIC_RE.finditer(folded):
        found = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if found:
            candidates.append((match.start(), found))
    for match in _NUMERIC_DMY_RE.finditer(folded):
        found = _valid(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if found:
            candidates.append((match.start(), found))
    return min(candidates)[1].isoformat() if candidates else None


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    match = _URL_DATE_RE.search(url)
    if not match:
        return None
    found = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return found.isoformat() if found else None


def date_from_text(text: str) -> str | None:
    """A date written near the start of an article (``الخميس 4 أيلول/سبتمبر 2025``)."""
    return find_date(text[:TEXT_WINDOW])
