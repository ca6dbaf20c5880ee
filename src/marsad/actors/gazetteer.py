"""The actor gazetteer: canonical actors with their aliases, and alias matching in text.

The packaged starter set (``data/actors.yaml``) covers the region's politics and conflicts;
users add or override entries with YAML or CSV files (setting ``actors.gazetteer``; format in
``docs/actors.md``). Matching is on words folded with ``ar-norm-v1`` (hamza/alef forms, ta
marbuta, alef maqsura, diacritics, tatweel, case), and the first word of a name may carry the
proclitics ``و ف`` then ``ب ك ل`` (``وللأمم المتحدة`` -> ``الأمم المتحدة``). Latin aliases
written in capitals (``UN``, ``ISIS``) match only in capitals. Aliases listed as ``ambiguous``
are also common words (``حماس``, ``القاعدة``) and link only a span the NER model marks.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from marsad.records import Actor
from marsad.text import NAME_KEYS, name_key

ACTOR_TYPES = {
    "person": "A named person.",
    "organisation": "A government body, company, party, agency, NGO or international organisation.",
    "outlet": "A news outlet, news agency, channel or newspaper (a media source).",
    "armed_group": "A non-state armed group, militia or designated terrorist organisation; also "
    "state forces named as a unit (Revolutionary Guard).",
    "state": "A country as a political actor.",
    "place": "A city, region, province, sea or other geographic place.",
    "other": "Any other named entity (events, products, laws) found by the NER model.",
}
# NER labels (ANERcorp) -> actor types for mentions the gazetteer does not know.
NER_TYPES = {"PERS": "person", "ORG": "organisation", "LOC": "place", "MISC": "other"}
MAX_ALIAS_WORDS = 8
WORD_RE = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+")
_LATIN_RE = re.compile(r"^[A-Za-z][A-Za-z.\-']*$")
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ك", "ل")
_FIELDS = ("id", "type", "name", "en", "aliases", "ambiguous")


class GazetteerError(ValueError):
    """A gazetteer file that cannot be used (the message names the file and the entry)."""


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    actor: str
    ambiguous: bool


@dataclass
class Gazetteer:
    actors: dict[str, Actor]
    warnings: list[str] = field(default_factory=list)
    _index: dict[tuple[str, ...], tuple[str, bool]] = field(default_factory=dict, repr=False)
    _longest: dict[str, int] = field(default_factory=dict, repr=False)
    _hits: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        owners: dict[tuple[str, ...], str] = {}
        for actor in self.actors.values():
            names = [(a, False) for a in (actor.name, actor.en, *actor.aliases) if a]
            names += [(a, True) for a in actor.ambiguous]
            for alias, ambiguous in names:
                key = alias_key(alias)
                if not key:
                    continue
                other = owners.get(key)
                if other is not None and other != actor.id:
                    self.warnings.append(
                        f"alias {alias!r} of {actor.id!r} is also an alias of {other!r}; "
                        f"kept for {other!r}"
                    )
                    continue
                owners[key] = actor.id
                previous = self._index.get(key)
                # an alias listed both ways stays unambiguous
                self._index[key] = (actor.id, ambiguous and (previous is None or previous[1]))
                self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

    @property
    def digest(self) -> str:
        """Hash of the entries (part of the claims component: editing the gazetteer relinks)."""
        data = json.dumps(
            [
                [a.id, a.type, a.name, a.en, list(a.aliases), list(a.ambiguous)]
                for a in sorted(self.actors.values(), key=lambda a: a.id)
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(data.encode()).hexdigest()[:8]

    def lookup(self, text: str) -> tuple[str, bool] | None:
        """``(actor id, ambiguous)`` for a whole name (proclitics allowed), else ``None``."""
        words = [m.group() for m in WORD_RE.finditer(text)]
        if not words:
            return None
        rest = tuple(name_key(w) for w in words[1:])
        for first in first_word_variants(words[0]):
            found = self._index.get((first, *rest))
            if found is not None:
                return found
        return None

    def find(self, text: str) -> list[Match]:
        """Longest, leftmost alias matches in ``text`` (offsets into it)."""
        words = WORD_RE.findall(text)
        hits = self._hits  # raw word -> (first-word key, longest entry) pairs it may start
        out: list[Match] = []
        spans: list[tuple[int, int]] | None = None
        cache = NAME_KEYS
        i = 0
        while i < len(words):
            starts = hits.get(words[i])
            if starts is None:
                key = name_key(words[i])
                starts = tuple(
                    (v, self._longest[v])
                    for v in first_word_variants(words[i], key)
                    if v in self._longest
                )
                if len(hits) > _VARIANTS_MAX:
                    hits.clear()
                hits[words[i]] = starts
            if not starts:
                i += 1
                continue
            if spans is None:
                spans = [(m.start(), m.end()) for m in WORD_RE.finditer(text)]
            reach = max(longest for _, longest in starts)
            rest = [cache.get(w) or name_key(w) for w in words[i + 1 : i + reach]]
            size, best = 0, None
            for first, longest in starts:
                for n in range(min(longest, len(words) - i), size, -1):
                    found = self._index.get((first, *rest[: n - 1]))
                    if found is not None:
                        size, best = n, found
                        break
            if best is None:
                i += 1
                continue
            out.append(Match(spans[i][0], spans[i + size - 1][1], best[0], best[1]))
            i += size
        return out


_VARIANTS_MAX = 200_000


def alias_key(alias: str) -> tuple[str, ...]:
    """The word keys of an alias as written in a gazetteer."""
    return tuple(name_key(m.group()) for m in WORD_RE.finditer(alias))


_VARIANTS_CACHE: dict[str, tuple[str, ...]] = {}


def first_word_variants(word: str, key: str | None = None) -> tuple[str, ...]:
    """The key of a name's first word, then the same without proclitics (و ف, then ب ك ل)."""
    key = name_key(word) if key is None else key
    found = _VARIANTS_CACHE.get(key)
    if found is None:
        found = tuple(_variants(key))
        if len(_VARIANTS_CACHE) > _VARIANTS_MAX:
            _VARIANTS_CACHE.clear()
        _VARIANTS_CACHE[key] = found
    return found


def _variants(key: str) -> Iterator[str]:
    yield key
    if key.startswith("=") or len(key) < 4:
        return
    stems = [key]
    if key[0] in _CONJUNCTIONS:
        stems.append(key[1:])
        yield key[1:]
    for stem in stems:
        if stem.startswith("لل") and len(stem) > 4:
            yield "ال" + stem[2:]
        elif stem[0] in _PREPOSITIONS and len(stem) > 3:
            yield stem[1:]


# -- loading -------------------------------------------------------------------------------------
def starter_entries() -> list[Actor]:
    """The packaged starter set."""
    text = resources.files("marsad.data").joinpath("actors.yaml").read_text("utf-8")
    return list(_entries(yaml.safe_load(text), "starter"))


def read_entries(path: Path) -> list[Actor]:
    """Entries of a user gazetteer file (``.yaml``/``.yml`` or ``.csv``)."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: cannot read the gazetteer ({exc})") from exc
    if path.suffix.lower() == ".csv":
        rows: list[dict[str, Any]] = []
        for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            if None in row:
                raise GazetteerError(f"{path}: row {n} has more cells than the header")
            rows.append(
                {
                    **row,
                    "aliases": _split_list(row.get("aliases")),
                    "ambiguous": _split_list(row.get("ambiguous")),
                }
            )
        return list(_entries(rows, str(path)))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GazetteerError(f"{path}: not valid YAML ({exc})") from exc
    return list(_entries(data, str(path)))


def _split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _entries(data: Any, origin: str) -> Iterator[Actor]:
    if data is None:
        return
    if not isinstance(data, list):
        raise GazetteerError(f"{origin}: a gazetteer is a list of entries")
    for n, entry in enumerate(data, start=1):
        where = f"{origin}: entry {n}"
        if not isinstance(entry, dict):
            raise GazetteerError(f"{where} is not a mapping")
        unknown = set(entry) - set(_FIELDS)
        if unknown:
            raise GazetteerError(f"{where} has unknown fields {sorted(unknown)}")
        actor_id, kind, name = (str(entry.get(k) or "").strip() for k in ("id", "type", "name"))
        if not actor_id or not name:
            raise GazetteerError(f"{where} needs an id and a name")
        if kind not in ACTOR_TYPES:
            raise GazetteerError(
                f"{where} ({actor_id}): type {kind!r} is not one of {', '.join(ACTOR_TYPES)}"
            )
        lists = []
        for key in ("aliases", "ambiguous"):
            value = entry.get(key) or []
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                raise GazetteerError(f"{where} ({actor_id}): {key} must be a list")
            lists.append(tuple(str(v).strip() for v in value if str(v).strip()))
        en = str(entry.get("en") or "").strip() or None
        yield Actor(actor_id, kind, name, en, lists[0], lists[1], origin)


def load_gazetteer(paths: Iterable[str | Path] = (), starter: bool = True) -> Gazetteer:
    """The starter set (unless ``starter`` is false) extended by the files in ``paths``, in
    order; an entry whose id is already known replaces the earlier one."""
    actors: dict[str, Actor] = {}
    warnings: list[str] = []
    for actor in starter_entries() if starter else []:
        actors[actor.id] = actor
    for path in paths:
        for actor in read_entries(Path(path)):
            if actor.id in actors and actors[actor.id].origin == actor.origin:
                warnings.append(f"{actor.origin}: id {actor.id!r} appears twice; the last wins")
            actors[actor.id] = actor
    gazetteer = Gazetteer(actors)
    gazetteer.warnings[:0] = warnings
    return gazetteer
