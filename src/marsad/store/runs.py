"""The runs of ``marsad analyze`` and what went wrong in them: bad input items, records a
stage failed on (skipped by later runs until the component changes)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from marsad.records import Failure, Problem, printable
from marsad.store.base import Repository, now


class Runs(Repository):
    def start_run(self, command: str) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO runs (command, started_at, status) VALUES (?, ?, 'running')",
                (command, now()),
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                (now(), status, json.dumps(summary, ensure_ascii=False), run_id),
            )

    def add_problems(self, run_id: int, problems: Iterable[Problem]) -> None:
        """Store problems as printable one-line text: a bad item's name or an exception's
        message may hold anything (control characters, lone surrogates)."""
        stamp = now()
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO problems (run_id, source, kind, message, action, created_at, "
                "stage, record, exception, component) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        printable(p.source),
                        p.kind,
                        printable(p.message),
                        p.action,
                        stamp,
                        p.stage,
                        None if p.record is None else printable(p.record),
                        None if p.exception is None else printable(p.exception),
                        p.component,
                    )
                    for p in problems
                ],
            )

    def add_failures(
        self, run_id: int, step: str, component: str, failures: Iterable[Failure]
    ) -> None:
        """Records a step failed on: skipped by later runs until ``component`` changes."""
        with self.transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO failures (step, component, record, run_id, exception) "
                "VALUES (?, ?, ?, ?, ?)",
                [(step, component, f.record, run_id, printable(f.exception)) for f in failures],
            )

    def failed_records(self, step: str, component: str) -> set[str]:
        """Records ``step`` failed on under ``component`` (skipped by this run)."""
        return {
            row[0]
            for row in self.conn.execute(
                "SELECT record FROM failures WHERE step = ? AND component = ?", (step, component)
            )
        }

    def forget_failures(self, step_prefix: str) -> int:
        """Forget the failures of a stage's steps (``marsad analyze --redo``)."""
        with self.transaction():
            cur = self.conn.execute(
                "DELETE FROM failures WHERE step LIKE ? ESCAPE '\\'",
                (step_prefix.replace("_", "\\_") + ".%",),
            )
        return int(cur.rowcount)

    def problems(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT run_id, source, kind, message, action, created_at, stage, record, exception, "
            "component FROM problems ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [dict(row) for row in rows]

    def runs(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest runs, newest first, with their summaries (JSON decoded)."""
        rows = self.conn.execute(
            "SELECT id, command, started_at, finished_at, status, summary FROM runs "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        out = []
        for row in rows:
            record = dict(row)
            record["summary"] = json.loads(row["summary"]) if row["summary"] else None
            out.append(record)
        return out
