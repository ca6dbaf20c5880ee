"""Untrusted input in, a complete store out: each hostile item is one problem line, every
good record beside it still comes out. Files are built here; texts written for the project."""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import marsad.ingest as ingest
from marsad.clean import article_id
from marsad.config import Config
from marsad.ingest import iter_documents
from marsad.ingest import records as records_module
from marsad.ingest import sniff as sniff_module
from marsad.records import Problem, RawDocument, printable

GOOD = [
    "أعلنت بلدية المدينة افتتاح جسر جديد فوق النهر بعد عامين من العمل.",
    "قال مدير المستشفى الوطني إن قسم الطوارئ استقبل عشرات المصابين أمس.",
    "ارتفعت أسعار الخضار في السوق المركزي بنسبة كبيرة خلال الأسبوع الماضي.",
    "أكدت وزارة التربية أن الامتحانات ستبدأ في موعدها المحدد الشهر المقبل.",
]


def read(inputs: list[Path | str], config: Config) -> tuple[list[RawDocument], list[Problem]]:
    items = list(iter_documents([str(i) for i in inputs], config))
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = [i for i in items if isinstance(i, Problem)]
    for item in docs:
        assert_safe(item.source)
        for value in (item.text, item.title, item.url, item.outlet, item.author, *item.links):
            if value is not None:
                value.encode("utf-8")
        article_id(item)
    for problem in problems:
        assert_safe(problem.source)
        assert "\n" not in problem.line() and "\r" not in problem.line()
        problem.line().encode("utf-8")
    return docs, problems


def assert_safe(source: str) -> None:
    source.encode("utf-8")
    assert source == printable(source)


def record(i: int, **extra: object) -> str:
    body = {
        "title": f"خبر رقم {i}",
        "content": GOOD[i % len(GOOD)],
        "url": f"https://w.example/{i}",
    }
    return json.dumps({**body, **extra}, ensure_ascii=False)


def jsonl(count: int, start: int = 0) -> str:
    return "".join(record(i) + "\n" for i in range(start, start + count))


def good_file(folder: Path, count: int = 3) -> None:
    (folder / "good.jsonl").write_text(jsonl(count), encoding="utf-8")


# --- files and folders -------------------------------------------------------------------


def test_broken_links_and_link_loops_are_problems(tmp_path: Path, config: Config) -> None:
    good_file(tmp_path)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "no-such-target.txt")
    (tmp_path / "loop-a.txt").symlink_to(tmp_path / "loop-b.txt")
    (tmp_path / "loop-b.txt").symlink_to(tmp_path / "loop-a.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a folder link back to the root
    docs, problems = read([tmp_path], config)
    assert len(docs) == 3
    kinds = {Path(p.source).name: p.kind for p in problems}
    assert kinds == {
        "dangling.txt": "unreadable",
        "loop-a.txt": "unreadable",
        "loop-b.txt": "unreadable",
        "up": "duplicate",
    }
    messages = {Path(p.source).name: p.message for p in problems}
    assert "broken symbolic link" in messages["dangling.txt"]
    assert "loop" in messages["loop-a.txt"]


def test_top_level_broken_link_is_a_problem(tmp_path: Path, config: Config) -> None:
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    docs, problems = read([tmp_path / "gone.jsonl"], config)
    assert docs == [] and [p.kind for p in problems] == ["unreadable"]


def test_unreadable_file_and_folder(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_file(tmp_path)
    (tmp_path / "locked.txt").write_text(GOOD[0], encoding="utf-8")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.txt").write_text(GOOD[1], encoding="utf-8")
    real_open, real_scandir = open, os.scandir

    def fake_open(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("locked.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    def fake_scandir(path: object) -> object:
        if str(path).endswith("closed"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[type-var]

    monkeypatch.setattr(sniff_module, "open", fake_open, raising=False)
    monkeypatch.setattr(ingest.os, "scandir", fake_scandir)
    docs, problems = read([tmp_path], config)
    assert len(docs) == 3
    assert {Path(p.source).name: p.kind for p in problems} == {
        "closed": "unreadable",
        "locked.txt": "unreadable",
    }
    assert all("permission denied" in p.message for p in problems)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_by_mode(tmp_path: Path, config: Config) -> None:
    good_file(tmp_path)
    (tmp_path / "locked.txt").write_text(GOOD[0], encoding="utf-8")
    (tmp_path / "locked.txt").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed").chmod(0)
    try:
        docs, problems = read([tmp_path], config)
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert len(docs) == 3
    assert sorted(p.kind for p in problems) == ["unreadable", "unreadable"]


def test_pipe_in_a_folder_is_not_read(tmp_path: Path, config: Config) -> None:
    good_file(tmp_path)
    os.mkfifo(tmp_path / "pipe.txt")
    docs, problems = read([tmp_path], config)
    assert len(docs) == 3
    assert [(Path(p.source).name, p.kind) for p in problems] == [("pipe.txt", "unreadable")]


def test_odd_file_names_give_printable_sources(tmp_path: Path, config: Config) -> None:
    folder = os.fsencode(tmp_path)
    latin = os.path.join(folder, b"caf\xe9.jsonl")
    with open(latin, "w", encoding="utf-8") as fh:
        fh.write(jsonl(2))
    with open(os.path.join(folder, b"two\nlines\x1b[31m.txt"), "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    docs, problems = read([tmp_path], config)
    assert len(docs) == 2
    assert docs[0].source.endswith("caf\\xe9.jsonl#L1")
    assert len(problems) == 1 and problems[0].kind == "binary"
    assert problems[0].source.endswith("two\\nlines\\x1b[31m.txt")
    assert problems[0].line().count(": ") == 1


def test_problem_line_escapes_control_characters() -> None:
    problem = Problem("a\nb.txt", "malformed", "bad\nforged.txt: fine\x1b[0m", "skipped")
    assert problem.line() == "a\\nb.txt: bad\\nforged.txt: fine\\x1b[0m (malformed; skipped)"


# --- texts that cannot be encoded ---------------------------------------------------------


def test_lone_surrogates_are_replaced_in_every_field(tmp_path: Path, config: Config) -> None:
    bad = (
        '{"title": "عنوان \\ud800", "content": "نص الخبر عن المطر \\udc00 والسيول", '
        '"url": "https://w.example/\\ud83d", "author": "مراسل \\udfff", '
        '"outlet": "وكالة \\ud800", "links": ["https://l.example/\\udbff"]}'
    )
    emoji = '{"content": "خبر مع رمز \\ud83d\\ude00 سليم في آخره"}'
    (tmp_path / "tweets.jsonl").write_text(f"{record(0)}\n{bad}\n{emoji}\n", encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert problems == [] and len(docs) == 3
    assert docs[1].title == "عنوان \ufffd" and "\ufffd" in docs[1].text
    assert docs[1].links == ["https://l.example/\ufffd"]
    assert "😀" in docs[2].text


def test_lone_surrogate_in_telegram_export(tmp_path: Path, config: Config) -> None:
    export = telegram_export([message(1, "رسالة سليمة عن الطقس"), message(2, "رمز مكسور ")])
    text = json.dumps(export, ensure_ascii=True).replace("\\u0645\\u0643\\u0633", "\\ud83d")
    (tmp_path / "result.json").write_text(text, encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert problems == [] and len(docs) == 2 and "\ufffd" in docs[1].text


# --- NUL bytes and mixed encodings --------------------------------------------------------


def test_nul_bytes_do_not_make_text_binary(tmp_path: Path, config: Config) -> None:
    lines = jsonl(3).encode("utf-8").split(b"\n")
    lines[1] = lines[1][:20] + b"\x00" + lines[1][20:]
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines))
    csv_text = f'title,content\n"خبر","{GOOD[0]}"\n"خبر آخر","{GOOD[1]}"\n'.encode()
    (tmp_path / "b.csv").write_bytes(csv_text.replace("آخر".encode(), "آخر\x00".encode()))
    (tmp_path / "c.txt").write_bytes(f"{GOOD[2]}\n\x00\n{GOOD[3]}".encode())
    docs, problems = read([tmp_path], config)
    assert problems == []
    assert [d.format for d in docs] == ["jsonl"] * 3 + ["csv"] * 2 + ["txt"]
    assert all("\x00" not in d.text for d in docs)
    assert docs[4].title == "خبر آخر"


def test_real_binary_is_still_refused(tmp_path: Path, config: Config) -> None:
    (tmp_path / "noise.jsonl").write_bytes(bytes((i * 7919) % 256 for i in range(5000)))
    (tmp_path / "zeros.txt.gz").write_bytes(gzip.compress(bytes(100_000)))
    good_file(tmp_path)
    docs, problems = read([tmp_path], config)
    assert len(docs) == 3
    assert [p.kind for p in problems] == ["binary", "binary"]


def test_mixed_utf8_and_windows_1256_lines(tmp_path: Path, config: Config) -> None:
    data = b"".join((record(i) + "\n").encode("cp1256" if i % 2 else "utf-8") for i in range(6))
    (tmp_path / "mixed.jsonl").write_bytes(data)
    article = f"{GOOD[0]}\n{GOOD[1]}\n{GOOD[2]}\n"
    (tmp_path / "mixed.txt").write_bytes(
        GOOD[0].encode() + b"\n" + GOOD[1].encode("cp1256") + b"\n" + GOOD[2].encode() + b"\n"
    )
    docs, problems = read([tmp_path], config)
    assert problems == []
    assert [d.text for d in docs[:6]] == [GOOD[i % len(GOOD)] for i in range(6)]
    assert docs[6].text == article.strip("\n")


def test_undecodable_lines_cost_only_that_line(tmp_path: Path, config: Config) -> None:
    junk = "Ceci est à côté".encode("latin-1") + b"\xff\xfe\x81"
    lines = [(record(i) + "\n").encode() for i in range(4)]
    lines.insert(2, b'{"content": "' + junk + b'"}\n')
    (tmp_path / "a.jsonl").write_bytes(b"".join(lines))
    rows = [f'"خبر {i}","{GOOD[i]}"\n'.encode() for i in range(3)]
    rows.insert(1, b'"x","' + junk + b'"\n')
    (tmp_path / "b.csv").write_bytes(b"title,content\n" + b"".join(rows))
    (tmp_path / "c.txt").write_bytes(f"{GOOD[0]}\n".encode() + junk + f"\n{GOOD[1]}\n".encode())
    docs, problems = read([tmp_path], config)
    assert [d.format for d in docs] == ["jsonl"] * 4 + ["csv"] * 3 + ["txt"]
    assert [(Path(p.source).name, p.kind) for p in problems] == [
        ("a.jsonl#L3", "encoding"),
        ("b.csv#L3", "encoding"),
        ("c.txt", "encoding"),
    ]
    assert "repaired 1 line" in problems[2].action
    assert GOOD[0] in docs[-1].text and GOOD[1] in docs[-1].text


def test_utf16_records_still_work(tmp_path: Path, config: Config) -> None:
    (tmp_path / "a.jsonl").write_bytes(jsonl(3).encode("utf-16"))
    (tmp_path / "b.csv").write_bytes(f"title,content\nخبر,{GOOD[0]}\n".encode("utf-16-le"))
    docs, problems = read([tmp_path], config)
    assert problems == []
    assert [d.format for d in docs] == ["jsonl"] * 3 + ["csv"]


# --- structure: deep nesting, odd messages, empty containers -----------------------------


def test_deep_json_line_costs_that_line(tmp_path: Path, config: Config) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    deep_object = '{"content": ' + '{"a": ' * 10_000 + "1" + "}" * 10_001
    (tmp_path / "a.jsonl").write_text(
        f"{record(0)}\n{deep}\n{record(1)}\n{deep_object}\n{record(2)}\n", encoding="utf-8"
    )
    (tmp_path / "b.json").write_text(deep, encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert [d.source.rsplit("#", 1)[1] for d in docs] == ["L1", "L3", "L5"]
    assert [(Path(p.source).name, p.kind) for p in problems] == [
        ("a.jsonl#L2", "malformed"),
        ("a.jsonl#L4", "malformed"),
        ("b.json", "malformed"),
    ]
    assert all("nested too deeply" in p.message for p in problems)


def message(msg_id: object, text: object, **extra: object) -> dict[str, object]:
    return {"id": msg_id, "type": "message", "date": "2025-09-03T11:02:17", "text": text, **extra}


def telegram_export(messages: object) -> dict[str, object]:
    return {"name": "قناة التجربة", "type": "public_channel", "id": 99, "messages": messages}


def test_odd_telegram_messages_are_isolated(tmp_path: Path, config: Config) -> None:
    messages = [
        message(1, GOOD[0]),
        message(2, 12345),
        message(3, "نص", text_entities=[7, None]),
        message([4, 5], GOOD[1]),
        message(6, GOOD[2], date={"day": 3}),
        "not a message",
        message(7, [{"type": "bold", "text": ["nested"]}]),
        message(8, GOOD[3]),
    ]
    (tmp_path / "result.json").write_text(
        json.dumps(telegram_export(messages), ensure_ascii=False), encoding="utf-8"
    )
    docs, problems = read([tmp_path], config)
    assert [d.text for d in docs] == [GOOD[0], GOOD[3]]
    assert [p.kind for p in problems] == ["malformed"] * 6
    assert [p.source.rsplit("#", 1)[1] for p in problems] == [
        "2",
        "3",
        "message3",
        "6",
        "message5",
        "7",
    ]


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("result.json", telegram_export({"1": "x"}), "malformed"),
        ("result2.json", telegram_export(None), "malformed"),
        ("list.json", [], "empty"),
        ("object.json", {}, "empty"),
        ("wrapped.json", {"items": []}, "empty"),
    ],
)
def test_empty_or_odd_json_containers(
    tmp_path: Path, config: Config, name: str, content: object, kind: str
) -> None:
    (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
    docs, problems = read([tmp_path / name], config)
    assert docs == [] and [p.kind for p in problems] == [kind]


# --- sizes --------------------------------------------------------------------------------


def paragraphs(count: int) -> str:
    return "\n".join(f"الفقرة {i}: {GOOD[i % len(GOOD)]}" for i in range(count))


def test_long_article_is_cut_at_a_paragraph(tmp_path: Path, config: Config) -> None:
    config.ingest.max_article_chars = 1000
    long_text = paragraphs(40)
    (tmp_path / "long.txt").write_text(long_text, encoding="utf-8")
    (tmp_path / "long.jsonl").write_text(
        json.dumps({"content": long_text}, ensure_ascii=False) + "\n" + jsonl(2),
        encoding="utf-8",
    )
    docs, problems = read([tmp_path], config)
    assert len(docs) == 4
    for doc in (docs[0], docs[-1]):
        assert 900 <= len(doc.text) <= 1000
        assert long_text.startswith(doc.text) and long_text[len(doc.text)] == "\n"
    assert [p.kind for p in problems] == ["too-long", "too-long"]
    assert all(p.action.startswith("cut to ") for p in problems)


def test_text_bomb_is_read_only_as_far_as_an_article_goes(tmp_path: Path, config: Config) -> None:
    config.ingest.max_article_chars = 2000
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress((paragraphs(8) + "\n").encode() * 5000))
    good_file(tmp_path)
    docs, problems = read([tmp_path], config)
    assert len(docs) == 4 and len(docs[0].text) <= 2000
    assert [p.kind for p in problems] == ["too-long"]


def test_decompressed_limit(tmp_path: Path, config: Config) -> None:
    config.ingest.max_decompressed_size = "64KiB"
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(jsonl(2000).encode()))
    (tmp_path / "b.json.gz").write_bytes(gzip.compress(f"[{record(0)}]".encode() * 1000))
    docs, problems = read([tmp_path], config)
    assert 0 < len(docs) < 2000 and {d.format for d in docs} == {"jsonl"}
    assert [(Path(p.source).name, p.kind) for p in problems] == [
        ("a.jsonl.gz", "too-large"),
        ("b.json.gz", "too-large"),
    ]
    assert problems[0].action.startswith("kept the ") and problems[1].action == "skipped"


def test_over_long_records_are_skipped(tmp_path: Path, config: Config) -> None:
    config.ingest.max_record_chars = 500
    huge = json.dumps({"content": "كلمة " * 5000}, ensure_ascii=False)
    (tmp_path / "a.jsonl").write_text(f"{record(0)}\n{huge}\n{record(1)}\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(
        f"title,content\nخبر,{GOOD[0]}\nطويل,{'كلمة ' * 5000}\nخبر آخر,{GOOD[1]}\n"
        f'مقتبس,"{GOOD[2]}\n',
        encoding="utf-8",
    )
    docs, problems = read([tmp_path], config)
    assert [d.format for d in docs] == ["jsonl", "jsonl", "csv", "csv", "csv"]
    assert [(Path(p.source).name, p.kind) for p in problems] == [
        ("a.jsonl#L2", "too-long"),
        ("b.csv#L3", "too-long"),
        ("b.csv#L5", "malformed"),  # the last row's quote is never closed: kept, and said
    ]


def test_unclosed_csv_quote_is_bounded(tmp_path: Path, config: Config) -> None:
    config.ingest.max_record_chars = 1000
    rows = "".join(f"خبر {i},{GOOD[i % 4]}\n" for i in range(60))
    (tmp_path / "a.csv").write_text(f'title,content\nمفتوح,"{GOOD[0]}\n{rows}', encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert len(problems) == 1 and problems[0].kind == "malformed"
    assert len(docs) > 40  # the rows after the runaway field are read again


def warc_bytes(bodies: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for i, body in enumerate(bodies):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                f"https://w.example/p/{i}",
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
            )
        )
    return buffer.getvalue()


def page(text: str) -> bytes:
    return (
        "<html><head><title>خبر</title></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in text.split("\n"))
        + "</article></body></html>"
    ).encode()


def test_huge_html_page_and_warc_record_are_skipped(tmp_path: Path, config: Config) -> None:
    config.ingest.max_page_size = "20KiB"
    huge = page(paragraphs(400))
    (tmp_path / "big.html").write_bytes(huge)
    (tmp_path / "crawl.warc.gz").write_bytes(
        warc_bytes([page(paragraphs(4)), huge, page(paragraphs(5))])
    )
    docs, problems = read([tmp_path], config)
    assert [d.format for d in docs] == ["warc", "warc"]
    assert [(Path(p.source.split("#")[0]).name, p.kind) for p in problems] == [
        ("big.html", "too-large"),
        ("crawl.warc.gz", "too-large"),
    ]
    assert problems[1].source.endswith("#https://w.example/p/1")


def test_binary_tail_stops_the_file_with_one_line(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_module, "MAX_BAD_RUN", 20)
    junk = b"".join(
        bytes([0x80 + (i * 37 + j) % 64 for j in range(30)]) + b"\n" for i in range(500)
    )
    (tmp_path / "a.jsonl").write_bytes(jsonl(5).encode() + junk + jsonl(2, start=5).encode())
    (tmp_path / "b.jsonl").write_text(jsonl(3) + "[}\n" * 10 + jsonl(3, 3), encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert len(docs) == 5 + 6
    assert len(problems) == 20 + 1 + 10
    assert problems[20].source.endswith("a.jsonl") and problems[20].action.startswith("stopped")


def test_deep_first_line_still_reads_as_json_lines(tmp_path: Path, config: Config) -> None:
    deep = '{"x": ' + "[" * 10_000 + "]" * 10_000 + "}"
    (tmp_path / "dump.data").write_text(f"{deep}\n{jsonl(2)}", encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert [d.format for d in docs] == ["jsonl", "jsonl"]
    assert [p.source.rsplit("#", 1)[1] for p in problems] == ["L1"]


def test_csv_header_problems(tmp_path: Path, config: Config) -> None:
    (tmp_path / "a.csv").write_text("title,content\n", encoding="utf-8")
    (tmp_path / "b.csv").write_bytes(
        b"tit\xff\x81le,content\n" + f"خبر,{GOOD[0]}\n".encode() + f"خبر,{GOOD[1]}\n".encode()
    )
    docs, problems = read([tmp_path], config)
    assert [d.text for d in docs] == GOOD[:2]
    assert [(Path(p.source).name, p.kind) for p in problems] == [
        ("a.csv", "empty"),
        ("b.csv#L1", "encoding"),
    ]


def test_feed_with_surrogate_character_reference(tmp_path: Path, config: Config) -> None:
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>روافد &#xD83D;</title>'
        f"<item><title>خبر</title><description>{GOOD[0]} &#55357; &#x110000;</description>"
        f"</item><item><title>خبر آخر</title><description>{GOOD[1]}</description></item>"
        "</channel></rss>"
    )
    (tmp_path / "feed.xml").write_text(feed, encoding="utf-8")
    docs, problems = read([tmp_path], config)
    assert problems == [] and len(docs) == 2
    assert docs[0].text.startswith(GOOD[0]) and docs[0].outlet == "روافد \ufffd"


def test_gzip_inside_gzip_is_named(tmp_path: Path, config: Config) -> None:
    (tmp_path / "twice.jsonl.gz").write_bytes(gzip.compress(gzip.compress(jsonl(3).encode())))
    docs, problems = read([tmp_path], config)
    assert docs == [] and [p.kind for p in problems] == ["binary"]
    assert "gzip archive inside a gzip archive" in problems[0].message
