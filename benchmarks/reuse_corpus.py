"""Synthetic reuse corpora from real Arabic sentences, with planted passages and known truth.

    python benchmarks/reuse_corpus.py --docs 1000 --edit 0.2 --reorder --out /tmp/corpus

Background articles are built from SaudiNewsNet sentences drawn without replacement (so they
share nothing by accident while the pool lasts). Then 15 % of articles become sources: 70 %
of them give a passage of 1-4 consecutive sentences (at least 12 words) planted inside a
paragraph of 1-3 otherwise different articles; 30 % are reprinted whole, wire style, after an
intro sentence of the copy's own. Copies are edited:

* ``edit`` of the passage's words are changed: replaced by another corpus word (55 %),
  dropped (15 %), joined by an inserted word (15 %), or given/stripped a clitic (و / ال, 15 %);
* half of the copies write their numbers in Arabic-Indic digits;
* with ``--reorder``, copies of multi-sentence passages have two adjacent sentences swapped.

Sources are dated 1-3 days before their copies, so direction can be scored too. The truth
lists every pair that shares a planted passage with the character spans on both sides:
``direct`` pairs (source, copy) carry the stated edit rate; ``sibling`` pairs (two copies of
one source) are edited twice and count as true pairs for precision only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from marsad.normalize import arabic_letter_share, normalize
from marsad.reuse.candidates import content_ngrams
from marsad.reuse.tokens import tokenize
from marsad.segment import segment

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"
MIN_SENTENCE_WORDS = 8
MAX_SENTENCE_WORDS = 45
FAMILY_SHARE = 0.15  # families planted per background article
REPRINT_SHARE = 0.3  # families whose copies reprint the whole source (wire style)
MIN_PASSAGE_WORDS = 12  # Marsad's default minimum passage (reuse.min_words)
START = date(2025, 1, 1)
OUTLETS = [
    f"موقع {name}"
    for name in (
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
    )
]
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_WS = re.compile(r"\s+")


def load_sentences(path: Path, limit: int | None = None) -> list[str]:
    """Arabic sentences of 8-45 words from SaudiNewsNet, in file order, with near-duplicates
    left out: SaudiNewsNet is full of wire copy, so a sentence sharing more than one
    content-word trigram with a sentence already taken is skipped (otherwise background
    articles would share real, unplanted passages)."""
    seen: set[str] = set()
    seen_ngrams: set[int] = set()
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["content"]
            for para in text.split("\n"):
                para = _WS.sub(" ", para).strip()
                for start, end in segment(para):
                    sentence = para[start:end]
                    words = len(sentence.split())
                    if not MIN_SENTENCE_WORDS <= words <= MAX_SENTENCE_WORDS:
                        continue
                    if arabic_letter_share(sentence) < 0.9:
                        continue
                    key = normalize(sentence)
                    if key in seen:
                        continue
                    seen.add(key)
                    ngrams = {int(h) for h in content_ngrams(tokenize(sentence), 3)[0]}
                    if len(ngrams & seen_ngrams) > 1:
                        continue
                    seen_ngrams |= ngrams
                    out.append(sentence)
            if limit and len(out) >= limit:
                break
    return out


@dataclass
class Doc:
    key: str
    outlet: str
    day: date
    paragraphs: list[list[str]]  # sentences per paragraph
    inserted: tuple[int, int, str] | None = None  # (paragraph, sentence index, passage text)

    def text(self) -> str:
        return "\n".join(" ".join(p) for p in self.paragraphs)


@dataclass
class Corpus:
    docs: list[Doc]
    truth: list[dict[str, object]] = field(default_factory=list)
    pool_reused: bool = False


def edit_words(words: list[str], rate: float, vocab: list[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    for word in words:
        if rng.random() >= rate:
            out.append(word)
            continue
        op = rng.random()
        if op < 0.55:
            out.append(rng.choice(vocab))
        elif op < 0.70:
            continue
        elif op < 0.85:
            out.extend([word, rng.choice(vocab)])
        elif word.startswith("و") and len(word) > 3:
            out.append(word[1:])
        elif word.startswith("ال"):
            out.append("و" + word)
        else:
            out.append("ال" + word)
    return out


MUTATE = 0.6  # share of words replaced in sentences drawn again after the pool ran out


def _sentences(
    pool: list[str],
    rng: random.Random,
    count: int,
    state: dict[str, int],
    corpus: Corpus,
    vocab: list[str],
) -> list[str]:
    """Draw sentences without replacement; once the pool is used up (very large corpora),
    draw again with MUTATE of the words replaced, so background articles still share no
    12-word passages by accident."""
    out = []
    for _ in range(count):
        if state["next"] >= len(pool):
            rng.shuffle(pool)
            state["next"] = 0
            corpus.pool_reused = True
        sentence = pool[state["next"]]
        state["next"] += 1
        if corpus.pool_reused:
            sentence = " ".join(
                rng.choice(vocab) if rng.random() < MUTATE else w for w in sentence.split()
            )
        out.append(sentence)
    return out


def build(pool: list[str], n_docs: int, edit: float, reorder: bool, seed: int) -> Corpus:
    rng = random.Random(seed)
    pool = list(pool)
    rng.shuffle(pool)
    vocab = sorted({w for s in pool[:20000] for w in s.split() if len(w) > 2})
    corpus = Corpus([])
    state = {"next": 0}
    for i in range(n_docs):
        sentences = _sentences(pool, rng, rng.randint(6, 14), state, corpus, vocab)
        paragraphs, k = [], 0
        while k < len(sentences):
            size = rng.randint(2, 4)
            paragraphs.append(sentences[k : k + size])
            k += size
        day = START + timedelta(days=rng.randint(0, 60))
        corpus.docs.append(Doc(f"doc-{i:06d}", rng.choice(OUTLETS), day, paragraphs))
    _plant(corpus, edit, reorder, vocab, rng)
    return corpus


def _plant(
    corpus: Corpus, edit: float, reorder: bool, vocab: list[str], rng: random.Random
) -> None:
    order = list(range(len(corpus.docs)))
    rng.shuffle(order)
    n_families = int(len(corpus.docs) * FAMILY_SHARE)
    free = iter(order)
    for _ in range(n_families):
        try:
            source = corpus.docs[next(free)]
            targets = [corpus.docs[next(free)] for _ in range(rng.choice([1, 1, 2, 3]))]
        except StopIteration:
            break
        reprint = rng.random() < REPRINT_SHARE
        flat = [(p, s) for p, para in enumerate(source.paragraphs) for s in range(len(para))]
        chosen = flat if reprint else _passage_cells(source, flat, rng)
        original = [source.paragraphs[p][s] for p, s in chosen]
        src_span = _span_of(source, chosen)
        copies = []
        for target in targets:
            pieces = [" ".join(edit_words(s.split(), edit, vocab, rng)) for s in original]
            if reorder and len(pieces) > 1:
                a = rng.randrange(len(pieces) - 1)
                pieces[a], pieces[a + 1] = pieces[a + 1], pieces[a]
            if rng.random() < 0.5:
                pieces = [piece.translate(_INDIC) for piece in pieces]
            target.day = source.day + timedelta(days=rng.randint(1, 3))
            if reprint:  # a wire reprint: the whole story after an intro of the copy's own
                target.paragraphs = [[target.paragraphs[0][0]], pieces]
                cells = [(1, k) for k in range(len(pieces))]
            else:
                p = rng.randrange(len(target.paragraphs))
                s = rng.randint(0, len(target.paragraphs[p]))
                target.paragraphs[p][s:s] = pieces
                cells = [(p, s + k) for k in range(len(pieces))]
            copies.append((target, _span_of(target, cells)))
        for target, span in copies:
            corpus.truth.append(
                {
                    "a": source.key,
                    "b": target.key,
                    "span_a": src_span,
                    "span_b": span,
                    "kind": "direct",
                    "source": source.key,
                    "reprint": reprint,
                }
            )
        for x in range(len(copies)):
            for y in range(x + 1, len(copies)):
                corpus.truth.append(
                    {
                        "a": copies[x][0].key,
                        "b": copies[y][0].key,
                        "span_a": copies[x][1],
                        "span_b": copies[y][1],
                        "kind": "sibling",
                        "source": None,
                        "reprint": reprint,
                    }
                )


def _passage_cells(
    source: Doc, flat: list[tuple[int, int]], rng: random.Random
) -> list[tuple[int, int]]:
    """1-4 consecutive sentences of at least MIN_PASSAGE_WORDS words."""
    want = rng.choice([1, 1, 2, 3, 4])
    first = rng.randrange(0, max(1, len(flat) - want + 1))
    cells = flat[first : first + want]
    k = first + len(cells)
    while sum(len(source.paragraphs[p][s].split()) for p, s in cells) < MIN_PASSAGE_WORDS:
        if k < len(flat):
            cells.append(flat[k])
            k += 1
        elif first > 0:
            first -= 1
            cells.insert(0, flat[first])
        else:
            break
    return cells


def _span_of(doc: Doc, cells: list[tuple[int, int]]) -> list[int]:
    """Character span covering the given (paragraph, sentence) cells of ``doc.text()``."""
    offset = 0
    starts: dict[tuple[int, int], tuple[int, int]] = {}
    for p, para in enumerate(doc.paragraphs):
        for s, sentence in enumerate(para):
            starts[(p, s)] = (offset, offset + len(sentence))
            offset += len(sentence) + 1
    spans = [starts[c] for c in cells]
    return [min(a for a, _ in spans), max(b for _, b in spans)]


def records(corpus: Corpus) -> Iterator[dict[str, str]]:
    for doc in corpus.docs:
        yield {
            "title": f"مقال {doc.key}",
            "text": doc.text(),
            "outlet": doc.outlet,
            "date": doc.day.isoformat(),
            "url": f"https://gen.example/{doc.key}",
        }


def write(corpus: Corpus, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    corpus_path, truth_path = out / "corpus.jsonl", out / "truth.json"
    with open(corpus_path, "w", encoding="utf-8") as fh:
        for record in records(corpus):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    truth_path.write_text(
        json.dumps(
            {
                "pairs": corpus.truth,
                "pool_reused": corpus.pool_reused,
                "texts": {d.key: d.text() for d in corpus.docs},
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return corpus_path, truth_path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--edit", type=float, default=0.1, help="share of words changed")
    parser.add_argument("--reorder", action="store_true", help="swap sentences in copies")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    pool = load_sentences(args.data, limit=args.docs * 12 + 20000)
    corpus = build(pool, args.docs, args.edit, args.reorder, args.seed)
    paths = write(corpus, args.out)
    print(f"{len(corpus.docs)} articles, {len(corpus.truth)} true pairs: {paths[0]} {paths[1]}")


if __name__ == "__main__":
    main()
