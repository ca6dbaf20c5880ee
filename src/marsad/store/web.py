"""Read queries of the web pages, the JSON API and the static report (``store.web``). Every
list takes ``offset``/``limit`` and returns its rows with the total; callers bound both."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from marsad.store.base import Repository

Row = dict[str, Any]
T = TypeVar("T")
FamilyScope = Literal["narrative", "family"]
# Which claim families a narrative or claim-family page shows (on ``f``: claim_families).
_FAMILY_SCOPES: dict[str, str] = {"narrative": "f.narrative = ?", "family": "f.id = ?"}
# Whole-store aggregates (overview, outlet list), kept until the store file changes.
_MEMO: dict[tuple[str, str], tuple[tuple[int, ...], Any]] = {}
TOP = 10
CLAIM_TEXT = (
    "CASE WHEN c.part = 'headline' THEN substr(a.title, c.start + 1, c.\"end\" - c.start) "
    'ELSE substr(a.text, c.start + 1, c."end" - c.start) END'
)


class WebReads(Repository):
    path: str

    def _memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()``, remembered until the store (or its write-ahead log) is written."""
        stamp = tuple(
            os.stat(p).st_mtime_ns if os.path.exists(p) else 0
            for p in (self.path, self.path + "-wal")
        )
        hit = _MEMO.get((self.path, name))
        if hit is not None and hit[0] == stamp:
            value: T = hit[1]
            return value
        value = compute()
        _MEMO[(self.path, name)] = (stamp, value)
        return value

    def _rows(self, sql: str, params: Any = ()) -> list[Row]:
        return [dict(row) for row in self.conn.execute(sql, params)]

    def _one(self, sql: str, params: Any = ()) -> Row | None:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else dict(row)

    def _count(self, sql: str, params: Any = ()) -> int:
        return int(self.conn.execute(sql, params).fetchone()[0])

    # -- overview -------------------------------------------------------------------------
    def corpus_stats(self) -> Row:
        return self._memo("corpus_stats", self._corpus_stats)

    def _corpus_stats(self) -> Row:
        first, last = self.conn.execute(
            "SELECT MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) FROM articles "
            "WHERE published IS NOT NULL"
        ).fetchone()
        return {
            "articles": self._count("SELECT COUNT(*) FROM articles"),
            "documents": self._count("SELECT COUNT(*) FROM documents"),
            "outlets": self._count(
                "SELECT COUNT(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL"
            ),
            "claims": self._count("SELECT COUNT(*) FROM claims"),
            "reuse_families": self._count("SELECT COUNT(*) FROM reuse_families"),
            "claim_families": self._count("SELECT COUNT(*) FROM claim_families"),
            "narratives": self._count("SELECT COUNT(*) FROM narratives"),
            "first_day": first,
            "last_day": last,
        }

    def articles_per_day(self, outlet: str | None = None) -> list[tuple[str, int]]:
        if outlet is None:
            rows = self.conn.execute(
                "SELECT substr(published, 1, 10) AS day, COUNT(*) FROM articles "
                "WHERE published IS NOT NULL GROUP BY day ORDER BY day"
            )
        else:
            rows = self.conn.execute(
                "SELECT substr(a.published, 1, 10) AS day, COUNT(*) FROM documents d "
                "JOIN articles a ON a.id = d.id WHERE d.outlet = ? AND a.published IS NOT NULL "
                "GROUP BY day ORDER BY day",
                (outlet,),
            )
        return [(str(day), int(n)) for day, n in rows]

    def most_copied_outlets(self, limit: int = TOP) -> list[Row]:
        """Outlets whose articles others copy most: transmission edges leaving them."""
        return self._memo(f"most_copied:{limit}", lambda: self._most_copied(limit))

    def _most_copied(self, limit: int) -> list[Row]:
        return self._rows(
            "SELECT ds.outlet AS outlet, COUNT(*) AS copies, "
            "COUNT(DISTINCT dt.outlet) AS copied_by FROM reuse_edges e "
            "JOIN reuse_families f ON f.id = e.family_id AND f.kind = 'copy' "
            "JOIN documents ds ON ds.id = e.source "
            "JOIN documents dt INDEXED BY documents_id_outlet ON dt.id = e.target "
            "WHERE ds.outlet IS NOT NULL AND ds.outlet != dt.outlet "
            "GROUP BY ds.outlet ORDER BY copies DESC, ds.outlet LIMIT ?",
            (limit,),
        )

    # -- outlets --------------------------------------------------------------------------
    def outlet_list(self, offset: int, limit: int) -> tuple[list[Row], int]:
        return self._memo(f"outlets:{offset}:{limit}", lambda: self._outlet_list(offset, limit))

    def _outlet_list(self, offset: int, limit: int) -> tuple[list[Row], int]:
        rows = self._rows(
            "SELECT d.outlet AS outlet, COUNT(*) AS articles, "
            "MIN(substr(a.published, 1, 10)) AS first_day, "
            "MAX(substr(a.published, 1, 10)) AS last_day "
            "FROM documents d JOIN articles a ON a.id = d.id WHERE d.outlet IS NOT NULL "
            "GROUP BY d.outlet ORDER BY articles DESC, d.outlet LIMIT ? OFFSET ?",
            (limit, offset),
        )
        total = self._count("SELECT COUNT(DISTINCT outlet) FROM documents WHERE outlet IS NOT NULL")
        return rows, total

    def outlet_summary(self, outlet: str) -> Row | None:
        row = self._one(
            "SELECT COUNT(*) AS articles, MIN(substr(a.published, 1, 10)) AS first_day, "
            "MAX(substr(a.published, 1, 10)) AS last_day FROM documents d "
            "JOIN articles a ON a.id = d.id WHERE d.outlet = ?",
            (outlet,),
        )
        if row is None or not row["articles"]:
            return None
        return {"outlet": outlet, **row}

    def outlet_source_types(self, outlet: str) -> list[tuple[str, int]]:
        rows = self.conn.execute(
            "SELECT c.source_type, COUNT(*) AS n FROM documents d "
            "JOIN claims c ON c.article_id = d.id WHERE d.outlet = ? "
            "GROUP BY c.source_type ORDER BY n DESC",
            (outlet,),
        )
        return [(str(kind), int(n)) for kind, n in rows]

    def outlet_copying(self, outlet: str) -> tuple[list[Row], list[Row]]:
        """``(copies_from, copied_by)``: other outlets this outlet copies, and that copy it,
        with edge counts and the mean lag in hours (copied stories only: shared templates,
        recurring official formulas, are no copying)."""
        sql = (
            "SELECT other.outlet AS outlet, COUNT(*) AS edges, AVG(e.lag_hours) AS mean_lag "
            "FROM documents this JOIN reuse_edges e ON e.{this} = this.id "
            "JOIN reuse_families f ON f.id = e.family_id AND f.kind = 'copy' "
            "JOIN documents other INDEXED BY documents_id_outlet ON other.id = e.{other} "
            "WHERE this.outlet = ? AND other.outlet != ? "
            "GROUP BY other.outlet ORDER BY edges DESC, other.outlet"
        )
        copies_from = self._rows(sql.format(this="target", other="source"), (outlet, outlet))
        copied_by = self._rows(sql.format(this="source", other="target"), (outlet, outlet))
        return copies_from, copied_by

    # -- articles -------------------------------------------------------------------------
    def article(self, article_id: str) -> Row | None:
        row = self._one(
            "SELECT a.*, d.outlet, d.url, d.source, d.format, d.links FROM articles a "
            "JOIN documents d ON d.id = a.id WHERE a.id = ?",
            (article_id,),
        )
        if row is not None:
            row["removed"] = json.loads(row["removed"])
            row["links"] = json.loads(row["links"])
        return row

    def article_claims(self, article_id: str) -> list[Row]:
        """The article's claims in reading order (headline first), with their actors."""
        claims = self._rows(
            "SELECT * FROM claims WHERE article_id = ? ORDER BY part DESC, idx", (article_id,)
        )
        names = dict(self.conn.execute("SELECT id, name FROM actors").fetchall())
        mentions: dict[str, list[Row]] = {}
        for m in self.conn.execute(
            'SELECT claim_id, text, actor, type, start, "end" FROM mentions '
            "WHERE article_id = ? AND claim_id IS NOT NULL ORDER BY start",
            (article_id,),
        ):
            record = dict(m)
            record["name"] = names.get(m["actor"], m["text"])
            mentions.setdefault(m["claim_id"], []).append(record)
        for claim in claims:
            claim["cited_links"] = json.loads(claim["cited_links"])
            claim["actors"] = mentions.get(claim["id"], [])
        return claims

    def article_passages(self, article_id: str) -> list[Row]:
        """Reused passages in the article, each seen from this article: its span here, the
        other article with its span, outlet, date and title, and who copied whom."""
        out = []
        for side, other in (("a", "b"), ("b", "a")):
            out += self._rows(
                f'SELECT p.id, p.{side}_start AS start, p.{side}_end AS "end", '
                f"p.article_{other} AS other, p.{other}_start AS other_start, "
                f"p.{other}_end AS other_end, p.score, p.same_outlet, p.reason, p.confidence, "
                "p.kind, "
                f"CASE p.direction WHEN '{side}->{other}' THEN 'copied_by' "
                f"WHEN '{other}->{side}' THEN 'copied_from' ELSE 'unknown' END AS relation, "
                "d.outlet AS other_outlet, a.published AS other_published, "
                "a.title AS other_title FROM reuse_passages p "
                f"JOIN articles a ON a.id = p.article_{other} "
                f"JOIN documents d ON d.id = p.article_{other} WHERE p.article_{side} = ?",
                (article_id,),
            )
        return sorted(out, key=lambda p: (p["start"], p["id"]))

    def article_families(self, article_id: str) -> list[Row]:
        return self._rows(
            'SELECT m.family_id, m.start, m."end", m.role, m.parent, f.size, f.outlets, '
            "f.origin, f.origin_reason, f.first_published, f.kind FROM reuse_family_members m "
            "JOIN reuse_families f ON f.id = m.family_id WHERE m.article_id = ? "
            "ORDER BY f.size DESC",
            (article_id,),
        )

    def article_claim_families(self, article_id: str) -> list[Row]:
        return self._rows(
            "SELECT DISTINCT f.id, f.label, f.narrative, f.articles, f.outlets "
            "FROM claims c JOIN claim_family_members m ON m.claim_id = c.id "
            "JOIN claim_families f ON f.id = m.family_id WHERE c.article_id = ? "
            "ORDER BY f.articles DESC",
            (article_id,),
        )

    def catalog_matches_for(self, where: str, params: Any) -> list[Row]:
        """Catalogue matches restricted by ``where`` (on ``m``: catalog_matches)."""
        return self._rows(
            "SELECT m.catalog, m.entry_id, m.article_id, m.claim_id, m.score, m.cosine, "
            "m.stance, m.stance_p, e.title AS entry_title, e.url AS entry_url, d.outlet, "
            "a.published, a.title "
            "FROM catalog_matches m JOIN catalog_entries e "
            "ON e.catalog = m.catalog AND e.id = m.entry_id "
            "JOIN articles a ON a.id = m.article_id JOIN documents d ON d.id = m.article_id "
            f"WHERE {where} ORDER BY m.score DESC LIMIT 200",
            params,
        )

    def article_catalog_matches(self, article_id: str) -> list[Row]:
        return self.catalog_matches_for("m.article_id = ?", (article_id,))

    # -- reuse families -------------------------------------------------------------------
    def reuse_family_list(self, offset: int, limit: int) -> tuple[list[Row], int]:
        rows = self._rows(
            "SELECT f.*, d.outlet AS origin_outlet, a.title AS origin_title "
            "FROM reuse_families f JOIN documents d ON d.id = f.origin "
            "JOIN articles a ON a.id = f.origin "
            "ORDER BY f.kind = 'template', f.size DESC, f.first_published, f.id "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return rows, self._count("SELECT COUNT(*) FROM reuse_families")

    def reuse_family(self, family_id: str) -> Row | None:
        family = self._one(
            "SELECT f.*, d.outlet AS origin_outlet FROM reuse_families f "
            "JOIN documents d ON d.id = f.origin WHERE f.id = ?",
            (family_id,),
        )
        if family is None:
            return None
        family["members"] = self._rows(
            'SELECT m.article_id, m.start, m."end", m.role, m.parent, d.outlet, a.published, '
            'a.title, substr(a.text, m.start + 1, m."end" - m.start) AS passage '
            "FROM reuse_family_members m JOIN articles a ON a.id = m.article_id "
            "JOIN documents d ON d.id = m.article_id WHERE m.family_id = ? "
            "ORDER BY a.published, m.article_id",
            (family_id,),
        )
        family["edges"] = self._rows(
            "SELECT e.source, e.target, e.reason, e.confidence, e.lag_hours, e.score, "
            "ds.outlet AS source_outlet, dt.outlet AS target_outlet FROM reuse_edges e "
            "JOIN documents ds ON ds.id = e.source JOIN documents dt ON dt.id = e.target "
            "WHERE e.family_id = ? ORDER BY e.lag_hours, e.source, e.target",
            (family_id,),
        )
        return family

    # -- narratives and claim families ----------------------------------------------------
    def narrative_list(self, offset: int, limit: int) -> tuple[list[Row], int]:
        rows = self._rows(
            "SELECT id, label, terms, first_seen, last_seen, json_array_length(families) AS "
            "families, json_array_length(articles) AS articles, "
            "json_array_length(outlets) AS outlets FROM narratives "
            "ORDER BY articles DESC, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        for row in rows:
            row["terms"] = json.loads(row["terms"])
        return rows, self._count("SELECT COUNT(*) FROM narratives")

    def narrative(self, narrative_id: str) -> Row | None:
        row = self._one("SELECT * FROM narratives WHERE id = ?", (narrative_id,))
        if row is not None:
            for key in ("terms", "actors", "families", "articles", "outlets", "daily"):
                row[key] = json.loads(row[key])
        return row

    def claim_family_list(
        self, offset: int, limit: int, narrative: str | None = None
    ) -> tuple[list[Row], int]:
        where, params = ("WHERE f.narrative = ?", [narrative]) if narrative else ("", [])
        rows = self._rows(
            f"SELECT f.id, f.label, f.narrative, f.size, f.articles, f.outlets, f.first_seen, "
            f"f.last_seen FROM claim_families f {where} "
            "ORDER BY f.articles DESC, f.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = self._count(f"SELECT COUNT(*) FROM claim_families f {where}", params)
        return rows, total

    def claim_family(self, family_id: str) -> Row | None:
        row = self._one("SELECT * FROM claim_families WHERE id = ?", (family_id,))
        if row is not None:
            row["daily"] = json.loads(row["daily"])
            row["actors"] = json.loads(row["actors"])
        return row

    def family_claim_ids(self, where: str, params: Any, offset: int, limit: int) -> list[str]:
        """Member claim ids of the claim families selected by ``where`` (on ``f``), by date."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT m.claim_id FROM claim_family_members m "
                "JOIN claim_families f ON f.id = m.family_id "
                "JOIN claims c ON c.id = m.claim_id JOIN articles a ON a.id = c.article_id "
                f"WHERE {where} ORDER BY a.published, m.claim_id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
        ]

    def family_claim_count(self, where: str, params: Any) -> int:
        return self._count(
            "SELECT COUNT(*) FROM claim_family_members m "
            f"JOIN claim_families f ON f.id = m.family_id WHERE {where}",
            params,
        )

    def family_timeline(self, where: str, params: Any) -> list[tuple[str, str, int]]:
        """``(day, outlet, articles)`` for the claims of the families selected by ``where``."""
        rows = self.conn.execute(
            "SELECT substr(a.published, 1, 10) AS day, COALESCE(d.outlet, '') AS outlet, "
            "COUNT(DISTINCT c.article_id) FROM claim_family_members m "
            "JOIN claim_families f ON f.id = m.family_id JOIN claims c ON c.id = m.claim_id "
            "JOIN articles a ON a.id = c.article_id JOIN documents d ON d.id = c.article_id "
            f"WHERE {where} AND a.published IS NOT NULL GROUP BY day, outlet ORDER BY day",
            params,
        )
        return [(str(day), str(outlet), int(n)) for day, outlet, n in rows]

    def family_members(self, scope: FamilyScope, key: str, offset: int, limit: int) -> Row:
        """The member claims of a narrative's claim families (``scope="narrative"``) or of one
        claim family (``"family"``): one page of ``claim_ids`` (by date), their ``total``,
        the ``timeline`` and the ``catalog_matches`` of all of them."""
        where, params = _FAMILY_SCOPES[scope], (key,)
        return {
            "claim_ids": self.family_claim_ids(where, params, offset, limit),
            "total": self.family_claim_count(where, params),
            "timeline": self.family_timeline(where, params),
            "catalog_matches": self.catalog_matches_for(
                "m.claim_id IN (SELECT fm.claim_id FROM claim_family_members fm "
                f"JOIN claim_families f ON f.id = fm.family_id WHERE {where})",
                params,
            ),
        }

    def narratives_of_outlet(self, outlet: str) -> list[Row]:
        rows = self._rows(
            "SELECT n.id, n.label, json_array_length(n.articles) AS articles FROM narratives n "
            "WHERE EXISTS (SELECT 1 FROM json_each(n.outlets) j WHERE j.value = ?) "
            "ORDER BY articles DESC, n.id LIMIT 50",
            (outlet,),
        )
        return rows

    def claim_text_rows(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            row[0]: row[1]
            for row in self.conn.execute(
                f"SELECT c.id, {CLAIM_TEXT} FROM claims c JOIN articles a ON a.id = c.article_id "
                f"WHERE c.id IN ({marks})",
                ids,
            )
        }

    def filter_values(self) -> Row:
        """Values offered by the search filters."""
        return self._memo("filter_values", self._filter_values)

    def _filter_values(self) -> Row:
        return {
            "outlets": [
                r[0]
                for r in self.conn.execute(
                    "SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL "
                    "ORDER BY outlet LIMIT 500"
                )
            ],
            "languages": [
                r[0] for r in self.conn.execute("SELECT DISTINCT language FROM articles")
            ],
            "narratives": self._rows(
                "SELECT id, label FROM narratives ORDER BY json_array_length(articles) DESC "
                "LIMIT 200"
            ),
        }

    def ids_of(self, what: str) -> list[str]:
        """Every id of ``what`` (articles, reuse_families, narratives, claim_families) or every
        outlet name, for the static report."""
        sql = {
            "articles": "SELECT id FROM articles ORDER BY id",
            "reuse_families": "SELECT id FROM reuse_families ORDER BY id",
            "narratives": "SELECT id FROM narratives ORDER BY id",
            "claim_families": "SELECT id FROM claim_families ORDER BY id",
            "outlets": "SELECT DISTINCT d.outlet FROM documents d JOIN articles a ON a.id = d.id "
            "WHERE d.outlet IS NOT NULL ORDER BY d.outlet",
        }[what]
        return [str(row[0]) for row in self.conn.execute(sql)]
