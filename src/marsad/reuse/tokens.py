"""Word tokens for reuse detection: original character spans, folded keys that survive edits.

A token's key is its ``ar-norm-v1`` form with the article and the clitics fused to it stripped
(``ال وال بال لل ...``) and number words mapped to digits, so ``والمسلحين`` and ``مسلحين``,
``ثلاثة`` and ``٣`` meet. Keys are
hashed to stable 32-bit integers (CRC-32), the same in every process and every run.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from marsad.normalize import normalize

COMPONENT = "reuse.tokens.v1"
_TOKEN_RE = re.compile(r"[\w\u064B-\u065F\u0670\u0640]+")
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


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files("marsad.data").joinpath("stopwords_ar.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=500_000)
def token_key(word: str) -> str:
    """Folded form of one word with the article and its attached clitics stripped.

    Only the unambiguous clitic groups are stripped (``ال وال فال بال كال لل ...``): a bare
    leading ``و`` may be a root letter (``وزير``, ``وزارة``), so it stays, and alignment
    tolerates the odd mismatch instead.
    """
    key = normalize(word)
    if key in NUMBER_WORDS:
        return NUMBER_WORDS[key]
    for prefix in _ARTICLE_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= MIN_STEM:
            stem = key[len(prefix) :]
            return NUMBER_WORDS.get(stem, stem)
    return key


@lru_cache(maxsize=500_000)
def key_id(key: str) -> int:
    return zlib.crc32(key.encode("utf-8"))


@dataclass(frozen=True)
class Tokens:
    """The tokens of one text: ids (uint32), character spans, and which are content words."""

    ids: np.ndarray  # uint32, one per token
    starts: np.ndarray  # int32 character offsets into the text
    ends: np.ndarray
    content: np.ndarray  # bool: not a stop word

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def tokenize(text: str) -> Tokens:
    """Tokens of ``text`` with their spans (offsets into ``text``)."""
    words = _TOKEN_RE.finditer(text)
    ids: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    content: list[bool] = []
    stop = stopwords()
    for match in words:
        key = token_key(match.group())
        if not key:
            continue
        ids.append(key_id(key))
        starts.append(match.start())
        ends.append(match.end())
        content.append(key not in stop and (len(key) >= MIN_STEM or key.isdigit()))
    return Tokens(
        np.array(ids, dtype=np.uint32),
        np.array(starts, dtype=np.int32),
        np.array(ends, dtype=np.int32),
        np.array(content, dtype=bool),
    )
