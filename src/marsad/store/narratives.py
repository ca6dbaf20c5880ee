"""The narratives repository (``store.narratives``): claim vectors and links, families,
narratives, catalogues and their matches."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from marsad.records import Catalog, CatalogEntry, CatalogMatch, ClaimInfo, Family, Narrative
from marsad.store.base import Repository

READ_BATCH = 500


class Narratives(Repository):
    """Claim vectors, same-claim links, claim families, narratives and catalogues."""

    def narrative_claims(self) -> Iterator[ClaimInfo]:
        """Every claim with its article's outlet and day and the actors it mentions; the key is
        filled in by the caller (empty here). Strings repeated from claim to claim (article id,
        outlet, day, actor ids) are shared, not copied per claim."""
        actors: dict[str, list[str]] = {}
        for claim_id, actor in self.conn.execute(
            "SELECT claim_id, actor FROM mentions WHERE claim_id IS NOT NULL ORDER BY claim_id"
        ):
            actors.setdefault(claim_id, []).append(sys.intern(actor))
        rows = self.conn.execute(
            'SELECT c.id, c.article_id, c.part, c.start, c."end", c.checkworthiness, '
            "d.outlet, a.published, a.title, a.text FROM claims c "
            "JOIN articles a ON a.id = c.article_id JOIN documents d ON d.id = c.article_id "
            "ORDER BY c.article_id, c.part DESC, c.idx"
        )
        for row in rows:
            content = row[8] if row[2] == "headline" else row[9]
            day = (row[7] or "")[:10] or None
            yield ClaimInfo(
                id=row[0],
                key="",
                article_id=sys.intern(row[1]),
                outlet=None if row[6] is None else sys.intern(row[6]),
                day=None if day is None else sys.intern(day),
                text=(content or "")[row[3] : row[4]],
                actors=tuple(dict.fromkeys(actors.pop(row[0], ()))),
                checkworthiness=row[5],
            )

    def claim_vector_keys(self, embedder: str) -> set[str]:
        """Wording keys that have a vector for ``embedder``."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT key FROM claim_vectors WHERE embedder = ?", (embedder,)
            )
        }

    def claim_matrix(
        self, embedder: str, keys: Sequence[str], dim: int
    ) -> tuple[list[str], npt.NDArray[np.float16]]:
        """The vectors of ``keys`` stored for ``embedder``, read row by row into one float16
        matrix (as stored; no array per vector): ``(the keys that have one, in order, their
        matrix)``."""
        rows = self.conn.execute(
            "SELECT key, vector FROM claim_vectors WHERE embedder = ?", (embedder,)
        )
        return _read_matrix(rows, keys, dim, np.float16)

    def unlinked_keys(self, vectors: str, component: str) -> set[str]:
        """Wording keys with a ``vectors`` vector not yet compared under link ``component``."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT v.key FROM claim_vectors v LEFT JOIN claim_linked l "
                "ON l.component = ? AND l.key = v.key WHERE v.embedder = ? AND l.key IS NULL",
                (component, vectors),
            )
        }

    def drop_stale_links(self, component: str) -> None:
        """Forget links and compared marks made under another link component (other settings,
        another same-claim model, other vectors)."""
        with self.transaction():
            self.conn.execute("DELETE FROM claim_links WHERE embedder != ?", (component,))
            self.conn.execute("DELETE FROM claim_linked WHERE component != ?", (component,))

    def forget_links(self) -> None:
        """Every wording is embedded and compared again by the next run (``--redo``)."""
        self.empty("claim_links", "claim_linked", "claim_vectors")

    def save_claim_vectors(
        self, embedder: str, rows: Iterable[tuple[str, npt.NDArray[np.float32]]]
    ) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO claim_vectors (key, embedder, vector, linked) "
                "VALUES (?, ?, ?, 0)",
                [(key, embedder, vec.astype(np.float16).tobytes()) for key, vec in rows],
            )

    def save_claim_links(
        self, component: str, links: Iterable[tuple[str, str, float]], linked: Iterable[str]
    ) -> None:
        """Store same-claim links and mark ``linked`` keys as compared under ``component``
        (the ``embedder`` column of ``claim_links`` holds the link component)."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO claim_links (a, b, embedder, score) VALUES (?, ?, ?, ?)",
                [(min(a, b), max(a, b), component, score) for a, b, score in links],
            )
            self.conn.executemany(
                "INSERT OR IGNORE INTO claim_linked (component, key) VALUES (?, ?)",
                [(component, key) for key in linked],
            )

    def claim_links(self, component: str) -> Iterator[tuple[str, str]]:
        """Every same-claim link made under link ``component``, streamed."""
        for row in self.conn.execute(
            "SELECT a, b FROM claim_links WHERE embedder = ?", (component,)
        ):
            yield row[0], row[1]

    def save_families(self, families: Sequence[Family], narratives: Sequence[Narrative]) -> None:
        """Replace every family and narrative (rebuilt from the links each run)."""
        with self.transaction():
            self.conn.execute("DELETE FROM claim_family_members")
            self.conn.execute("DELETE FROM claim_families")
            self.conn.execute("DELETE FROM narratives")
            self.conn.executemany(
                "INSERT INTO claim_families (id, representative, label, narrative, size, "
                "articles, outlets, first_seen, last_seen, daily, actors) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        f.id,
                        f.representative,
                        f.label,
                        f.narrative,
                        len(f.claims),
                        len(f.articles),
                        len(f.outlets),
                        f.first_seen,
                        f.last_seen,
                        json.dumps(f.daily),
                        json.dumps(f.actors, ensure_ascii=False),
                    )
                    for f in families
                ],
            )
            self.conn.executemany(
                "INSERT INTO claim_family_members (family_id, claim_id) VALUES (?, ?)",
                [(f.id, c) for f in families for c in f.claims],
            )
            self.conn.executemany(
                "INSERT INTO narratives (id, label, representative, terms, actors, families, "
                "articles, outlets, first_seen, last_seen, daily) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        n.id,
                        n.label,
                        n.representative,
                        json.dumps(n.terms, ensure_ascii=False),
                        json.dumps(n.actors, ensure_ascii=False),
                        json.dumps(n.families),
                        json.dumps(n.articles),
                        json.dumps(n.outlets, ensure_ascii=False),
                        n.first_seen,
                        n.last_seen,
                        json.dumps(n.daily),
                    )
                    for n in narratives
                ],
            )

    # -- catalogues ----------------------------------------------------------------------------
    def save_catalog(self, catalog: Catalog, actors: Sequence[Iterable[str]]) -> bool:
        """Store a catalogue (replacing one of the same name); False when it is unchanged."""
        row = self.conn.execute(
            "SELECT digest FROM catalogs WHERE name = ?", (catalog.name,)
        ).fetchone()
        if row is not None and row[0] == catalog.digest:
            return False
        with self.transaction():
            self.conn.execute("DELETE FROM catalogs WHERE name = ?", (catalog.name,))
            self.conn.execute("DELETE FROM catalog_vectors WHERE catalog = ?", (catalog.name,))
            self.conn.execute("DELETE FROM catalog_matches WHERE catalog = ?", (catalog.name,))
            self.conn.execute(
                "INSERT INTO catalogs (name, path, digest, entries, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    catalog.name,
                    catalog.path,
                    catalog.digest,
                    len(catalog.entries),
                    datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )
            self.conn.executemany(
                "INSERT INTO catalog_entries (catalog, id, title, description, language, url, "
                "keywords, date, actors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        catalog.name,
                        e.id,
                        e.title,
                        e.description,
                        e.language,
                        e.url,
                        json.dumps(list(e.keywords), ensure_ascii=False),
                        e.date,
                        json.dumps(sorted(a), ensure_ascii=False),
                    )
                    for e, a in zip(catalog.entries, actors, strict=True)
                ],
            )
        return True

    def catalog_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM catalogs ORDER BY name")]

    def catalog_entries(self, name: str) -> list[tuple[CatalogEntry, frozenset[str]]]:
        out = []
        for row in self.conn.execute(
            "SELECT id, title, description, language, url, keywords, date, actors "
            "FROM catalog_entries WHERE catalog = ? ORDER BY id",
            (name,),
        ):
            entry = CatalogEntry(
                row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])), row[6]
            )
            out.append((entry, frozenset(json.loads(row[7]))))
        return out

    def catalog_vector_ids(self, name: str, embedder: str) -> set[str]:
        """Ids of the entries of catalogue ``name`` that have a vector for ``embedder``."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM catalog_vectors WHERE catalog = ? AND embedder = ?",
                (name, embedder),
            )
        }

    def catalog_matrix(
        self, name: str, embedder: str, ids: Sequence[str], dim: int
    ) -> tuple[list[str], npt.NDArray[np.float32]]:
        """The vectors of entries ``ids`` as :meth:`claim_matrix` reads claim vectors (made
        float32: a catalogue is small)."""
        rows = self.conn.execute(
            "SELECT id, vector FROM catalog_vectors WHERE catalog = ? AND embedder = ?",
            (name, embedder),
        )
        return _read_matrix(rows, ids, dim, np.float32)

    def save_catalog_vectors(
        self, name: str, embedder: str, rows: Iterable[tuple[str, npt.NDArray[np.float32]]]
    ) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO catalog_vectors (catalog, id, embedder, vector) "
                "VALUES (?, ?, ?, ?)",
                [(name, i, embedder, v.astype(np.float16).tobytes()) for i, v in rows],
            )

    def save_catalog_matches(self, name: str, matches: Iterable[CatalogMatch]) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM catalog_matches WHERE catalog = ?", (name,))
            self.conn.executemany(
                "INSERT INTO catalog_matches (catalog, entry_id, article_id, claim_id, score, "
                "cosine, actors, stance, stance_p) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        name,
                        m.entry_id,
                        m.article_id,
                        m.claim_id,
                        m.score,
                        m.cosine,
                        json.dumps(list(m.shared_actors), ensure_ascii=False),
                        m.stance,
                        m.stance_p,
                    )
                    for m in matches
                ],
            )

    # -- reads ---------------------------------------------------------------------------
    def match_contexts(self, claim_ids: Iterable[str]) -> dict[str, tuple[str, str, str, int, int]]:
        """For each claim id: its article's title and text, the claim's part (``body`` or
        ``headline``) and offsets (into the text, or the title for a headline claim)."""
        ids = list(dict.fromkeys(claim_ids))
        found: dict[str, tuple[str, str, str, int, int]] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                f'SELECT c.id, c.part, c.start, c."end", a.title, a.text FROM claims c '
                f"JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})",
                chunk,
            ):
                found[row[0]] = (row[4] or "", row[5] or "", row[1], row[2], row[3])
        return found

    def catalog_list(self) -> list[dict[str, Any]]:
        """Every stored catalogue with its entry and match counts."""
        rows = self.conn.execute(
            "SELECT c.name, c.entries, c.path, (SELECT COUNT(*) FROM catalog_matches m "
            "WHERE m.catalog = c.name) AS matches FROM catalogs c ORDER BY c.name"
        )
        return [dict(row) for row in rows]

    def iter_claim_families(self) -> Iterator[dict[str, Any]]:
        members: dict[str, list[str]] = {}
        for family_id, claim_id in self.conn.execute(
            "SELECT family_id, claim_id FROM claim_family_members ORDER BY family_id, claim_id"
        ):
            members.setdefault(family_id, []).append(claim_id)
        for row in self.conn.execute("SELECT * FROM claim_families ORDER BY articles DESC, id"):
            record = dict(row)
            record["claims"] = members.get(row["id"], [])
            yield record

    def family_articles(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for family_id, article_id in self.conn.execute(
            "SELECT DISTINCT m.family_id, c.article_id FROM claim_family_members m "
            "JOIN claims c ON c.id = m.claim_id ORDER BY m.family_id, c.article_id"
        ):
            out.setdefault(family_id, []).append(article_id)
        return out

    def claim_texts(self) -> dict[str, str]:
        """Text of every claim that is the evidence of a catalogue match."""
        out: dict[str, str] = {}
        for claim_id, part, start, end, title, text in self.conn.execute(
            'SELECT c.id, c.part, c.start, c."end", a.title, a.text FROM claims c '
            "JOIN articles a ON a.id = c.article_id "
            "WHERE c.id IN (SELECT claim_id FROM catalog_matches)"
        ):
            out[claim_id] = ((title if part == "headline" else text) or "")[start:end]
        return out

    def iter_narratives(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute("SELECT * FROM narratives ORDER BY id"):
            yield dict(row)

    def iter_catalog_matches(self) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute(
            "SELECT m.*, e.title AS entry_title, e.url AS entry_url, d.outlet, a.published "
            "FROM catalog_matches m JOIN catalog_entries e "
            "ON e.catalog = m.catalog AND e.id = m.entry_id "
            "JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = m.article_id "
            "ORDER BY m.catalog, m.entry_id, m.score DESC, m.article_id"
        ):
            yield dict(row)


Float = TypeVar("Float", np.float16, np.float32)


def _read_matrix(
    rows: Iterable[tuple[str, bytes]], keys: Sequence[str], dim: int, dtype: type[Float]
) -> tuple[list[str], npt.NDArray[Float]]:
    """Rows ``(key, float16 bytes)`` of the wanted ``keys`` copied into one preallocated
    matrix in ``keys``' order; keys without a row are left out."""
    position = {key: i for i, key in enumerate(keys)}
    matrix = np.empty((len(position), dim), dtype)
    found = np.zeros(len(position), bool)
    for key, blob in rows:
        i = position.get(key)
        if i is not None:
            matrix[i] = np.frombuffer(blob, dtype=np.float16)
            found[i] = True
    if found.all():
        return list(position), matrix
    return [key for key, ok in zip(position, found.tolist(), strict=True) if ok], matrix[found]
