"""Language of an article: Arabic by script, other languages through lingua (restricted set)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from marsad.normalize import arabic_letter_share

ARABIC_SHARE = 0.6  # Arabic-script share of letters above which a text is Arabic
MIN_LETTERS = 12
SAMPLE_CHARS = 400
_PERSIAN_RE = re.compile("[پچژگکی]")
_LETTER_RE = re.compile(r"[^\W\d_]")
PERSIAN_SHARE = 0.02
OTHER_LANGUAGES = (
    "ENGLISH",
    "FRENCH",
    "GERMAN",
    "SPANISH",
    "ITALIAN",
    "RUSSIAN",
    "TURKISH",
    "HEBREW",
)
UNDETERMINED = "und"


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in OTHER_LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` (``ar``, ``fa``, ``en``, ...) or ``und`` when unsure."""
    sample = text[:SAMPLE_CHARS]
    letters = len(_LETTER_RE.findall(sample))
    if letters < MIN_LETTERS:
        return UNDETERMINED
    if arabic_letter_share(sample) >= ARABIC_SHARE:
        persian = len(_PERSIAN_RE.findall(sample))
        return "fa" if persian / letters > PERSIAN_SHARE else "ar"
    found = _detector().detect_language_of(sample)
    if found is None:
        return UNDETERMINED
    return str(found.iso_code_639_1.name).lower()
