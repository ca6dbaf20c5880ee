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
_TOKEN_RE = re.compile(r"([\w\u064B-\u065F\u0670\u0640]+)")
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


TOKEN_DTYPE = np.dtype([("id", "<u4"), ("start", "<u4"), ("length", "u1"), ("content", "u1")])
MAX_TOKEN_CHARS = 255


@dataclass(frozen=True)
class Tokens:
    """The tokens of one text: ids (uint32), character spans, and which are content words."""

    ids: np.ndarray  # uint32, one per token
    starts: np.ndarray  # int32 character offsets into the text
    ends: np.ndarray
    content: np.ndarray  # bool: not a stop word

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def to_bytes(self) -> bytes:
        """Compact form kept in the store (10 bytes a token), so texts are tokenized once."""
        packed = np.zeros(len(self), dtype=TOKEN_DTYPE)
        packed["id"] = self.ids
        packed["start"] = self.starts
        packed["length"] = np.minimum(self.ends - self.starts, MAX_TOKEN_CHARS)
        packed["content"] = self.content
        return packed.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Tokens:
        packed = np.frombuffer(blob, dtype=TOKEN_DTYPE)
        starts = packed["start"].astype(np.int32)
        return cls(
            packed["id"].copy(),
            starts,
            starts + packed["length"].astype(np.int32),
            packed["content"].astype(bool),
        )


_WORDS: dict[str, tuple[int, bool]] = {}
MAX_CACHED_WORDS = 2_000_000


def _word(word: str) -> tuple[int, bool]:
    """``(id, is_content)`` of a surface word, cached."""
    found = _WORDS.get(word)
    if found is None:
        if len(_WORDS) > MAX_CACHED_WORDS:
            _WORDS.clear()
        key = token_key(word)
        found = (key_id(key), key not in stopwords() and (len(key) >= MIN_STEM or key.isdigit()))
        _WORDS[word] = found
    return found


def tokenize(text: str) -> Tokens:
    """Tokens of ``text`` with their spans (offsets into ``text``)."""
    parts = _TOKEN_RE.split(text)  # gaps and words alternate: gap, word, gap, word, ..., gap
    ends = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
    word_list = parts[1::2]
    count = len(word_list)
    infos = [_word(w) for w in word_list]
    word_ends = ends[1::2].astype(np.int32)
    lengths = np.fromiter(map(len, word_list), dtype=np.int32, count=count)
    return Tokens(
        np.fromiter((i for i, _ in infos), dtype=np.uint32, count=count),
        word_ends - lengths,
        word_ends,
        np.fromiter((c for _, c in infos), dtype=bool, count=count),
    )
