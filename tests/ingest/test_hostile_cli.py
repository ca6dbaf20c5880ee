"""End to end: `marsad analyze` on a folder of hostile files beside good ones stores every
good article and one problem per bad item. Texts written for the project."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from click.testing import CliRunner

from marsad.cli import main
from marsad.store import Store

SENTENCES = [
    "أعلنت بلدية المدينة افتتاح جسر جديد فوق النهر",
    "قال مدير المستشفى إن قسم الطوارئ استقبل عشرات المصابين",
    "ارتفعت أسعار الخضار في السوق المركزي بنسبة كبيرة",
    "أكدت وزارة التربية أن الامتحانات ستبدأ في موعدها المحدد",
]


def story(i: int) -> str:
    return f"{SENTENCES[i % len(SENTENCES)]} وفق ما نقله المراسل رقم {i} صباح اليوم."


def line(i: int) -> str:
    return json.dumps({"title": f"عنوان الخبر {i}", "content": story(i)}, ensure_ascii=False)


def test_analyze_hostile_folder(tmp_path: Path) -> None:
    data = tmp_path / "inbox"
    data.mkdir()
    good = 0

    def add_lines(name: str | bytes, numbers: range, extra: bytes = b"") -> None:
        nonlocal good
        body = "".join(line(i) + "\n" for i in numbers).encode() + extra
        with open(os.path.join(os.fsencode(data), os.fsencode(name)), "wb") as fh:
            fh.write(body)
        good += len(numbers)

    add_lines("good.jsonl", range(0, 20))
    add_lines(b"caf\xe9.jsonl", range(20, 23))  # file name not UTF-8
    add_lines("two\nlines.jsonl", range(23, 25))  # file name with a newline
    add_lines("deep.jsonl", range(25, 27), extra=b"[" * 10_000 + b"]" * 10_000 + b"\n")
    add_lines("nul.jsonl", range(27, 29), extra=b'{"content": "\x00\x00"}\n')
    surrogate = '{"title": "مكسور \\ud83d", "content": "' + story(29) + ' \\udc00"}\n'
    (data / "tweets.jsonl").write_text(surrogate, encoding="utf-8")
    good += 1
    mixed = story(30).encode() + b"\n" + story(31).encode("cp1256") + b"\n"
    (data / "mixed.txt").write_bytes(mixed)
    good += 1
    export = {
        "name": "قناة",
        "type": "public_channel",
        "id": 5,
        "messages": [
            {"id": 1, "type": "message", "date": "2025-09-01T10:00:00", "text": story(32)},
            {"id": 2, "type": "message", "date": {"bad": 1}, "text": story(33)},
            {"id": 3, "type": "message", "date": "2025-09-01T11:00:00", "text": 7},
            {"id": 4, "type": "message", "date": "2025-09-01T12:00:00", "text": story(34)},
        ],
    }
    (data / "result.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    good += 2
    bomb = "\n".join(story(100 + i) for i in range(50)) + "\n"
    (data / "bomb.txt.gz").write_bytes(gzip.compress(bomb.encode() * 200))
    good += 1
    (data / "dangling.txt").symlink_to(data / "nowhere.txt")
    (data / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (data / "empty.json").write_text("[]", encoding="utf-8")
    db = tmp_path / "hostile.db"
    result = CliRunner().invoke(
        main,
        ["analyze", str(data), "--db", str(db), "--no-progress"],
        env={"MARSAD_INGEST_MAX_ARTICLE_CHARS": "3000", "MARSAD_PIPELINE_WORKERS": "1"},
    )
    assert result.exit_code == 0, result.output
    with Store(str(db)) as store:
        counts = store.documents.counts()
    assert counts["documents"] == good
    assert counts["articles"] == good
    # deep line, NUL-only record, 2 odd messages, cut bomb, dangling link, binary, empty JSON
    assert counts["problems"] == 8
