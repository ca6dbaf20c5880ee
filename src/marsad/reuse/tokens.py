"""Word tokens for reuse detection: original character spans, folded keys that survive edits.

A token's key is its word key (:func:`marsad.text.word_key`: the ``ar-norm-v1`` form with the
article and the clitics fused to it stripped, number words mapped to digits), so
``والمسلحين`` and ``مسلحين``, ``ثلاثة`` and ``٣`` meet. Keys are hashed to stable 32-bit
integers (CRC-32), the same in every process and every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from marsad.text import MIN_STEM, key_id, stopwords, word_key

COMPONENT = "reuse.tokens.v1"
_TOKEN_RE = re.compile(r"([\w\u064B-\u065F\u0670\u0640]+)")
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
        key = word_key(word)
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
