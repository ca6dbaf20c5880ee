"""Fixtures of the web tests: the demo corpus (with its catalogue) plus two articles written
for these tests, analysed once per session, and a real server on a free loopback port."""

from __future__ import annotations

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
