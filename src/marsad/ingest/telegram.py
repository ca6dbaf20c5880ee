"""Telegram Desktop channel exports (``result.json``): one article per text message.

Exports are edited, merged and converted by hand, so each message is checked on its own: a
message with a field of the wrong type is one problem line and the other messages are kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from marsad.config import IngestOptions
from marsad.ingest.decode import DecodeError, decode_text, repair_problems
from marsad.ingest.sniff import Blob
from marsad.records import Problem, RawDocument

LOGGER = logging.getLogger(__name__)
LINK_ENTITY_TYPES = {"link", "url"}
FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (int, str),
    "date": (str,),
    "author": (str,),
    "text": (str, list),
    "text_entities": (list,),
}
ENTITY_FIELD_TYPES: dict[str, tuple[type, ...]] = {"text": (str,), "href": (str,), "type": (str,)}


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


_KINDS: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}
Item = RawDocument | Problem


def _kind(tp: type) -> str:
    return _KINDS.get(tp, f"a {tp.__name__}")


def _type_name(value: Any) -> str:
    return _kind(type(value))


def _wrong_types(fields: dict[str, Any], expected: dict[str, tuple[type, ...]]) -> str | None:
    for name, types in expected.items():
        value = fields.get(name)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            wanted = " or ".join(_kind(t) for t in types)
            return f"'{name}' is {_type_name(value)}, not {wanted}"
    return None


def check_message(message: dict[str, Any]) -> str | None:
    """What is wrong with the field types of ``message``, or ``None``."""
    wrong = _wrong_types(message, FIELD_TYPES)
    if wrong:
        return wrong
    for name in ("text", "text_entities"):
        for item in message.get(name) or []:
            if not isinstance(item, str | dict):
                return f"'{name}' holds {_type_name(item)}, not strings and objects"
            if isinstance(item, dict) and (wrong := _wrong_types(item, ENTITY_FIELD_TYPES)):
                return f"an entity of '{name}': {wrong}"
    return None


def message_document(
    message: Any, where: str, channel: str | None, channel_id: int | str | None
) -> Item | None:
    """One message as a document; a problem when it is malformed; ``None`` for a message
    without text (service message, photo or sticker)."""
    if not isinstance(message, dict):
        return Problem(where, "malformed", f"message is {_type_name(message)}, not an object")
    if message.get("type") != "message":
        return None
    wrong = check_message(message)
    if wrong:
        return Problem(where, "malformed", f"malformed message: {wrong}", "message skipped")
    entities = message.get("text_entities")
    body, links = flatten_text(entities if entities else message.get("text"))
    if not body.strip():
        return None
    msg_id = message.get("id")
    url = f"https://t.me/c/{channel_id}/{msg_id}" if channel_id and msg_id else None
    return RawDocument(
        source=where,
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


def read_telegram(blob: Blob, options: IngestOptions) -> Iterator[RawDocument | Problem]:
    try:
        decoded = decode_text(blob.read_all(), blob.declared_encoding)
        export = json.loads(decoded.text)
    except DecodeError as err:
        yield Problem(blob.name, err.kind, err.message)
        return
    except json.JSONDecodeError as err:
        yield Problem(
            blob.name, "malformed", f"malformed Telegram export at line {err.lineno} ({err.msg})"
        )
        return
    except RecursionError:
        yield Problem(blob.name, "malformed", "Telegram export nested too deeply to read")
        return
    messages = export.get("messages") if isinstance(export, dict) else None
    if not isinstance(messages, list):
        what = _type_name(messages) if messages is not None else "missing"
        yield Problem(blob.name, "malformed", f"Telegram export whose 'messages' is {what}")
        return
    yield from _messages(blob.name, export, messages)
    yield from repair_problems(blob.name, decoded)


def _messages(name: str, export: dict[str, Any], messages: list[Any]) -> Iterator[Item]:
    channel = export.get("name") if isinstance(export.get("name"), str) else None
    channel_id = export.get("id") if isinstance(export.get("id"), int | str) else None
    found = 0
    for index, message in enumerate(messages):
        msg_id = message.get("id") if isinstance(message, dict) else None
        where = f"{name}#{msg_id if isinstance(msg_id, int | str) else f'message{index}'}"
        try:
            item = message_document(message, where, channel or None, channel_id)
        except Exception as err:  # one odd message must not end the export
            LOGGER.debug("could not read Telegram message %s", where, exc_info=True)
            item = Problem(where, "malformed", f"unreadable message ({type(err).__name__})")
        if item is not None:
            found += isinstance(item, RawDocument)
            yield item
    if not found:
        yield Problem(name, "empty", f"Telegram export with no text message ({len(messages)} read)")
