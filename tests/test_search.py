"""The search index: query folding, snippets from the original text, incremental upkeep."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from marsad import search
from marsad.config import Config
from marsad.pipeline import Plan, analyze
from marsad.records import SearchRequest
from marsad.store import Store

TREES = (
    "مبادرة لتشجير الطرقات\n"
    "أَعْلَنَتْ وِزَارَةُ الزِّرَاعَةِ عَنْ إِطْلَاقِ مُبَادَرَةٍ لِتَشْجِيرِ الطُّرُقَاتِ فِي الْمُحَافَظَاتِ الشَّمَالِيَّةِ.\n"
    "وقال المتحدث باسم الوزارة إن المرحلة الأولى تبدأ الأسبوع المقبل.\n"
)
BRIDGE = (
    "افتتاح جسر جديد\nافتتحت البلدية جسراً جديداً فوق النهر، وقال رئيس البلدية إن الجسر "
    "يختصر الطريق بين الضفتين إلى عشر دقائق.\n"
)


def test_parse_query_folds_and_quotes() -> None:
    parsed = search.parse_query('الزِّرَاعَةِ "مُبادرة لتشجير" إطلاق* OR) NEAR(')
    assert parsed.match == '"الزراعه" "مبادره لتشجير" "اطلاق"* "or" "near"'
    assert parsed.words[:2] == ("الزراعه", "مبادره")
    assert search.parse_query("  ؟!  ").match is None
    assert search.parse_query("كلمة " * 50).match.count('"') == 2 * search.MAX_TERMS


def test_snippet_marks_the_original_words() -> None:
    text = "قبل " * 100 + "أَعْلَنَتْ الوزارة " + "بعد " * 100
    pieces = search.snippet(text, search.parse_query("اعلنت").words, width=80)
    assert ("أَعْلَنَتْ", True) in pieces
    assert pieces[0] == ("…", False) and pieces[-1] == ("…", False)
    assert sum(len(p) for p, _ in pieces) <= 80 + 2


def _search(store: Store, query: str, kind: str = "articles") -> list[str]:
    request = SearchRequest(kind=kind, match=search.parse_query(query).match, limit=50)
    rows, _ = store.search.search(request)
    return [row["id"] for row in rows]


def test_index_follows_analyze_incrementally(config: Config, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "trees.txt").write_text(TREES, "utf-8")
    with Store(config.store.path) as store:
        summary = analyze([str(tmp_path / "a")], config, store, lambda _: None)
        assert summary.counts("search")["indexed"] == 1
        assert len(_search(store, "وزارة الزراعة")) == 1
        assert _search(store, "المتحدث", kind="claims")
        (tmp_path / "a" / "bridge.txt").write_text(BRIDGE, "utf-8")
        summary = analyze([str(tmp_path / "a")], config, store, lambda _: None)
        assert summary.counts("search")["indexed"] == 1  # only the new one
        assert len(_search(store, "الجسر")) == 1
        # an article written again (re-cleaned) is re-indexed, not duplicated
        article_id = _search(store, "الجسر")[0]
        store.conn.execute("DELETE FROM search_done WHERE article_id = ?", (article_id,))
        store.conn.commit()
        assert _index(config, store)["indexed"] == 1
        assert _search(store, "الجسر") == [article_id]
        n_rows = store.conn.execute("SELECT COUNT(*) FROM search_articles").fetchone()[0]
        assert n_rows == 2
        # an article gone from the store leaves the index
        store.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        store.conn.commit()
        assert _index(config, store)["removed"] == 1
        assert _search(store, "الجسر") == [] and _search(store, "يختصر", kind="claims") == []


def test_index_command_builds_an_old_store(config: Config, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from marsad.cli import main

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "trees.txt").write_text(TREES, "utf-8")
    config.search.enabled = False
    with Store(config.store.path) as store:
        analyze([str(tmp_path / "a")], config, store, lambda _: None)
        assert store.search.count_unindexed() == 1
    result = CliRunner().invoke(main, ["index", "--db", config.store.path])
    assert result.exit_code == 0 and "1 articles indexed" in result.output
    with Store(config.store.path, read_only=True) as store:
        assert len(_search(store, "الطرقات")) == 1


def _index(config: Config, store: Store) -> Counter[str]:
    """The search stage alone, as ``marsad index`` runs it."""
    return analyze([], config, store, lambda _: None, plan=Plan(only=("search",))).counts("search")
