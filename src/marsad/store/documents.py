"""Documents as read, their boilerplate statistics, and the cleaned, segmented articles."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from marsad.records import Article, IngestedDocument, RawDocument, StoredDocument
from marsad.store.base import Repository, now

READ_BATCH = 500


class Documents(Repository):
    # -- ingest ---------------------------------------------------------------------------
    def add_documents(self, run_id: int, batch: Iterable[IngestedDocument]) -> list[str]:
        """Insert new documents and count their short lines per outlet; returns the new ids."""
        stamp = now()
        new_ids: list[str] = []
        counts: dict[tuple[str, int], int] = {}
        with self.transaction():
            for item in batch:
                doc_id, doc, keys = item.id, item.doc, item.line_keys
                cur = self.conn.execute(
                    "INSERT OR IGNORE INTO documents (id, source, format, outlet, url, title, "
                    "published_raw, author, raw_text, links, meta, run_id, ingested_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc_id,
                        doc.source,
                        doc.format,
                        doc.outlet,
                        doc.url,
                        doc.title,
                        doc.published,
                        doc.author,
                        doc.text,
                        json.dumps(doc.links, ensure_ascii=False),
                        json.dumps(doc.meta, ensure_ascii=False, default=str),
                        run_id,
                        stamp,
                    ),
                )
                if cur.rowcount == 1:
                    new_ids.append(doc_id)
                    for key in keys:
                        counts[(doc.outlet or "", key)] = counts.get((doc.outlet or "", key), 0) + 1
            self.conn.executemany(
                "INSERT INTO line_counts (outlet, line_key, n) VALUES (?, ?, ?) "
                "ON CONFLICT (outlet, line_key) DO UPDATE SET n = n + excluded.n",
                [(outlet, key, n) for (outlet, key), n in counts.items()],
            )
        return new_ids

    def outlets(self) -> list[str]:
        """Distinct outlet names in the store."""
        rows = self.conn.execute("SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL")
        return sorted(str(row[0]) for row in rows)

    def frequent_lines(self, outlet: str | None, min_articles: int) -> set[int]:
        rows = self.conn.execute(
            "SELECT line_key FROM line_counts WHERE outlet = ? AND n >= ?",
            (outlet or "", min_articles),
        )
        return {int(row[0]) for row in rows}

    def refresh_boilerplate(self, outlets: Iterable[str | None], min_articles: int) -> int:
        """Mark an outlet's documents for re-cleaning when its recurring-line set changed.

        Returns how many documents were marked. The fingerprint of each outlet's set of frequent
        lines is kept, so adding articles only re-cleans an outlet when the evidence changed.
        """
        marked = 0
        with self.transaction():
            for outlet in set(outlets):
                keys = sorted(self.frequent_lines(outlet, min_articles))
                digest = hashlib.blake2b(",".join(map(str, keys)).encode(), digest_size=8)
                fingerprint = f"{min_articles}:{len(keys)}:{digest.hexdigest()}"
                row = self.conn.execute(
                    "SELECT fingerprint FROM outlet_boilerplate WHERE outlet = ?", (outlet or "",)
                ).fetchone()
                if row is not None and row[0] == fingerprint:
                    continue
                if row is not None:
                    cur = self.conn.execute(
                        "UPDATE documents SET clean_component = 'stale:' || clean_component "
                        "WHERE COALESCE(outlet, '') = ? AND clean_component NOT LIKE 'stale:%'",
                        (outlet or "",),
                    )
                    marked += cur.rowcount
                self.conn.execute(
                    "INSERT INTO outlet_boilerplate (outlet, fingerprint) VALUES (?, ?) "
                    "ON CONFLICT (outlet) DO UPDATE SET fingerprint = excluded.fingerprint",
                    (outlet or "", fingerprint),
                )
        return marked

    # -- clean ----------------------------------------------------------------------------
    def forget_cleaning(self) -> None:
        """Every document is cleaned again by the next run (``analyze --redo clean``)."""
        with self.transaction():
            self.conn.execute("UPDATE documents SET clean_component = NULL")

    def count_pending(self, component: str) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM documents WHERE clean_component IS NULL OR clean_component != ?",
            (component,),
        ).fetchone()
        return int(row[0])

    def pending_documents(self, component: str, batch_size: int) -> Iterator[list[StoredDocument]]:
        """Documents not yet cleaned by ``component``, in batches (ordered by outlet, then id)."""
        last = ("", "")
        while True:
            rows = self.conn.execute(
                "SELECT * FROM documents WHERE (clean_component IS NULL OR clean_component != ?) "
                "AND (COALESCE(outlet, ''), id) > (?, ?) ORDER BY COALESCE(outlet, ''), id LIMIT ?",
                (component, *last, batch_size),
            ).fetchall()
            if not rows:
                return
            last = (rows[-1]["outlet"] or "", rows[-1]["id"])
            yield [
                StoredDocument(row["id"], _document(row), row["clean_component"] is not None)
                for row in rows
            ]

    def save_articles(
        self, component: str, articles: list[Article], rejected: list[tuple[str, str]]
    ) -> None:
        """Write cleaned articles (replacing older versions) and mark documents as done."""
        stamp = now()
        with self.transaction():
            for art in articles:
                dl = art.dateline
                self.conn.execute("DELETE FROM articles WHERE id = ?", (art.id,))
                self.conn.execute(
                    "INSERT INTO articles (id, title, published, language, text, removed, "
                    "dateline_raw, dateline_place, dateline_agency, dateline_start, dateline_end, "
                    "author, component, cleaned_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        art.id,
                        art.title,
                        art.published,
                        art.language,
                        art.text,
                        json.dumps(art.removed, ensure_ascii=False),
                        dl.raw if dl else None,
                        dl.place if dl else None,
                        dl.agency if dl else None,
                        dl.span[0] if dl and dl.span else None,
                        dl.span[1] if dl and dl.span else None,
                        art.author,
                        art.component,
                        stamp,
                    ),
                )
                self.conn.executemany(
                    'INSERT INTO sentences (article_id, idx, start, "end") VALUES (?, ?, ?, ?)',
                    [(art.id, i, s, e) for i, (s, e) in enumerate(art.sentences)],
                )
            self.conn.executemany(
                "UPDATE documents SET clean_component = ?, clean_status = 'ok' WHERE id = ?",
                [(component, art.id) for art in articles],
            )
            self.conn.executemany(  # their search rows are redone by the search stage
                "DELETE FROM search_done WHERE article_id = ?", [(art.id,) for art in articles]
            )
            for doc_id, reason in rejected:
                self.conn.execute("DELETE FROM articles WHERE id = ?", (doc_id,))
                self.conn.execute(
                    "UPDATE documents SET clean_component = ?, clean_status = ? WHERE id = ?",
                    (component, reason, doc_id),
                )

    # -- read -----------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "articles", "sentences", "problems", "runs"):
            out[table] = int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        return out

    def iter_articles(self, batch_size: int = READ_BATCH) -> Iterator[dict[str, Any]]:
        """Every article joined with its document and sentences, ordered by id."""
        for rows in self.pages(
            "SELECT a.*, d.source, d.format, d.outlet, d.url, d.links FROM articles a "
            "JOIN documents d ON d.id = a.id WHERE a.id > ? ORDER BY a.id LIMIT ?",
            batch_size,
        ):
            sentences = self._sentences([row["id"] for row in rows])
            for row in rows:
                record = dict(row)
                record["sentences"] = sentences.get(row["id"], [])
                yield record

    def _sentences(self, ids: list[str]) -> dict[str, list[list[int]]]:
        marks = ",".join("?" * len(ids))
        out: dict[str, list[list[int]]] = {}
        for row in self.conn.execute(
            f'SELECT article_id, start, "end" FROM sentences WHERE article_id IN ({marks}) '
            "ORDER BY article_id, idx",
            ids,
        ):
            out.setdefault(row[0], []).append([row[1], row[2]])
        return out


def _document(row: sqlite3.Row) -> RawDocument:
    return RawDocument(
        source=row["source"],
        format=row["format"],
        text=row["raw_text"],
        title=row["title"],
        url=row["url"],
        published=row["published_raw"],
        outlet=row["outlet"],
        author=row["author"],
        links=json.loads(row["links"]),
        meta=json.loads(row["meta"]),
    )
