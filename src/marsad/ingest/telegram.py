"""Telegram Desktop channel exports (``result.json``): one article per text message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from marsad.config import IngestOptions
from marsad.ingest.decode import DecodeError, decode
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

LINK_ENTITY_TYPES = {"link", "url"}


def flatten_text(text: Any) -> tuple[str, list[str]]:
    """Flatten a message's ``text`` (a string or a list of strings and entities) and its links."""
    if isinstance(text, str):
        return text, []
    parts: list[str] = []
    links: list[str] = []
    for item in text or []:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict):
            value = str(item.get("text", ""))
            parts.append(value)
            if item.get("type") in LINK_ENTITY_TYPES and value:
                links.append(value)
            if item.get("href"):
                links.append(str(item["href"]))
    return "".join(parts), links


def read_telegram(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    try:
        text, _ = decode(blob.read_all(), blob.declared_encoding)
        export = json.loads(text)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    except json.JSONDecodeError as err:
        yield Problem(
            blob.name, "malformed", f"malformed Telegram export at line {err.lineno} ({err.msg})"
        )
        return
    channel = str(export.get("name") or "") or None
    channel_id = export.get("id")
    for message in export.get("messages") or []:
        if not isinstance(message, dict) or message.get("type") != "message":
            continue
        entities = message.get("text_entities")
        body, links = flatten_text(
            entities if isinstance(entities, list) and entities else message.get("text")
        )
        if not body.strip():
            continue  # photo-only or sticker message
        msg_id = message.get("id")
        url = f"https://t.me/c/{channel_id}/{msg_id}" if channel_id and msg_id else None
        yield RawDocument(
            source=f"{blob.name}#{msg_id}",
            format="telegram",
            text=body.strip(),
            title=None,  # a post has no headline; its first line stays part of the text
            url=url,
            published=message.get("date"),
            outlet=channel,
            author=message.get("author") or None,
            links=list(dict.fromkeys(links)),
            meta={"channel_id": channel_id, "message_id": msg_id},
        )
