"""The search repository (``store.search``): the full-text index over articles and claims.

Two FTS5 tables hold folded text (``search_articles``, ``search_claims``); ``search_done`` says
which articles are indexed by which component and ``search_rows`` which index rows belong to
an article, so a changed article is replaced without scanning the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from marsad.records import ClaimSpan, IndexedArticle, SearchEntry, SearchRequest
from marsad.store.base import Repository

READ_BATCH = 500
SORTS = {
    "relevance": "rank",
    "newest": "day DESC, rowid DESC",
    "oldest": "day ASC, rowid ASC",
}
COUNT_CAP = 10_000  # counting stops here: "10,000+" is enough to read and keeps counts fast


class Search(Repository):
    """The full-text search index over folded articles and claims."""

    def has_search_index(self) -> bool:
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_done'").fetchone()
        return row is not None

    def drop_stale_search(self, component: str) -> None:
        with self.transaction():
            self.conn.execute("DELETE FROM search_done WHERE component != ?", (component,))

    def count_unindexed(self) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN search_done s ON s.article_id = a.id "
            "WHERE s.article_id IS NULL"
        ).fetchone()
        return int(row[0])

    def unindexed(self, batch_size: int) -> Iterator[list[IndexedArticle]]:
        """Articles not indexed by the current component, with their claims, in batches."""
        for rows in self.pages(
            "SELECT a.id, a.title, a.text, a.published, a.language, d.outlet, d.source "
            "FROM articles a "
            "JOIN documents d ON d.id = a.id LEFT JOIN search_done s ON s.article_id = a.id "
            "WHERE s.article_id IS NULL AND a.id > ? ORDER BY a.id LIMIT ?",
            batch_size,
        ):
            ids = [row["id"] for row in rows]
            marks = ",".join("?" * len(ids))
            claims: dict[str, list[ClaimSpan]] = {}
            for claim in self.conn.execute(
                f'SELECT id, article_id, part, start, "end", source_type FROM claims '
                f"WHERE article_id IN ({marks}) ORDER BY article_id, part DESC, idx",
                ids,
            ):
                claims.setdefault(claim["article_id"], []).append(
                    ClaimSpan(claim["id"], claim["part"], (claim[3], claim[4]), claim[5])
                )
            yield [
                IndexedArticle(
                    row["id"],
                    row["title"],
                    row["text"],
                    row["published"],
                    row["language"],
                    row["outlet"],
                    claims.get(row["id"], []),
                    row["source"],
                )
                for row in rows
            ]

    def save_search(self, component: str, batch: Iterable[tuple[str, list[SearchEntry]]]) -> None:
        """Replace the index rows of each article of ``batch`` (one transaction)."""
        with self.transaction():
            for article_id, entries in batch:
                self._drop_rows([article_id])
                for entry in entries:
                    if entry.claim_id:
                        cur = self.conn.execute(
                            "INSERT INTO search_claims (claim_id, article_id, outlet, day, "
                            "language, source_type, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (
                                entry.claim_id,
                                entry.article_id,
                                entry.outlet,
                                entry.day,
                                entry.language,
                                entry.source_type,
                                entry.text,
                            ),
                        )
                        kind = "claim"
                    else:
                        cur = self.conn.execute(
                            "INSERT INTO search_articles (article_id, outlet, day, language, "
                            "title, body) VALUES (?, ?, ?, ?, ?, ?)",
                            (
                                entry.article_id,
                                entry.outlet,
                                entry.day,
                                entry.language,
                                entry.title,
                                entry.text,
                            ),
                        )
                        kind = "article"
                    self.conn.execute(
                        "INSERT INTO search_rows (article_id, kind, fts_rowid) VALUES (?, ?, ?)",
                        (article_id, kind, cur.lastrowid),
                    )
                self.conn.execute(
                    "INSERT OR REPLACE INTO search_done (article_id, component) VALUES (?, ?)",
                    (article_id, component),
                )

    def drop_orphan_search(self) -> int:
        """Remove the index rows of articles no longer in the store; returns how many."""
        gone = [
            row[0]
            for row in self.conn.execute(
                "SELECT DISTINCT r.article_id FROM search_rows r "
                "LEFT JOIN articles a ON a.id = r.article_id WHERE a.id IS NULL"
            )
        ]
        with self.transaction():
            self._drop_rows(gone)
            self.conn.executemany(
                "DELETE FROM search_done WHERE article_id = ?", [(i,) for i in gone]
            )
        return len(gone)

    def _drop_rows(self, article_ids: list[str]) -> None:
        for article_id in article_ids:
            rows = self.conn.execute(
                "SELECT kind, fts_rowid FROM search_rows WHERE article_id = ?", (article_id,)
            ).fetchall()
            for kind, rowid in rows:
                table = "search_claims" if kind == "claim" else "search_articles"
                self.conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
            self.conn.execute("DELETE FROM search_rows WHERE article_id = ?", (article_id,))

    def mark_search_stale(self, article_ids: Iterable[str]) -> None:
        """Called inside the write path's transactions when an article or its claims change."""
        self.conn.executemany(
            "DELETE FROM search_done WHERE article_id = ?", [(i,) for i in article_ids]
        )

    # -- reads ---------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> tuple[list[dict[str, Any]], int]:
        """One page of matching articles or claims (newest first without a query) and the
        number of matches (at most ``COUNT_CAP``)."""
        if request.match is None:
            return self._browse(request)
        table = "search_claims" if request.kind == "claims" else "search_articles"
        where, params = _filters(request, table)
        where = [f"{table} MATCH ?", *where]
        params = [request.match, *params]
        clause = " AND ".join(where)
        id_column = "claim_id" if request.kind == "claims" else "article_id"
        rows = self.conn.execute(
            f"SELECT {id_column} FROM {table} WHERE {clause} "
            f"ORDER BY {SORTS.get(request.sort, 'rank')} LIMIT ? OFFSET ?",
            [*params, request.limit, request.offset],
        ).fetchall()
        total = self.conn.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {clause} LIMIT ?)",
            [*params, COUNT_CAP],
        ).fetchone()[0]
        ids = [row[0] for row in rows]
        found = self.claim_rows(ids) if request.kind == "claims" else self.article_rows(ids)
        return found, int(total)

    def _browse(self, request: SearchRequest) -> tuple[list[dict[str, Any]], int]:
        """Articles or claims with no query: the filters on the base tables, by date."""
        where, params = _filters(request, None)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        order = "a.published ASC" if request.sort == "oldest" else "a.published DESC"
        if request.kind == "claims":
            # articles drive (in date order, through their index), then each one's claims
            base = (
                "FROM articles a CROSS JOIN claims c ON c.article_id = a.id "
                f"JOIN documents d ON d.id = a.id {clause}"
            )
            select, order = "c.id", f"{order}, a.id, c.part DESC, c.idx"
        else:
            base = f"FROM articles a JOIN documents d ON d.id = a.id {clause}"
            select, order = "a.id", f"{order}, a.id"
        ids = [
            row[0]
            for row in self.conn.execute(
                f"SELECT {select} {base} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, request.limit, request.offset],
            )
        ]
        total = self.conn.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT ?)", [*params, COUNT_CAP]
        ).fetchone()[0]
        found = self.claim_rows(ids) if request.kind == "claims" else self.article_rows(ids)
        return found, int(total)

    def article_rows(self, ids: list[str]) -> list[dict[str, Any]]:
        """Article list rows (id, title, date, outlet, language, text), in the order of ids."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {
            row["id"]: dict(row)
            for row in self.conn.execute(
                "SELECT a.id, a.title, a.published, a.language, a.text, d.outlet, d.url "
                f"FROM articles a JOIN documents d ON d.id = a.id WHERE a.id IN ({marks})",
                ids,
            )
        }
        return [rows[i] for i in ids if i in rows]

    def claim_rows(self, ids: list[str]) -> list[dict[str, Any]]:
        """Claim list rows with their text, attribution, article title, outlet and date."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = {
            row["id"]: dict(row)
            for row in self.conn.execute(
                'SELECT c.id, c.article_id, c.part, c.start, c."end", c.source, c.verb, '
                "c.source_type, c.hedged, c.checkworthiness, a.title, a.published, a.language, "
                "d.outlet, CASE WHEN c.part = 'headline' "
                'THEN substr(a.title, c.start + 1, c."end" - c.start) '
                'ELSE substr(a.text, c.start + 1, c."end" - c.start) END AS text '
                "FROM claims c JOIN articles a ON a.id = c.article_id "
                f"JOIN documents d ON d.id = c.article_id WHERE c.id IN ({marks})",
                ids,
            )
        }
        return [rows[i] for i in ids if i in rows]


def _filters(request: SearchRequest, table: str | None) -> tuple[list[str], list[Any]]:
    """SQL conditions for the request's filters: on the index's own columns when ``table`` is
    given, else on the base tables (aliases ``a`` articles, ``d`` documents, ``c`` claims)."""
    fts = table is not None
    claims = request.kind == "claims"
    day = "day" if fts else "substr(a.published, 1, 10)"
    article = "article_id" if fts else "a.id"
    where: list[str] = []
    params: list[Any] = []
    if request.outlet:
        where.append("outlet = ?" if fts else "d.outlet = ?")
        params.append(request.outlet)
    if request.date_from:
        where.append(f"{day} >= ?")
        params.append(request.date_from)
    if request.date_to:
        where.append(f"{day} <= ?")
        params.append(request.date_to)
    if request.language:
        where.append("language = ?" if fts else "a.language = ?")
        params.append(request.language)
    if request.source_type:
        if claims:
            where.append("source_type = ?" if fts else "c.source_type = ?")
        else:
            where.append(f"{article} IN (SELECT article_id FROM claims WHERE source_type = ?)")
        params.append(request.source_type)
    if request.narrative:
        if claims:
            claim = "claim_id" if fts else "c.id"
            where.append(
                f"{claim} IN (SELECT m.claim_id FROM claim_family_members m "
                "JOIN claim_families f ON f.id = m.family_id WHERE f.narrative = ?)"
            )
        else:
            where.append(
                f"{article} IN (SELECT j.value FROM narratives n, json_each(n.articles) j "
                "WHERE n.id = ?)"
            )
        params.append(request.narrative)
    return where, params
