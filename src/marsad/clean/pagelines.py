"""Where the article lies on one scraped or pasted page: a line classifier and a block decoder.

A page saved whole (a ``.txt`` of a web page, an HTML page the extractor could not trim)
carries site chrome around the article: a search box and menu above it, share and follow
widgets, credits, teasers of other stories, a rights notice and a footer below it. With no
other pages of the outlet to give line statistics, each line is scored alone from what it
looks like (length, punctuation, the density of Arabic function words as in jusText, words
of site chrome, its place on the page, its neighbours) by a small logistic model trained on
real pages (``tools/train_page_lines.py``, card in ``docs/models/page_lines.md``), and the
article is the contiguous run of lines with the highest total score (a maximum-sum block).
Lines above and below that run are removed and listed in the audit of removed lines; lines
inside it stay, so nothing in the middle of an article is lost to a doubtful score; only a
line made of navigation words (a menu) goes wherever it stands.

The model is a handful of weights in ``data/models/page-lines.json``; scoring is plain Python
over a page's few dozen lines, and the decoder is linear in the number of lines.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from marsad.clean.dates import find_date
from marsad.normalize import normalize
from marsad.text import stopwords

MODEL_FILE = "page-lines.json"
SENTENCE_END = (".", "!", "؟", "?", "…", "»", '"', ")")
_STOPS = (".", "!", "؟", "?")
_TOKEN_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_ARABIC_RE = re.compile(r"[\u0621-\u064a]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_DIGIT_RE = re.compile(r"[0-9\u0660-\u0669]")
_PUNCT_RE = re.compile(r"[.!؟?،,؛;:]")
_SEPARATOR_RE = re.compile(r"[|»«/\\•*#@_=+<>~^]|\s-\s")
_REPORTING_RE = re.compile(
    r"\b(و|ف)?(قال|قالت|اضاف|اضافت|اكد|اكدت|اعلن|اعلنت|ذكر|ذكرت|اشار|اشارت|اوضح|اوضحت|"
    r"افاد|افادت|نقل|نقلت|كشف|كشفت|تابع|تابعت|لفت|لفتت|شدد|شددت|يقول|تقول|بحسب|وفق)\b"
)
# Words of site chrome (normalised, ar-norm-v1): navigation, accounts, sharing, subscribing,
# rights, comments, related stories, contact and advertising. Not article words.
CHROME_WORDS = frozenset(
    [
        "الرئيسيه",
        "القائمه",
        "الصفحه",
        "الصفحات",
        "القسم",
        "الاقسام",
        "ارشيف",
        "الارشيف",
        "بحث",
        "البحث",
        "ابحث",
        "تصفح",
        "تسجيل",
        "الدخول",
        "دخول",
        "خروج",
        "حساب",
        "حسابك",
        "كلمه",
        "المرور",
        "مرور",
        "اشترك",
        "اشتراك",
        "الاشتراك",
        "اشتركوا",
        "للاشتراك",
        "النشره",
        "البريديه",
        "البريد",
        "الالكتروني",
        "الالكترونيه",
        "ايميل",
        "بريدك",
        "تابعونا",
        "تابعوا",
        "تابعنا",
        "انضم",
        "انضموا",
        "فيسبوك",
        "الفيسبوك",
        "فيس",
        "بوك",
        "تويتر",
        "يوتيوب",
        "انستغرام",
        "انستجرام",
        "واتساب",
        "واتس",
        "تلغرام",
        "تليغرام",
        "لينكد",
        "شارك",
        "شاركها",
        "مشاركه",
        "انشر",
        "ارسل",
        "لصديق",
        "طباعه",
        "اطبع",
        "نسخ",
        "الرابط",
        "رابط",
        "روابط",
        "تعليق",
        "تعليقات",
        "التعليقات",
        "علق",
        "اضف",
        "اكتب",
        "تعليقك",
        "ردود",
        "رد",
        "الرد",
        "اقرا",
        "ايضا",
        "طالع",
        "المزيد",
        "التالي",
        "السابق",
        "ذات",
        "صله",
        "متعلقه",
        "مقالات",
        "مواضيع",
        "الاكثر",
        "قراءه",
        "مشاهده",
        "تداولا",
        "متداوله",
        "شيوعا",
        "الاحدث",
        "احدث",
        "الوسوم",
        "وسوم",
        "كلمات",
        "مفتاحيه",
        "تصنيفات",
        "التصنيف",
        "حقوق",
        "محفوظه",
        "محفوظة",
        "الحقوق",
        "النشر",
        "سياسه",
        "الخصوصيه",
        "الاستخدام",
        "شروط",
        "اتفاقيه",
        "الكوكيز",
        "اتصل",
        "بنا",
        "اتصلوا",
        "نحن",
        "للاعلان",
        "اعلن",
        "الاعلانات",
        "اعلانات",
        "اعلان",
        "الوظائف",
        "تحميل",
        "التطبيق",
        "تطبيق",
        "حمل",
        "متجر",
        "home",
        "menu",
        "search",
        "login",
        "log",
        "sign",
        "subscribe",
        "newsletter",
        "follow",
        "share",
        "print",
        "email",
        "comments",
        "comment",
        "reply",
        "tags",
        "tag",
        "related",
        "read",
        "more",
        "next",
        "previous",
        "copyright",
        "rights",
        "reserved",
        "privacy",
        "policy",
        "cookies",
        "terms",
        "contact",
        "advertise",
        "about",
        "facebook",
        "twitter",
        "whatsapp",
        "telegram",
        "instagram",
        "youtube",
        "linkedin",
        "rss",
        "skip",
        "navigation",
    ]
)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    words = {normalize(w) for w in stopwords()}
    # the clitic-bearing forms most frequent in running Arabic prose
    words.update(("وفي", "ومن", "وان", "وقد", "والتي", "الذي", "التي", "هذا", "هذه", "ذلك"))
    words.update(("كما", "ولا", "لم", "لن", "قد", "ما", "لا", "الا", "اذا", "حيث", "هو", "هي"))
    return frozenset(words)


@dataclass(frozen=True)
class _Line:
    """The per-line measures the features are built from."""

    chars: int
    words: int
    end: bool
    punct: float
    arabic: float
    latin: float
    digits: float
    stop: float
    chrome: float
    chrome_any: bool
    menu: bool  # three words of chrome or more, at least 30% of the line, no sentence end
    separators: float
    reporting: bool
    date: bool
    repeated: bool


def _measure(line: str, seen: dict[str, int]) -> _Line:
    n = max(1, len(line))
    folded = normalize(line)
    tokens = _TOKEN_RE.findall(folded)
    nt = max(1, len(tokens))
    stop = _stopwords()
    chrome_hits = sum(1 for t in tokens if t.lower() in CHROME_WORDS)
    return _Line(
        chars=len(line),
        words=len(line.split()),
        end=line.rstrip().endswith(SENTENCE_END),
        punct=len(_PUNCT_RE.findall(line)) * 100 / n,
        arabic=len(_ARABIC_RE.findall(line)) / n,
        latin=len(_LATIN_RE.findall(line)) / n,
        digits=len(_DIGIT_RE.findall(line)) / n,
        stop=sum(1 for t in tokens if t in stop) / nt,
        chrome=chrome_hits / nt,
        chrome_any=chrome_hits > 0,
        menu=chrome_hits >= 3 and chrome_hits / nt >= 0.3 and not line.rstrip().endswith(_STOPS),
        separators=len(_SEPARATOR_RE.findall(line)) / nt,
        reporting=bool(_REPORTING_RE.search(folded)),
        date=len(line) <= 300 and find_date(line) is not None,
        repeated=seen.get(folded, 0) > 1,
    )


def _own(m: _Line) -> list[float]:
    length = math.log1p(m.chars) / 7
    return [
        length,
        length * length,
        math.log1p(m.words) / 6,
        float(m.end),
        min(m.punct, 5.0) / 5,
        m.arabic,
        m.latin,
        m.digits,
        m.stop,
        m.stop * length,
        m.chrome,
        float(m.chrome_any),
        float(m.menu),
        min(m.separators, 1.0),
        float(m.reporting),
        float(m.date),
        float(m.repeated),
    ]


OWN_FEATURES = 17
PLACE_FEATURES = 9
MENU_FEATURE = PLACE_FEATURES + 11  # the `menu` measure in a line's own features


LEXICAL_BUCKETS = 1024


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % LEXICAL_BUCKETS


def lexical(lines: Sequence[str]) -> list[dict[int, float]]:
    """The words of each line (normalised, hashed to ``LEXICAL_BUCKETS`` buckets), each
    weighing 1/sqrt(words) so that long lines do not score by length alone."""
    out = []
    for line in lines:
        tokens = {_bucket(t.lower()) for t in _TOKEN_RE.findall(normalize(line))}
        value = 1 / math.sqrt(len(tokens)) if tokens else 0.0
        out.append(dict.fromkeys(tokens, value))
    return out


def features(lines: Sequence[str]) -> list[list[float]]:
    """One dense feature vector per line: its own measures, its place on the page and the
    measures of its neighbours (two above, two below)."""
    counts: dict[str, int] = {}
    for line in lines:
        key = normalize(line)
        counts[key] = counts.get(key, 0) + 1
    measures = [_measure(line, counts) for line in lines]
    own = [_own(m) for m in measures]
    n = len(lines)
    total = sum(m.chars for m in measures) or 1
    longest = max((m.chars for m in measures), default=1) or 1
    blank = [0.0] * OWN_FEATURES
    out = []
    before = 0
    for i, m in enumerate(measures):
        rel = i / max(1, n - 1)
        place = [
            1.0,
            rel,
            float(i == 0),
            float(i == n - 1),
            min(i, 4) / 4,
            min(n - 1 - i, 4) / 4,
            before / total,
            (total - before - m.chars) / total,
            m.chars / longest,
        ]
        before += m.chars
        near = []
        for j in (i - 2, i - 1, i + 1, i + 2):
            near.extend(own[j] if 0 <= j < n else blank)
            near.append(float(0 <= j < n))
        out.append(place + own[i] + near)
    return out


@dataclass(frozen=True)
class LineModel:
    weights: tuple[float, ...]  # the dense features, then one weight per lexical bucket
    bias: float  # added to every line's score before decoding: > 0 keeps more
    version: str

    def scores(self, lines: Sequence[str]) -> list[float]:
        """Log-odds that each line belongs to the article."""
        dense = features(lines)
        n = len(dense[0]) if dense else 0
        w = self.weights
        out = []
        for row, words in zip(dense, lexical(lines), strict=True):
            score = sum(a * x for a, x in zip(w[:n], row, strict=True))
            score += sum(w[n + b] * v for b, v in words.items())
            out.append(score)
        return out


@lru_cache(maxsize=1)
def load_model() -> LineModel:
    data = json.loads(resources.files("marsad.data.models").joinpath(MODEL_FILE).read_text("utf-8"))
    return LineModel(tuple(data["weights"]), float(data["bias"]), str(data["version"]))


def best_block(scores: Sequence[float]) -> tuple[int, int]:
    """``[start, end)`` of the contiguous run with the highest total score (empty when every
    score is negative)."""
    best, best_span = 0.0, (0, 0)
    run, start = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, start = s, i
        else:
            run += s
        if run > best:
            best, best_span = run, (start, i + 1)
    return best_span


def article_block(lines: Sequence[str], model: LineModel | None = None) -> tuple[int, int]:
    """``[start, end)`` of the article's lines on a page; the whole page when no line scores
    as article (a short note, a page of one paragraph)."""
    if len(lines) < 2:
        return 0, len(lines)
    model = model or load_model()
    start, end = best_block([s + model.bias for s in model.scores(lines)])
    if start >= end:
        return 0, len(lines)
    return start, end


def is_menu(line: str) -> bool:
    """A line of navigation words (three or more, at least 30% of its words, no sentence
    end): chrome wherever it stands on the page."""
    return _measure(line, {}).menu


def page_chrome(lines: Sequence[str], model: LineModel | None = None) -> list[bool]:
    """For each line of a page, whether it is site chrome: outside the article block, or a
    line of navigation words inside it."""
    start, end = article_block(lines, model)
    return [not start <= i < end or is_menu(line) for i, line in enumerate(lines)]
