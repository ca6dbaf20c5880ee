"""Words as Marsad matches them: one owner of word folding, word keys and stop words.

Every stage that compares words (reuse, actors, narratives, search) folds them here, with the
``ar-norm-v1`` profile of :mod:`marsad.normalize`, through one set of bounded caches:

* :func:`fold` - the folded form of one word (diacritics, hamza forms, ta marbuta ...);
* :func:`word_key` - the folded form with the article and fused clitics stripped and number
  words mapped to digits (``والمسلحين`` -> ``مسلحين``, ``ثلاثة`` -> ``3``): reuse tokens,
  lexical features of claims, static-table lookups;
* :func:`name_key` - the folded form of a word of a name, short Latin capitals kept as they
  are (``UN`` stays ``=UN``): gazetteer aliases and actor linking;
* :func:`stopwords` / :func:`folded_stopwords` - the Arabic function words (as word keys) and
  the folded set used when picking a narrative's terms.

What people see is never folded: these keys are for matching only.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from importlib import resources

from marsad.normalize import normalize

CACHED_WORDS = 500_000  # per cache; each is emptied rather than grown beyond this
NAME_KEYS_MAX = 200_000
_LATIN_RE = re.compile(r"^[A-Za-z][A-Za-z.\-']*$")
_ENGLISH_STOPWORDS = (
    "the",
    "and",
    "that",
    "with",
    "from",
    "this",
    "was",
    "were",
    "has",
    "have",
    "for",
)
_ARTICLE_PREFIXES = (
    "وبال",
    "فبال",
    "وكال",
    "وللل",
    "ولل",
    "فلل",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ال",
)
MIN_STEM = 2
NUMBER_WORDS = {
    "واحد": "1",
    "واحده": "1",
    "اثنان": "2",
    "اثنين": "2",
    "اثنتان": "2",
    "اثنتين": "2",
    "ثلاث": "3",
    "ثلاثه": "3",
    "اربع": "4",
    "اربعه": "4",
    "خمس": "5",
    "خمسه": "5",
    "ست": "6",
    "سته": "6",
    "سبع": "7",
    "سبعه": "7",
    "ثماني": "8",
    "ثمانيه": "8",
    "ثمان": "8",
    "تسع": "9",
    "تسعه": "9",
    "عشر": "10",
    "عشره": "10",
    "عشرين": "20",
    "عشرون": "20",
    "ثلاثين": "30",
    "ثلاثون": "30",
    "اربعين": "40",
    "اربعون": "40",
    "خمسين": "50",
    "خمسون": "50",
    "مئه": "100",
    "مائه": "100",
    "مئات": "100s",
    "الف": "1000",
    "الاف": "1000s",
    "مليون": "1000000",
    "ملايين": "1000000s",
}


@lru_cache(maxsize=CACHED_WORDS)
def fold(word: str) -> str:
    """The folded (``ar-norm-v1``) form of one word."""
    return normalize(word)


@lru_cache(maxsize=CACHED_WORDS)
def word_key(word: str) -> str:
    """Folded form of one word with the article and its attached clitics stripped.

    Only the unambiguous clitic groups are stripped (``ال وال فال بال كال لل ...``): a bare
    leading ``و`` may be a root letter (``وزير``, ``وزارة``), so it stays, and alignment
    tolerates the odd mismatch instead.
    """
    key = fold(word)
    if key in NUMBER_WORDS:
        return NUMBER_WORDS[key]
    for prefix in _ARTICLE_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= MIN_STEM:
            stem = key[len(prefix) :]
            return NUMBER_WORDS.get(stem, stem)
    return key


@lru_cache(maxsize=CACHED_WORDS)
def key_id(key: str) -> int:
    """A stable 32-bit id of a key (CRC-32): the same in every process and run."""
    return zlib.crc32(key.encode("utf-8"))


NAME_KEYS: dict[str, str] = {}  # word -> name_key(word); hot loops may read it directly


def name_key(word: str) -> str:
    """Folded form of one word of a name; Latin words in capitals keep their case (``=UN``)."""
    key = NAME_KEYS.get(word)
    if key is None:
        if len(word) <= 6 and word.isupper() and _LATIN_RE.match(word):
            key = "=" + word
        else:
            key = fold(word)
        if len(NAME_KEYS) > NAME_KEYS_MAX:
            NAME_KEYS.clear()
        NAME_KEYS[word] = key
    return key


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The Arabic function words, as word keys (``data/stopwords_ar.txt``)."""
    text = resources.files("marsad.data").joinpath("stopwords_ar.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def folded_stopwords() -> frozenset[str]:
    """Function words as folded whole words (Arabic, plus common English ones)."""
    return frozenset(fold(word) for word in stopwords()) | frozenset(_ENGLISH_STOPWORDS)


def clear_caches() -> None:
    """Empty the word caches (bounded, but ~0.2 GB when full on a large corpus)."""
    fold.cache_clear()
    word_key.cache_clear()
    key_id.cache_clear()
    NAME_KEYS.clear()
