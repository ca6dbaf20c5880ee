"""Fixtures of the web tests: the demo corpus (with its catalogue) plus articles and a
catalogue written for these tests (hostile markup, URLs and spreadsheet formulas), analysed
once per session, and a real server on a free loopback port."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner

from marsad.cli import main
from marsad.web.app import WebOptions, create_app
from tests.conftest import DEMO, DEMO_MAX_FILE_SIZE, ROOT

CATALOG = ROOT / "examples" / "catalog" / "demo_catalog.csv"
XSS_OUTLET = '<img src=x onerror="window.__xss=1">'
XSS_TITLE = "<script>window.__xss=1</script> عنوان تجريبي"
XSS_TEXT = (
    'أعلنت اللجنة أن النص يحتوي <img src=x onerror="window.__xss=1"> و<script>window.__xss=1'
    "</script> ولا يجوز أن يُنفَّذ في أي صفحة من صفحات المنصة.\n"
    "وقال المتحدث إن الاختبار يجري على نصوص مكتوبة لهذا الغرض فقط."
)
DIACRITISED_TEXT = (
    "أَعْلَنَتْ وِزَارَةُ الزِّرَاعَةِ عَنْ إِطْلَاقِ مُبَادَرَةٍ لِتَشْجِيرِ الطُّرُقَاتِ فِي الْمُحَافَظَاتِ "
    "الشَّمَالِيَّةِ، وَقَالَ الْمُتَحَدِّثُ بِاسْمِهَا إِنَّ الْمُبَادَرَةَ تَشْمَلُ غَرْسَ أَلْفِ شَجَرَةِ زَيْتُونٍ.\n"
    "وأضاف أن المرحلة الأولى تبدأ في الأسبوع المقبل بمشاركة متطوعين من البلدات المجاورة."
)
TOKEN = "s3cret-test-token"
# Articles whose URL, outlet and title are hostile: a URL that is not http(s) must never become
# a link, a cell that starts like a formula must reach a spreadsheet as text.
HOSTILE_URLS = (
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://news.example/ok",
)
FORMULA_OUTLETS = (
    '=HYPERLINK("http://evil.example","x")',
    "+بوابة الجمع",
    "-صحيفة الطرح",
    "@وكالة الإشارة",
    "=1+1",
    "نشرة الأخبار",
)
FORMULA_TITLE = '=HYPERLINK("http://evil.example","click") حملة لتنظيف مجرى النهر'
HOSTILE_TEXTS = (
    "أعلنت بلدية مدينة النخيل أن حملة تنظيف مجرى النهر ستبدأ صباح السبت المقبل بمشاركة مئتي "
    "متطوع.\nوقال رئيس البلدية إن الحملة تستمر أسبوعين وتشمل إزالة النفايات من الضفتين.",
    "قال مدير مستشفى الواحة إن قسم الطوارئ الجديد سيفتح أبوابه للمرضى مطلع الشهر القادم بعد "
    "اكتمال تجهيزه.\nوأضاف أن القسم يضم أربعين سريراً وغرفتي عمليات.",
    "ذكرت نقابة المعلمين أن امتحانات نهاية العام ستؤجل أسبوعاً واحداً بسبب موجة الحر التي تضرب "
    "البلاد.\nوأوضحت النقابة أن القرار اتخذ بالتنسيق مع وزارة التربية.",
    "أفاد مزارعون في سهل الغاب بأن محصول القمح هذا الموسم تراجع إلى النصف بسبب قلة الأمطار."
    "\nوطالب المزارعون بتعويضات عاجلة من الجهات المعنية.",
    "افتتحت مكتبة البلدية العامة قاعة جديدة للمطالعة مخصصة للأطفال تضم ثلاثة آلاف كتاب.\n"
    "وقالت مديرة المكتبة إن القاعة تفتح يومياً من التاسعة صباحاً حتى الخامسة مساءً.",
    "أطلقت شركة النقل العام خطاً جديداً للحافلات يربط الجامعة بمحطة القطار المركزية.\n"
    "وأوضحت الشركة أن الحافلات تعمل كل ربع ساعة طوال أيام الأسبوع.",
)
# Catalogue entries matching the first four articles; (id, title, url)
HOSTILE_ENTRIES = (
    (
        "H-1",
        '=HYPERLINK("http://evil.example","x") حملة تنظيف مجرى النهر تبدأ السبت بمشاركة مئتي متطوع',
        "javascript:alert(document.domain)",
    ),
    ("H-2", "قسم الطوارئ الجديد في مستشفى الواحة يفتح مطلع الشهر القادم", "JaVaScRiPt:alert(1)"),
    ("H-3", "تأجيل امتحانات نهاية العام أسبوعاً بسبب موجة الحر", "data:text/html,x"),
    (
        "H-4",
        "تراجع محصول القمح في سهل الغاب إلى النصف بسبب قلة الأمطار",
        "https://factcheck.example/h-4",
    ),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_hostile(folder: Path, catalog: Path) -> Path:
    """The hostile articles as a JSON Lines file in ``folder``; their catalogue at ``catalog``."""
    folder.mkdir(parents=True)
    records = [
        {
            "title": FORMULA_TITLE if n == 0 else "-" + text.split("\n")[0][:40],
            "text": text,
            "url": url,
            "outlet": outlet,
            "published": f"2025-09-2{n}T10:00:00",
        }
        for n, (text, url, outlet) in enumerate(
            zip(HOSTILE_TEXTS, HOSTILE_URLS, FORMULA_OUTLETS, strict=True)
        )
    ]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (folder / "records.jsonl").write_text(lines, "utf-8")
    with catalog.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "language", "url"])
        writer.writerows((key, title, "ar", url) for key, title, url in HOSTILE_ENTRIES)
    return catalog


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus with narratives and catalogue matches, plus the test articles."""
    folder = tmp_path_factory.mktemp("webcorpus")
    corpus = folder / "corpus"
    shutil.copytree(DEMO, corpus / "demo")
    (corpus / XSS_OUTLET).mkdir()
    (corpus / XSS_OUTLET / "xss.txt").write_text(f"{XSS_TITLE}\n{XSS_TEXT}\n", "utf-8")
    (corpus / "بوابة الريف").mkdir()
    (corpus / "بوابة الريف" / "trees.txt").write_text(
        f"مبادرة لتشجير الطرقات\n{DIACRITISED_TEXT}\n", "utf-8"
    )
    hostile_catalog = write_hostile(corpus / "hostile", folder / "hostile_catalog.csv")
    db = folder / "web.db"
    result = CliRunner().invoke(
        main,
        [
            "analyze",
            str(corpus),
            "--db",
            str(db),
            "--max-file-size",
            DEMO_MAX_FILE_SIZE,
            "--catalog",
            str(CATALOG),
            "--catalog",
            str(hostile_catalog),
        ],
        env={"MARSAD_PIPELINE_WORKERS": "1"},
    )
    assert result.exit_code == 0, result.output
    return db


@dataclass
class Server:
    url: str
    thread: threading.Thread
    server: uvicorn.Server


def start_server(options: WebOptions) -> Server:
    port = free_port()
    config = uvicorn.Config(create_app(options), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    return Server(f"http://127.0.0.1:{port}", thread, server)


@pytest.fixture(scope="session")
def server(web_db: Path) -> Iterator[Server]:
    running = start_server(WebOptions(web_db))
    yield running
    running.server.should_exit = True
    running.thread.join(10)


@pytest.fixture(scope="session")
def token_server(web_db: Path) -> Iterator[Server]:
    running = start_server(WebOptions(web_db, token=TOKEN))
    yield running
    running.server.should_exit = True
    running.thread.join(10)


# -- checks shared by the server, report and export tests ----------------------------------------
LINK_ATTR_RE = re.compile(
    r"""\b(?:href|src|action|formaction|xlink:href)\s*=\s*(["'])(.*?)\1""", re.I
)
SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def unsafe_links(page: str) -> list[str]:
    """Link targets in ``page`` that are neither local (path, ``#``, ``?``) nor ``http(s)``:
    another scheme, ``//host``, or a leading space or control character."""
    bad = []
    for _, raw in LINK_ATTR_RE.findall(page):
        target = html.unescape(raw)
        scheme = SCHEME_RE.match(target)
        if (
            target[:1].isspace()
            or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)
            or target.startswith(("//", "\\", "/\\"))
            or (scheme is not None and scheme.group(1).lower() not in ("http", "https"))
        ):
            bad.append(target)
    return bad


def formula_cells(text: str) -> list[str]:
    """CSV cells a spreadsheet would run: starting with = + @ tab CR, or with - and not a
    number."""
    bad = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if not cell.startswith(FORMULA_START):
                continue
            try:
                float(cell)
            except ValueError:
                bad.append(cell)
            else:
                if not cell.startswith("-"):
                    bad.append(cell)
    return bad
