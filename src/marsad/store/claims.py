"""The claims repository (``store.claims``): claims, actor mentions, gazetteer actors."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from marsad.records import Actor, ArticleClaims, ArticleText
from marsad.store.base import Repository

READ_BATCH = 500


class Claims(Repository):
    """Claims, actor mentions and the gazetteer actors in force (the claims stage)."""

    def drop_stale_claims(self, component: str) -> int:
        """Forget claims and mentions made by another component version; returns how many
        articles must be redone."""
        with self.transaction():
            stale = [
                row[0]
                for row in self.conn.execute(
                    "SELECT article_id FROM claims_done WHERE component != ?", (component,)
                )
            ]
            for k in range(0, len(stale), READ_BATCH):
                chunk = stale[k : k + READ_BATCH]
                marks = ",".join("?" * len(chunk))
                for table in ("claims", "mentions", "claims_done", "search_done"):
                    self.conn.execute(f"DELETE FROM {table} WHERE article_id IN ({marks})", chunk)
        return len(stale)

    def count_unclaimed(self) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM articles a LEFT JOIN claims_done c ON c.article_id = a.id "
            "WHERE c.article_id IS NULL"
        ).fetchone()
        return int(row[0])

    def forget_claims(self) -> None:
        """Every article is analysed again by the next run (``analyze --redo claims``)."""
        self.empty("mentions", "claims", "claims_done", "search_done")

    def unclaimed(self, batch_size: int) -> Iterator[list[ArticleText]]:
        """Articles the claims stage has not done, in batches ordered by id."""
        for rows in self.pages(
            "SELECT a.id, a.title, a.text, a.dateline_end, d.source FROM articles a "
            "JOIN documents d ON d.id = a.id LEFT JOIN claims_done c ON c.article_id = a.id "
            "WHERE c.article_id IS NULL AND a.id > ? ORDER BY a.id LIMIT ?",
            batch_size,
        ):
            ids = [row[0] for row in rows]
            marks = ",".join("?" * len(ids))
            sentences: dict[str, list[tuple[int, int]]] = {}
            for row in self.conn.execute(
                f'SELECT article_id, start, "end" FROM sentences WHERE article_id IN ({marks}) '
                "ORDER BY article_id, idx",
                ids,
            ):
                sentences.setdefault(row[0], []).append((row[1], row[2]))
            yield [
                ArticleText(row[0], row[1], row[2], sentences.get(row[0], []), row[3], row[4])
                for row in rows
            ]

    def save_claims(self, component: str, results: Iterable[ArticleClaims]) -> None:
        """Write the claims and mentions of a batch of articles in one transaction."""
        results = list(results)
        claims = [
            (
                c.id,
                c.article_id,
                c.part,
                c.idx,
                c.sentence,
                c.span[0],
                c.span[1],
                c.source,
                c.source_span[0] if c.source_span else None,
                c.source_span[1] if c.source_span else None,
                c.source_type,
                c.verb,
                c.verb_span[0] if c.verb_span else None,
                c.verb_span[1] if c.verb_span else None,
                int(c.hedged),
                int(c.carried_over),
                json.dumps(c.cited_links, ensure_ascii=False) if c.cited_links else "[]",
                c.checkworthiness,
                c.pattern,
                c.type_basis,
            )
            for result in results
            for c in result.claims
        ]
        mentions = [
            (result.article_id, m.part, m.start, m.end, m.text, m.type, m.actor, m.how, m.claim_id)
            for result in results
            for m in result.mentions
        ]
        done = [(result.article_id, component) for result in results]
        with self.transaction():
            # Articles come from unclaimed() (no claims_done row) and a batch is written in
            # one transaction with its claims_done rows: nothing to delete first.
            self.conn.executemany(
                "INSERT OR REPLACE INTO claims "
                '(id, article_id, part, idx, sentence, start, "end", '
                "source, source_start, source_end, source_type, verb, verb_start, verb_end, "
                "hedged, carried_over, cited_links, checkworthiness, pattern, type_basis) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                claims,
            )
            self.conn.executemany(
                'INSERT OR REPLACE INTO mentions (article_id, part, start, "end", text, '
                "type, actor, how, claim_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                mentions,
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO claims_done (article_id, component) VALUES (?, ?)", done
            )
            # the articles' claims changed: their search rows are redone by the next index
            self.conn.executemany(
                "DELETE FROM search_done WHERE article_id = ?", [(a,) for a, _ in done]
            )

    def save_gazetteer(self, actors: Iterable[Actor]) -> None:
        """Replace the stored gazetteer actors with ``actors``."""
        with self.transaction():
            self.conn.execute("DELETE FROM actors")
            self.conn.executemany(
                "INSERT INTO actors (id, type, name, en, origin) VALUES (?, ?, ?, ?, ?)",
                [(a.id, a.type, a.name, a.en, a.origin) for a in actors],
            )

    # -- reads ---------------------------------------------------------------------------
    def claim_counts(self) -> dict[str, int]:
        out = {}
        for table in ("claims", "mentions"):
            out[table] = int(self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        row = self.conn.execute("SELECT COUNT(DISTINCT actor) FROM mentions").fetchone()
        out["actors"] = int(row[0])
        return out

    def iter_claims(self, batch_size: int = READ_BATCH) -> Iterator[dict[str, Any]]:
        """Every claim with its article's outlet, date, title and text, and its mentions
        (``actors``), ordered by article, part (headline first) and position."""
        last = ""
        articles_per_batch = max(1, batch_size // 20)
        while True:
            article_ids = [
                row[0]
                for row in self.conn.execute(
                    "SELECT article_id FROM claims_done WHERE article_id > ? "
                    "ORDER BY article_id LIMIT ?",
                    (last, articles_per_batch),
                )
            ]
            if not article_ids:
                return
            last = article_ids[-1]
            marks = ",".join("?" * len(article_ids))
            rows = self.conn.execute(
                "SELECT c.*, a.title, a.text AS article_text, a.published, d.outlet, d.url "
                "FROM claims c JOIN articles a ON a.id = c.article_id "
                f"JOIN documents d ON d.id = c.article_id WHERE c.article_id IN ({marks}) "
                "ORDER BY c.article_id, c.part DESC, c.idx",
                article_ids,
            ).fetchall()
            ids = [row["id"] for row in rows]
            marks = ",".join("?" * len(ids))
            mentions: dict[str, list[dict[str, Any]]] = {}
            for m in self.conn.execute(
                f'SELECT m.claim_id, m.text, m.actor, m.type, m.start, m."end", m.how, '
                f"g.name AS actor_name FROM mentions m LEFT JOIN actors g ON g.id = m.actor "
                f"WHERE m.claim_id IN ({marks}) ORDER BY m.claim_id, m.start",
                ids,
            ):
                mentions.setdefault(m["claim_id"], []).append(dict(m))
            for row in rows:
                record = dict(row)
                record["mentions"] = mentions.get(row["id"], [])
                yield record

    def actor_names(self) -> dict[str, str]:
        """Display name of every mentioned actor: the gazetteer name, else the form the text
        uses most often (coreference mentions such as a bare surname do not count)."""
        gazetteer = {str(r[0]): str(r[1]) for r in self.conn.execute("SELECT id, name FROM actors")}
        best: dict[str, tuple[int, int, str]] = {}
        for actor, text, n in self.conn.execute(
            "SELECT actor, text, COUNT(*) FROM mentions WHERE how != 'coreference' "
            "GROUP BY actor, text"
        ):
            rank = (int(n), len(text), text)
            if actor not in gazetteer and (actor not in best or rank > best[actor]):
                best[actor] = rank
        return {**{actor: rank[2] for actor, rank in best.items()}, **gazetteer}

    def iter_actors(self) -> Iterator[dict[str, Any]]:
        """Every actor with at least one mention: gazetteer fields, counts, names seen."""
        names: dict[str, list[tuple[str, int]]] = {}
        for row in self.conn.execute(
            "SELECT actor, text, COUNT(*) AS n FROM mentions GROUP BY actor, text "
            "ORDER BY actor, n DESC, text"
        ):
            names.setdefault(row[0], []).append((row[1], int(row[2])))
        display = self.actor_names()
        for row in self.conn.execute(
            "SELECT m.actor, MIN(m.type) AS type, COUNT(*) AS mentions, "
            "COUNT(DISTINCT m.article_id) AS articles, COUNT(DISTINCT m.claim_id) AS claims, "
            "g.name, g.en, g.origin FROM mentions m LEFT JOIN actors g ON g.id = m.actor "
            "GROUP BY m.actor ORDER BY articles DESC, m.actor"
        ):
            record = dict(row)
            record["names"] = names.get(row["actor"], [])
            record["name"] = display.get(row["actor"], row["actor"])
            yield record
