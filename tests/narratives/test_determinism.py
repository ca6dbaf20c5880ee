"""The narratives stage makes the same families, narratives and catalogue matches on every run:
whatever the number of workers, the hash seed, the order links and claims come in, and
whether neighbours come from the exact search or the HNSW graph. The corpus and catalogue
below were written for this test."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from marsad.config import load_config
from marsad.export import EXPORTERS
from marsad.narratives import families as families_module
from marsad.narratives.catalog import read_catalog
from marsad.narratives.families import components, cut_weakest_links, split_chains
from marsad.pipeline import analyze
from marsad.store import Store
from tests.conftest import ROOT

COMPARED = ("claim-families", "narratives", "catalog-matches")

RAIN = (
    "أعلنت الإدارة العامة للتعليم بمنطقة جازان تعليق الدراسة في جميع المدارس يوم الأحد المقبل "
    "بسبب الأمطار الغزيرة التي تشهدها المنطقة."
)
RAIN_2 = (
    "قررت الإدارة العامة للتعليم في منطقة جازان تعليق الدراسة بجميع مدارس البنين والبنات يوم "
    "الأحد بسبب الأمطار الغزيرة."
)
CASES = (
    "سجلت وزارة الصحة اثنتي عشرة إصابة جديدة بفيروس كورونا في مدينتي الرياض وجدة خلال الساعات "
    "الأربع والعشرين الماضية."
)
CASES_2 = (
    "أعلنت وزارة الصحة تسجيل اثنتي عشرة إصابة جديدة بفيروس كورونا في الرياض وجدة خلال الساعات "
    "الماضية."
)
ROADS = (
    "وقعت أمانة منطقة الرياض عقدا بقيمة ثلاثمائة مليون ريال لتطوير شبكة الطرق في الأحياء "
    "الشمالية من العاصمة."
)
ROADS_2 = (
    "أبرمت أمانة الرياض عقدا بقيمة ثلاثمائة مليون ريال لتطوير الطرق في شمال العاصمة خلال عامين."
)
FILLER = (
    "وأوضح المتحدث الرسمي أن الجهات المختصة تتابع الوضع عن كثب، داعيا المواطنين إلى استقاء "
    "المعلومات من مصادرها الرسمية."
)


def _articles() -> list[dict[str, str]]:
    """Three stories, each told by several outlets in their own words, and a few others."""
    stories = [
        ("rain", [RAIN, RAIN_2, RAIN, RAIN_2], "أمطار جازان تعلق الدراسة"),
        ("cases", [CASES, CASES_2, CASES], "إصابات جديدة بكورونا في الرياض وجدة"),
        ("roads", [ROADS, ROADS_2, ROADS], "عقد لتطوير طرق شمال الرياض"),
    ]
    outlets = ["الوطن", "عكاظ", "سبق", "المدينة", "اليوم"]
    rows = []
    for s, (name, leads, title) in enumerate(stories):
        for n, lead in enumerate(leads):
            rows.append(
                {
                    "url": f"https://news.example/{name}/{n}",
                    "outlet": outlets[(s + n) % len(outlets)],
                    "date": f"2015-03-{10 + n:02d}",
                    "title": title,
                    "text": f"{lead} {FILLER} وقال مصدر مسؤول إن {lead}",
                }
            )
    rows.append(
        {
            "url": "https://news.example/other/1",
            "outlet": "الرياض",
            "date": "2015-03-12",
            "title": "افتتاح معرض الكتاب",
            "text": "افتتح أمير منطقة الرياض معرض الرياض الدولي للكتاب بمشاركة أكثر من خمسمائة "
            "دار نشر من ثلاثين دولة. " + FILLER,
        }
    )
    return rows


CATALOG = (
    "id,title,language\n"
    'T-1,"تعليق الدراسة في مدارس جازان بسبب الأمطار الغزيرة",ar\n'
    'T-2,"وزارة الصحة تسجل إصابات جديدة بفيروس كورونا في الرياض وجدة",ar\n'
    'T-3,"Riyadh municipality signs a road development contract",en\n'
)

RUN = """
import json, sys
from marsad.config import load_config
from marsad.narratives import families, neighbours
from marsad.narratives.catalog import read_catalog
from marsad.pipeline import analyze
from marsad.store import Store
from marsad.export import EXPORTERS
neighbours.EXACT_MAX, families.DENSE_MAX = int(sys.argv[4]), int(sys.argv[5])
config = load_config(env={}, overrides=json.loads(sys.argv[1]))
with Store(config.store.path) as store:
    analyze([sys.argv[2]], config, store, lambda _: None, catalogs=[read_catalog(sys.argv[3])])
    rows = {w: list(EXPORTERS[w].rows(store)) for w in sys.argv[6].split(",")}
print(json.dumps(rows, ensure_ascii=False, default=str))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("determinism")
    news = folder / "news.jsonl"
    news.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in _articles()), encoding="utf-8"
    )
    catalog = folder / "checks.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    return news, catalog


def _overrides(db: Path, workers: int) -> dict[str, Any]:
    return {
        "store.path": str(db),
        "pipeline.workers": workers,
        "reuse.enabled": False,
        "narratives.enabled": True,
        "narratives.embedder": "static",
        "narratives.catalog_embedder": "static",
        "narratives.catalog_rerank_embedder": "",
    }


def _in_process(
    news: Path, catalog: Path, db: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[dict[str, Any]]]:
    monkeypatch.setattr("marsad.narratives.neighbours.EXACT_MAX", 2)  # the HNSW graph
    monkeypatch.setattr("marsad.narratives.families.DENSE_MAX", 3)  # every cut path
    config = load_config(env={}, overrides=_overrides(db, workers))
    with Store(db) as store:
        analyze([str(news)], config, store, lambda _: None, catalogs=[read_catalog(catalog)])
        rows = {what: list(EXPORTERS[what].rows(store)) for what in COMPARED}
    return json.loads(json.dumps(rows, ensure_ascii=False, default=str))  # as the child's


def test_two_runs_make_the_same_families_narratives_and_matches(
    corpus: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    news, catalog = corpus
    first = _in_process(news, catalog, tmp_path / "one.db", 1, monkeypatch)
    assert len(first["claim-families"]) >= 3  # the three stories (and the shared sentence)
    assert first["narratives"] and first["catalog-matches"]
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(ROOT / "src")}
    env["PYTHONPATH"] += os.pathsep + os.environ.get("PYTHONPATH", "")
    child = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN,
            json.dumps(_overrides(tmp_path / "two.db", 2)),
            str(news),
            str(catalog),
            "2",
            "3",
            ",".join(COMPARED),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    second = json.loads(child.stdout)
    for what in COMPARED:
        assert second[what] == first[what], what


def _two_tight_groups_and_a_chain() -> tuple[dict[str, str], dict[str, Any], list[tuple[str, str]]]:
    """Two tight groups of wordings (mean cosine ~0.9) joined by a chain of weak links."""
    rng = np.random.default_rng(7)
    dim = 24
    left, right = rng.normal(size=dim), rng.normal(size=dim)
    vectors: dict[str, Any] = {}
    for name, centre in (("a", left), ("b", right)):
        for i in range(6):
            v = centre + 0.25 * rng.normal(size=dim)
            vectors[f"{name}{i}"] = (v / np.linalg.norm(v)).astype(np.float16)
    for i, t in enumerate((0.3, 0.5, 0.7)):
        v = (1 - t) * left + t * right + 0.6 * rng.normal(size=dim)
        vectors[f"c{i}"] = (v / np.linalg.norm(v)).astype(np.float16)
    links = [(f"a{i}", f"a{j}") for i in range(6) for j in range(i + 1, 6)]
    links += [(f"b{i}", f"b{j}") for i in range(6) for j in range(i + 1, 6)]
    links += [("a0", "c0"), ("c0", "c1"), ("c1", "c2"), ("c2", "b0")]
    return components(vectors, links), vectors, links


@pytest.mark.parametrize("dense_max", [2048, 4])
def test_split_chains_ignores_the_order_of_roots_and_links(
    dense_max: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(families_module, "DENSE_MAX", dense_max)
    roots, vectors, links = _two_tight_groups_and_a_chain()
    assert len(set(roots.values())) == 1  # one chained component
    expected = split_chains(roots, vectors, 0.6, links)
    shuffle = random.Random(3)
    for _ in range(4):
        keys = list(roots)
        shuffle.shuffle(keys)
        shuffled = links[:]
        shuffle.shuffle(shuffled)
        flipped = [(b, a) if shuffle.random() < 0.5 else (a, b) for a, b in shuffled]
        again = split_chains({k: roots[k] for k in keys}, vectors, 0.6, flipped)
        assert again == expected
    left = {expected[f"a{i}"] for i in range(6)}
    right = {expected[f"b{i}"] for i in range(6)}
    assert len(left) == len(right) == 1 and left != right  # the chain is broken


def test_components_larger_than_the_dense_limit_are_split_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A component of more than DENSE_MAX wordings is cut through its weakest links into
    pieces no larger, clustered, and the clusters clustered again: the two groups part, each
    whole, though each is larger than DENSE_MAX."""
    monkeypatch.setattr(families_module, "DENSE_MAX", 4)
    roots, vectors, links = _two_tight_groups_and_a_chain()
    keys = sorted(roots)
    position = {key: i for i, key in enumerate(keys)}
    edges = np.array(sorted((position[a], position[b]) for a, b in links))
    weights = np.array([float(np.dot(vectors[keys[a]], vectors[keys[b]])) for a, b in edges])
    pieces = cut_weakest_links(len(keys), edges, weights)
    assert all(len(p) <= 4 for p in pieces)
    assert sorted(int(i) for p in pieces for i in p) == list(range(len(keys)))
    assert [int(p[0]) for p in pieces] == sorted(int(p[0]) for p in pieces)
    assert all(list(p) == sorted(p) for p in pieces)
    out = split_chains(roots, vectors, 0.6, links)
    left = {out[f"a{i}"] for i in range(6)}
    right = {out[f"b{i}"] for i in range(6)}
    assert len(left) == len(right) == 1 and left != right


def test_fast_average_linkage_merges_as_the_whole_matrix_does() -> None:
    """The clusters match a plain average linkage that rescans the whole matrix every merge
    (ties included: duplicated vectors)."""
    rng = np.random.default_rng(11)
    for trial in range(12):
        count = int(rng.integers(3, 60))
        centres = rng.normal(size=(int(rng.integers(1, 5)), 12))
        x = centres[rng.integers(0, len(centres), count)] + rng.normal(size=(count, 12))
        if trial % 3 == 0:
            x[count // 2 :] = x[: count - count // 2]
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        keys = [f"k{i:03d}" for i in range(count)]
        vectors = dict(zip(keys, x.astype(np.float16), strict=True))
        points = np.stack([vectors[k] for k in keys]).astype(np.float64)
        found = families_module.average_linkage(points, np.ones(count), 0.5)
        clusters = [[keys[i] for i in cluster] for cluster in found]
        assert sorted(map(sorted, clusters)) == sorted(map(sorted, _plain_linkage(keys, vectors)))


def _plain_linkage(keys: list[str], vectors: dict[str, Any]) -> list[list[str]]:
    matrix = np.stack([vectors[k] for k in keys]).astype(np.float64)
    sums = matrix @ matrix.T
    np.fill_diagonal(sums, -np.inf)
    sizes = np.ones(len(keys))
    clusters: list[list[str]] = [[k] for k in keys]
    alive = np.ones(len(keys), bool)
    while True:
        mean = sums / np.outer(sizes, sizes)
        mean[~alive, :] = mean[:, ~alive] = -np.inf
        i, j = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[i, j] < 0.5:
            return [c for c, a in zip(clusters, alive, strict=True) if a]
        sums[i, :] += sums[j, :]
        sums[:, i] += sums[:, j]
        sums[i, i] = -np.inf
        sizes[i] += sizes[j]
        alive[j] = False
        clusters[i] = clusters[i] + clusters[j]
