"""The reuse repository (``store.reuse``): fingerprints, passages, families, edges (the isnad)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from marsad.records import (
    ArticleMeta,
    ArticleText,
    Fingerprint,
    PassageTexts,
    ReuseFamily,
    ReusePassage,
)
from marsad.store.base import Repository

READ_BATCH = 500


class Reuse(Repository):
    """Fingerprints, aligned passages, reuse families and transmission edges (the isnad)."""

    def drop_stale_reuse(self, component: str) -> int:
        """Forget fingerprints and passages made by another reuse component version."""
        with self.transaction():
            gone = self.conn.execute(
                "DELETE FROM reuse_fingerprints WHERE component != ?", (component,)
            ).rowcount
            self.conn.execute("DELETE FROM reuse_passages WHERE component != ?", (component,))
            self.conn.execute("DELETE FROM reuse_compared WHERE component != ?", (component,))
        return int(gone)

    def forget_reuse(self) -> None:
        """Every article is fingerprinted and compared again by the next run."""
        self.empty("reuse_compared", "reuse_passages", "reuse_fingerprints")

    def unfingerprinted(self, batch_size: int) -> Iterator[list[ArticleText]]:
        """Articles with no fingerprint yet, in batches."""
        for rows in self.pages(
            "SELECT a.id, a.text, d.source FROM articles a JOIN documents d ON d.id = a.id "
            "LEFT JOIN reuse_fingerprints f "
            "ON f.article_id = a.id WHERE f.article_id IS NULL AND a.id > ? "
            "ORDER BY a.id LIMIT ?",
            batch_size,
        ):
            yield [ArticleText(row[0], None, row[1], [], source=row[2]) for row in rows]

    def save_fingerprints(self, component: str, rows: Iterable[Fingerprint]) -> None:
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO reuse_fingerprints "
                "(article_id, component, hashes, tokens, credits) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        f.article_id,
                        component,
                        f.hashes,
                        f.tokens,
                        json.dumps(f.credits, ensure_ascii=False),
                    )
                    for f in rows
                ],
            )

    def _by_ids(self, sql: str, ids: Iterable[str]) -> dict[str, Any]:
        """``{id: value}`` from ``sql`` (selecting id, value; ``{marks}`` for the id list)."""
        out: dict[str, Any] = {}
        ids = list(ids)
        for k in range(0, len(ids), READ_BATCH):
            chunk = ids[k : k + READ_BATCH]
            for row in self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), chunk):
                out[row[0]] = row[1]
        return out

    def token_blobs(self, ids: Iterable[str]) -> dict[str, bytes]:
        """Packed tokens of the given articles."""
        return self._by_ids(
            "SELECT article_id, tokens FROM reuse_fingerprints WHERE article_id IN ({marks})", ids
        )

    def fingerprints(self) -> tuple[list[str], list[bytes]]:
        """Every article's fingerprint blob, ordered by article id."""
        rows = self.conn.execute(
            "SELECT article_id, hashes FROM reuse_fingerprints ORDER BY article_id"
        ).fetchall()
        return [row[0] for row in rows], [row[1] for row in rows]

    def new_since_passages(self) -> set[str]:
        """Articles fingerprinted but never compared (no row in reuse_compared)."""
        rows = self.conn.execute(
            "SELECT f.article_id FROM reuse_fingerprints f LEFT JOIN reuse_compared c "
            "ON c.article_id = f.article_id WHERE c.article_id IS NULL"
        )
        return {row[0] for row in rows}

    def article_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Cleaned texts of the given articles."""
        return self._by_ids("SELECT id, text FROM articles WHERE id IN ({marks})", ids)

    def save_passages(
        self,
        component: str,
        pairs: Iterable[tuple[str, str]],
        passages: Iterable[ReusePassage],
        compared: Iterable[str],
    ) -> None:
        """Replace the passages of the aligned ``pairs`` and mark ``compared`` articles done."""
        with self.transaction():
            self.conn.executemany(
                "DELETE FROM reuse_passages WHERE article_a = ? AND article_b = ?", list(pairs)
            )
            self.conn.executemany(
                "INSERT INTO reuse_passages (article_a, article_b, a_start, a_end, b_start, b_end, "
                "matched, score, same_outlet, component) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        p.article_a,
                        p.article_b,
                        *p.span_a,
                        *p.span_b,
                        p.matched,
                        p.score,
                        int(p.same_outlet),
                        component,
                    )
                    for p in passages
                ],
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO reuse_compared (article_id, component) VALUES (?, ?)",
                [(i, component) for i in compared],
            )

    def article_metas(self) -> list[ArticleMeta]:
        """What origin inference needs of every fingerprinted article."""
        rows = self.conn.execute(
            "SELECT a.id, d.outlet, a.published, a.dateline_agency, f.credits, "
            "length(a.text) AS text_len, a.title FROM reuse_fingerprints f "
            "JOIN articles a ON a.id = f.article_id JOIN documents d ON d.id = a.id"
        )
        return [
            ArticleMeta(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])), r[5], r[6]) for r in rows
        ]

    def passage_texts(self) -> dict[int, PassageTexts]:
        """The aligned text of both sides of every passage, by passage id."""
        rows = self.conn.execute(
            "SELECT p.id, substr(aa.text, p.a_start + 1, p.a_end - p.a_start), "
            "substr(ab.text, p.b_start + 1, p.b_end - p.b_start) FROM reuse_passages p "
            "JOIN articles aa ON aa.id = p.article_a JOIN articles ab ON ab.id = p.article_b"
        )
        return {r[0]: PassageTexts(r[1] or "", r[2] or "") for r in rows}

    def passages(self) -> list[ReusePassage]:
        rows = self.conn.execute(
            "SELECT article_a, article_b, a_start, a_end, b_start, b_end, matched, score, "
            "same_outlet, direction, reason, confidence, id, kind, kind_reason "
            "FROM reuse_passages ORDER BY id"
        )
        return [
            ReusePassage(
                r[0],
                r[1],
                (r[2], r[3]),
                (r[4], r[5]),
                r[6],
                r[7],
                bool(r[8]),
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                r[14],
            )
            for r in rows
        ]

    def replace_families(self, passages: list[ReusePassage], families: list[ReuseFamily]) -> None:
        """Store passage directions and the families built from all passages, atomically."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE reuse_passages SET direction = ?, reason = ?, confidence = ?, kind = ?, "
                "kind_reason = ? WHERE id = ?",
                [
                    (p.direction, p.reason, p.confidence, p.kind, p.kind_reason, p.id)
                    for p in passages
                ],
            )
            self.conn.execute("DELETE FROM reuse_families")
            for f in families:
                outlets = len({m.article_id for m in f.members})
                self.conn.execute(
                    "INSERT INTO reuse_families (id, origin, origin_reason, confidence, "
                    "origin_agency, size, outlets, first_published, last_published, kind) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        f.id,
                        f.origin,
                        f.origin_reason,
                        f.confidence,
                        f.origin_agency,
                        len(f.members),
                        outlets,
                        f.first_published,
                        f.last_published,
                        f.kind,
                    ),
                )
                self.conn.executemany(
                    "INSERT OR REPLACE INTO reuse_family_members VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (f.id, m.article_id, m.span[0], m.span[1], m.role, m.parent)
                        for m in f.members
                    ],
                )
                self.conn.executemany(
                    "INSERT INTO reuse_edges VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (f.id, e.source, e.target, e.reason, e.confidence, e.lag_hours, e.score)
                        for e in f.edges
                    ],
                )
            self.conn.execute(
                "UPDATE reuse_families SET outlets = (SELECT COUNT(DISTINCT d.outlet) FROM "
                "reuse_family_members m JOIN documents d ON d.id = m.article_id "
                "WHERE m.family_id = reuse_families.id)"
            )

    # -- reads ---------------------------------------------------------------------------

    def iter_reuse(self, cross_outlet_only: bool = False) -> Iterator[dict[str, Any]]:
        where = "WHERE p.same_outlet = 0" if cross_outlet_only else ""
        rows = self.conn.execute(
            "SELECT p.*, da.outlet AS outlet_a, db.outlet AS outlet_b, "
            "aa.published AS published_a, ab.published AS published_b, "
            "substr(aa.text, p.a_start + 1, p.a_end - p.a_start) AS text_a, "
            "substr(ab.text, p.b_start + 1, p.b_end - p.b_start) AS text_b "
            "FROM reuse_passages p JOIN articles aa ON aa.id = p.article_a "
            "JOIN articles ab ON ab.id = p.article_b JOIN documents da ON da.id = p.article_a "
            f"JOIN documents db ON db.id = p.article_b {where} ORDER BY p.id"
        )
        for row in rows:
            yield dict(row)

    def iter_families(self) -> Iterator[dict[str, Any]]:
        families = self.conn.execute(
            "SELECT f.*, d.outlet AS origin_outlet FROM reuse_families f "
            "JOIN documents d ON d.id = f.origin ORDER BY f.size DESC, f.id"
        ).fetchall()
        for k in range(0, len(families), READ_BATCH):
            chunk = families[k : k + READ_BATCH]
            ids = [f["id"] for f in chunk]
            marks = ",".join("?" * len(ids))
            members: dict[str, list[dict[str, Any]]] = {}
            for row in self.conn.execute(
                'SELECT m.family_id, m.article_id, m.start, m."end", m.role, m.parent, d.outlet, '
                "a.published, a.title FROM reuse_family_members m "
                "JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = m.article_id "
                f"WHERE m.family_id IN ({marks}) ORDER BY a.published, m.article_id",
                ids,
            ):
                members.setdefault(row[0], []).append(dict(row))
            edges: dict[str, list[dict[str, Any]]] = {}
            for row in self.conn.execute(
                f"SELECT * FROM reuse_edges WHERE family_id IN ({marks})", ids
            ):
                edges.setdefault(row["family_id"], []).append(dict(row))
            for family in chunk:
                record = dict(family)
                record["members"] = members.get(family["id"], [])
                record["edges"] = edges.get(family["id"], [])
                yield record

    def outlet_reuse(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Outlet nodes and who-copies-whom edges (from the families' transmission edges), each
        edge with its family's kind (copy or template)."""
        nodes = [
            dict(row)
            for row in self.conn.execute(
                "SELECT d.outlet AS outlet, COUNT(*) AS articles, "
                "SUM(CASE WHEN f.id IS NOT NULL AND f.kind = 'copy' THEN 1 ELSE 0 END) "
                "AS families_originated "
                "FROM articles a JOIN documents d ON d.id = a.id "
                "LEFT JOIN reuse_families f ON f.origin = a.id "
                "WHERE d.outlet IS NOT NULL GROUP BY d.outlet ORDER BY d.outlet"
            )
        ]
        edges = [
            dict(row)
            for row in self.conn.execute(
                "SELECT ds.outlet AS source, dt.outlet AS target, e.lag_hours, e.confidence, "
                "e.reason, f.kind "
                "FROM reuse_edges e JOIN reuse_families f ON f.id = e.family_id "
                "JOIN documents ds ON ds.id = e.source "
                "JOIN documents dt ON dt.id = e.target "
                "WHERE ds.outlet IS NOT NULL AND dt.outlet IS NOT NULL"
            )
        ]
        return nodes, edges
