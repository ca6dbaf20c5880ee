"""Cleaning of one page, without corpus statistics, measured on real pages and pasted texts.

    python eval/cleaning_eval.py [--split dev|heldout|all] [--show-errors]

Three measures, each per split (``dev``, ``heldout``):

* **stance lines** (every ``arabic_fc_stance`` page with an agree/disagree/discuss label):
  each line the annotators marked as stating the stance (``rationale``) must still be in the
  cleaned article (its title or text). Reported: lines lost.
* **site chrome** on the annotated real pages (``eval/cleaning/pages_fc_stance.jsonl``: the
  article's title, dateline and body spans, marked by hand): a cleaned line is chrome when
  at least half of its characters lie outside the article's spans; a page carries chrome
  when any cleaned line is chrome. Reported: share of article pages with chrome left, share
  of chrome characters kept, share of body characters kept, title and dateline right.
* **pasted texts** (``eval/cleaning/pasted.py``: real SaudiNewsNet articles in the layouts of
  pasted and scraped pages): title right, dateline right (place and agency, or none), every
  widget and teaser line gone, every article line kept.

Every page is read as a ``.txt`` file and cleaned alone (``clean_document`` with no recurring
lines: the per-outlet statistics a corpus gives are not there for a single page).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "attribution"))

from corpora import available, corpus_path, documents

from cleaning.pasted import Case, build
from marsad.clean import clean_document, gazetteer
from marsad.clean.boilerplate import tidy_line
from marsad.clean.dateline import Gazetteer
from marsad.config import Config, load_config
from marsad.ingest import iter_documents
from marsad.normalize import normalize
from marsad.records import Article, Problem, RawDocument

HERE = Path(__file__).resolve().parent
PAGES = HERE / "cleaning" / "pages_fc_stance.jsonl"
CHROME_LINE_SHARE = 0.5  # a cleaned line is chrome when this share of it is outside the article
SPLITS = ("dev", "heldout")


def clean_file(path: Path, config: Config, gaz: Gazetteer) -> Article | None:
    """One file read and cleaned alone (no outlet statistics)."""
    docs = [d for d in iter_documents([str(path)], config) if isinstance(d, RawDocument)]
    if not docs:
        return None
    cleaned = clean_document("page", docs[0], frozenset(), gaz, config)
    return None if isinstance(cleaned, Problem) else cleaned


def _fold_split(fold: str) -> str:
    return "heldout" if fold == "Fold_3" else "dev"


def stance_lines(config: Config, gaz: Gazetteer, folder: Path) -> dict[str, Counter[str]]:
    """Rationale lines kept and lost, per split, over every labelled page."""
    out: dict[str, Counter[str]] = {s: Counter() for s in SPLITS}
    seen: set[str] = set()
    for doc, page in documents("fc_stance").items():
        if page["stance"] == "unrelated" or not page["rationale"]:
            continue
        lines = page["text"].split("\n")
        wanted = [lines[i] for i in json.loads(page["rationale"]) if i < len(lines)]
        key = page["text"][:200] + page["rationale"]
        if key in seen:
            continue
        seen.add(key)
        path = folder / f"stance-{doc}.txt"
        path.write_text(page["text"], encoding="utf-8")
        article = clean_file(path, config, gaz)
        kept = normalize(f"{article.title or ''}\n{article.text}") if article else ""
        split = _fold_split(page["fold"])
        for line in wanted:
            ok = bool(line.strip()) and normalize(tidy_line(line)) in kept
            out[split]["kept" if ok else "lost"] += 1
            if not ok:
                out[split][f"lost:{doc}"] += 1
    return out


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> int:
    return sum(max(0, min(end, b) - max(start, a)) for a, b in spans)


def chrome(config: Config, gaz: Gazetteer, folder: Path) -> dict[str, dict[str, Any]]:
    """Chrome left, body kept, title and dateline right on the annotated pages."""
    out: dict[str, dict[str, Any]] = {
        s: {"pages": 0, "with_chrome": 0, "chrome_chars": 0, "kept_chrome": 0, "body_chars": 0,
            "kept_body": 0, "titles": 0, "title_ok": 0, "datelines": 0, "dateline_ok": 0,
            "errors": []}
        for s in SPLITS
    }  # fmt: skip
    if not PAGES.is_file():
        return out
    pages = documents("fc_stance")
    for line in PAGES.read_text("utf-8").splitlines():
        ann = json.loads(line)
        if ann.get("kind", "article") != "article":
            continue
        text = pages[ann["doc"]]["text"]
        path = folder / f"page-{ann['doc']}.txt"
        path.write_text(text, encoding="utf-8")
        article = clean_file(path, config, gaz)
        stats = out[ann["split"]]
        stats["pages"] += 1
        keep = [tuple(s) for s in ann["body"]] + [
            tuple(ann[k]) for k in ("title", "dateline") if ann.get(k)
        ]
        body = [tuple(s) for s in ann["body"]]
        total_body = sum(b - a for a, b in body)
        stats["body_chars"] += total_body
        stats["chrome_chars"] += len(text) - _covered(keep, 0, len(text))  # type: ignore[arg-type]
        if article is None:
            stats["errors"].append((ann["doc"], "no article left"))
            continue
        chrome_lines = _chrome_lines(text, article, keep, body, stats)  # type: ignore[arg-type]
        if chrome_lines:
            stats["with_chrome"] += 1
            stats["errors"].append((ann["doc"], f"{len(chrome_lines)} chrome lines left"))
        _title_and_dateline(ann, text, article, stats)
    return out


def _chrome_lines(
    text: str,
    article: Article,
    keep: list[tuple[int, int]],
    body: list[tuple[int, int]],
    stats: dict[str, Any],
) -> list[str]:
    """Cleaned lines that are mostly outside the article (located in the raw page, in
    order); kept characters are counted once each, whatever repeats."""
    inside = bytearray(len(text))
    for a, b in keep:
        inside[a:b] = b"\x01" * (b - a)
    in_body = bytearray(len(text))
    for a, b in body:
        in_body[a:b] = b"\x01" * (b - a)
    kept = bytearray(len(text))
    found = []
    cursor = 0
    for line in article.text.split("\n"):
        piece = line.strip()
        at = text.find(piece, cursor) if piece else -1
        if at < 0:
            at = text.find(piece) if piece else -1
        if at < 0:
            continue
        cursor = at + len(piece)
        kept[at : at + len(piece)] = b"\x01" * len(piece)
        outside = len(piece) - sum(inside[at : at + len(piece)])
        if outside >= CHROME_LINE_SHARE * len(piece):
            found.append(piece)
    stats["kept_body"] += sum(1 for k, i in zip(kept, in_body, strict=True) if k and i)
    stats["kept_chrome"] += sum(1 for k, i in zip(kept, inside, strict=True) if k and not i)
    return found


def _title_and_dateline(
    ann: dict[str, Any], text: str, article: Article, stats: dict[str, Any]
) -> None:
    if ann.get("title"):
        stats["titles"] += 1
        want = normalize(tidy_line(text[ann["title"][0] : ann["title"][1]]))
        got = normalize(tidy_line(article.title or ""))
        if got and (got == want or got in want or want in got):
            stats["title_ok"] += 1
        else:
            stats["errors"].append((ann["doc"], "title"))
    if ann.get("dateline"):
        stats["datelines"] += 1
        want = normalize(text[ann["dateline"][0] : ann["dateline"][1]])
        dl = article.dateline
        if dl and any(p and normalize(p) in want for p in (dl.place, dl.agency)):
            stats["dateline_ok"] += 1
        else:
            stats["errors"].append((ann["doc"], "dateline"))


def pasted(config: Config, gaz: Gazetteer, folder: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {
        s: {"cases": 0, "title_ok": 0, "dateline_ok": 0, "both_ok": 0, "chrome_gone": 0,
            "body_kept": 0, "errors": []}
        for s in SPLITS
    }  # fmt: skip
    for case in build(corpus_path("snn")):
        # the article lines that cleaning keeps from the record alone (its title, then its
        # content): the layout around them must not cost any of them
        bare = folder / f"{case.id}-bare.txt"
        bare.write_text(f"{case.title}\n" + "\n".join(case.body) + "\n", encoding="utf-8")
        alone = clean_file(bare, config, gaz)
        kept = set(alone.text.split("\n")) if alone else set()
        case.body = [line for line in case.body if tidy_line(line) in kept]
        path = folder / f"{case.id}.txt"
        path.write_text(case.text, encoding="utf-8")
        article = clean_file(path, config, gaz)
        stats = out[case.split]
        stats["cases"] += 1
        _score_case(case, article, stats)
    return out


def _score_case(case: Case, article: Article | None, stats: dict[str, Any]) -> None:
    if article is None:
        stats["errors"].append((case.id, case.layout, "no article"))
        return
    title_ok = tidy_line(article.title or "") == tidy_line(case.title)
    dl = article.dateline
    if case.place is None:
        dateline_ok = dl is None or (dl.place is None and dl.agency is None)
    else:
        dateline_ok = (
            dl is not None
            and normalize(dl.place or "") == normalize(case.place)
            and normalize(dl.agency or "") == normalize(case.agency or "")
        )
    kept = f"{article.title or ''}\n{article.text}".split("\n")
    chrome_gone = not any(tidy_line(line) in kept for line in case.chrome)
    body_kept = all(tidy_line(line) in kept for line in case.body)
    stats["title_ok"] += title_ok
    stats["dateline_ok"] += dateline_ok
    stats["both_ok"] += title_ok and dateline_ok
    stats["chrome_gone"] += chrome_gone
    stats["body_kept"] += body_kept
    for ok, what in ((title_ok, "title"), (dateline_ok, "dateline"), (chrome_gone, "chrome"),
                     (body_kept, "body")):  # fmt: skip
        if not ok:
            stats["errors"].append((case.id, case.layout, what))


def evaluate() -> dict[str, Any] | None:
    """Every measure, or ``None`` when the shared data is not there."""
    if not (available("fc_stance") and available("snn")):
        return None
    config = load_config(env={})
    gaz = gazetteer(config.clean, [])
    with tempfile.TemporaryDirectory(prefix="marsad-cleaning-") as tmp:
        folder = Path(tmp) / "pages"  # the folder name is the outlet: the same for every page
        folder.mkdir()
        return {
            "stance": stance_lines(config, gaz, folder),
            "chrome": chrome(config, gaz, folder),
            "pasted": pasted(config, gaz, folder),
        }


def summary(result: dict[str, Any], split: str) -> dict[str, float]:
    """The headline figures of one split (``all`` sums both)."""
    splits = SPLITS if split == "all" else (split,)
    stance = Counter[str]()
    for s in splits:
        stance.update({k: v for k, v in result["stance"][s].items() if ":" not in k})
    ch = Counter[str]()
    pa = Counter[str]()
    for s in splits:
        ch.update({k: v for k, v in result["chrome"][s].items() if k != "errors"})
        pa.update({k: v for k, v in result["pasted"][s].items() if k != "errors"})

    def share(a: float, b: float) -> float:
        return round(a / b, 4) if b else 0.0

    return {
        "stance_lines": stance["kept"] + stance["lost"],
        "stance_lines_lost": stance["lost"],
        "pages": ch["pages"],
        "pages_with_chrome": share(ch["with_chrome"], ch["pages"]),
        "chrome_chars_kept": share(ch["kept_chrome"], ch["chrome_chars"]),
        "body_chars_kept": share(ch["kept_body"], ch["body_chars"]),
        "page_title_right": share(ch["title_ok"], ch["titles"]),
        "page_dateline_right": share(ch["dateline_ok"], ch["datelines"]),
        "pasted_cases": pa["cases"],
        "pasted_title_right": share(pa["title_ok"], pa["cases"]),
        "pasted_dateline_right": share(pa["dateline_ok"], pa["cases"]),
        "pasted_title_and_dateline_right": share(pa["both_ok"], pa["cases"]),
        "pasted_chrome_gone": share(pa["chrome_gone"], pa["cases"]),
        "pasted_body_kept": share(pa["body_kept"], pa["cases"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    result = evaluate()
    if result is None:
        print("shared data not found (claims/arabic_fc_stance, news/saudinewsnet): skipped")
        return 0
    for split in (*SPLITS, "all") if args.split == "all" else (args.split,):
        print(f"[{split}]")
        for key, value in summary(result, split).items():
            print(f"  {key:<34} {value}")
    if args.show_errors:
        for part in ("chrome", "pasted"):
            for split in SPLITS:
                for error in result[part][split]["errors"]:
                    print(part, split, *error)
        for split in SPLITS:
            lost = [k for k in result["stance"][split] if k.startswith("lost:")]
            print("stance lines lost", split, lost)
    return 0


if __name__ == "__main__":
    sys.exit(main())
