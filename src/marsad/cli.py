"""The ``marsad`` command line. Thin: each command parses options and calls one stage."""

from __future__ import annotations

import json
import signal
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import click

from marsad import __version__
from marsad.actors.gazetteer import GazetteerError, load_gazetteer
from marsad.actors.ner import NerModelError
from marsad.config import Config, load_config, settings, settings_markdown
from marsad.export import ALL_FORMATS, EXPORTERS, schema, write_export
from marsad.narratives.catalog import FIELDS as CATALOG_FIELDS
from marsad.narratives.catalog import CatalogError, read_catalog
from marsad.pipeline import STAGE_NAMES, STAGES, Plan, RunSummary
from marsad.pipeline import analyze as run_analyze
from marsad.records import Catalog
from marsad.stage import Reporter, Setup
from marsad.store import SCHEMA_VERSION, Store, StoreBusy
from marsad.web.i18n import LANGUAGES
from marsad.web.security import is_loopback

FIELD_NAMES = ("text", "title", "url", "date", "outlet", "author")
EXIT_NOTHING_READ = 1
EXIT_FAILED = 3  # the run finished, but some records (or a whole step) failed
EXIT_BUSY = 75  # another process is writing to the store (EX_TEMPFAIL)
EXIT_INTERRUPTED = 130

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite store file (default: store.path setting, marsad.db).",
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="TOML settings file (default: ./marsad.toml when present). See `marsad config`.",
)


def _load(
    config_file: str | None, db: str | None, overrides: dict[str, Any] | None = None
) -> Config:
    values = dict(overrides or {})
    values["store.path"] = db
    try:
        return load_config(config_file, overrides=values)
    except ValueError as err:
        raise click.UsageError(str(err)) from None


def _readable_store(path: str) -> None:
    """Refuse a missing store, or one older than this Marsad (serving opens it read-only, so
    it cannot add the tables and indexes the pages read)."""
    if not Path(path).exists():
        raise click.UsageError(f"no store at {path}; run `marsad analyze` first")
    with Store(path, read_only=True) as store:
        version = store.schema_version()
    if version < SCHEMA_VERSION:
        raise click.UsageError(
            f"the store at {path} has schema {version}, this Marsad needs {SCHEMA_VERSION}: "
            f"run `marsad index --db {path}` once (it updates the store and its search index)"
        )


def _err(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """Marsad (مرصد): trace what Arabic news claims, on whose word, and who copied whom.

    Typical use: `marsad analyze FOLDER` builds or updates the store (marsad.db), then
    `marsad export --what articles --format jsonl` writes the results.
    """


stage_choice = click.Choice(STAGE_NAMES)


@main.command()
@click.argument("inputs", nargs=-1)
@db_option
@config_option
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME=FIELD",
    help="Record field to use for NAME (text, title, url, date, outlet, author) in "
    "JSON, JSON Lines and CSV inputs, e.g. --field date=date_extracted. Repeatable.",
)
@click.option("--outlet", default=None, help="Outlet for articles whose input names none.")
@click.option(
    "--max-file-size",
    default=None,
    metavar="SIZE",
    help="Skip files larger than SIZE (e.g. 256KiB, 20MB). Default 512MiB.",
)
@click.option(
    "--agency",
    "agencies",
    multiple=True,
    metavar="NAME",
    help="Extra news agency name to recognise in datelines. Repeatable.",
)
@click.option(
    "--gazetteer",
    "gazetteers",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Your actor gazetteer (YAML or CSV, see docs/actors.md), added to the starter set; "
    "repeatable (adds to actors.gazetteer).",
)
@click.option(
    "--catalog",
    "catalog_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A catalogue of known narratives or debunked claims (CSV, JSONL, JSON, YAML) to match "
    "against the claims; repeatable.",
)
@click.option(
    "--catalog-field",
    "catalog_fields",
    multiple=True,
    help="Map a catalogue field to a column, NAME=COLUMN (NAME: id, title, description, "
    "language, url, keywords, date); repeatable.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress bars (default: only when stderr is a terminal).",
)
@click.option(
    "--only",
    "only",
    multiple=True,
    type=stage_choice,
    help="Run only this stage (repeatable); the others are left as they are.",
)
@click.option("--until", type=stage_choice, default=None, help="Stop after this stage.")
@click.option(
    "--redo",
    "redo",
    multiple=True,
    type=stage_choice,
    help="Forget what this stage made (and the records it failed on) and do it again; "
    "repeatable. The stages after it update what depends on it.",
)
@click.option(
    "--fail-fast",
    is_flag=True,
    help="Stop at the first record a stage fails on, with its traceback (for development).",
)
@click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    metavar="SECONDS",
    help="When another process is writing to the store, wait this long for it to finish.",
)
def analyze(
    inputs: tuple[str, ...],
    db: str | None,
    config_file: str | None,
    fields: tuple[str, ...],
    outlet: str | None,
    max_file_size: str | None,
    agencies: tuple[str, ...],
    gazetteers: tuple[str, ...],
    catalog_files: tuple[str, ...],
    catalog_fields: tuple[str, ...],
    progress: bool | None,
    only: tuple[str, ...],
    until: str | None,
    redo: tuple[str, ...],
    fail_fast: bool,
    wait: float,
) -> None:
    """Ingest INPUTS (files, folders searched recursively, http(s) URLs) and analyse them.

    Readers are chosen by content: text, HTML, JSON, JSON Lines, CSV, WARC, RSS/Atom,
    Telegram exports, gzip-compressed or not. Each bad item is reported on one line and
    skipped; a record a stage fails on is reported, stored as a problem and skipped by
    later runs until the code or settings change. Articles already in the store (same
    content) are not processed again; an interrupted run resumes when run again. Without
    INPUTS, the stages after ingest update the store (with --only, --until or --redo).

    Exit status: 0 done; 1 nothing could be read; 2 usage error; 3 some records failed;
    75 another process is writing to the store; 130 interrupted.
    """
    if not inputs and not (only or redo or until):
        raise click.UsageError("give INPUTS to analyse, or --only/--until/--redo STAGE")
    overrides: dict[str, Any] = {"ingest.outlet": outlet, "ingest.max_file_size": max_file_size}
    for item in fields:
        name, sep, field = item.partition("=")
        if not sep or name not in FIELD_NAMES or not field:
            raise click.BadParameter(
                f"{item!r}: use NAME=FIELD with NAME one of {', '.join(FIELD_NAMES)}",
                param_hint="--field",
            )
        overrides[f"ingest.{name}_fields"] = [f.strip() for f in field.split(",") if f.strip()]
    config = _load(config_file, db, overrides)
    if agencies:
        config.clean.extra_agencies = [*config.clean.extra_agencies, *agencies]
    config.actors.gazetteer = [*config.actors.gazetteer, *gazetteers]
    catalogs = _read_catalogs(catalog_files, catalog_fields)
    show_progress = sys.stderr.isatty() if progress is None else progress
    plan = Plan(only, until, redo, fail_fast, wait)
    summary = _run(inputs, config, _err, show_progress, catalogs, plan)
    _err(
        f"Results are in {Path(config.store.path).resolve()} "
        "(see `marsad export --help` to write them out)."
    )
    if summary.nothing_read and inputs:
        _err("Nothing could be read from the inputs.")
        sys.exit(EXIT_NOTHING_READ)
    if summary.status == "failed":
        sys.exit(EXIT_FAILED)


def _run(
    inputs: tuple[str, ...],
    config: Config,
    report: Reporter,
    progress: bool,
    catalogs: list[Catalog],
    plan: Plan,
) -> RunSummary:
    """Run the pipeline (as planned) with the command line's handling of errors."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        with Store(config.store.path) as store:
            summary = run_analyze(inputs, config, store, report, progress, catalogs, plan)
    except (GazetteerError, CatalogError, NerModelError, ValueError) as err:
        raise click.UsageError(str(err)) from None
    except StoreBusy as err:
        _err(str(err))
        sys.exit(EXIT_BUSY)
    except KeyboardInterrupt:
        _err(
            "Interrupted. Every finished batch is in the store; "
            "run the same command again to resume."
        )
        sys.exit(EXIT_INTERRUPTED)
    for line in summary.lines():
        report(line)
    return summary


def _terminated(signum: int, frame: Any) -> None:
    """SIGTERM ends a run like Ctrl-C: the batch in flight is rolled back, the run is
    marked interrupted."""
    raise KeyboardInterrupt


@main.command()
@db_option
@config_option
@click.option(
    "--what",
    type=click.Choice(sorted(EXPORTERS)),
    required=True,
    help="What to export: " + "; ".join(f"{e.name}: {e.help}" for e in EXPORTERS.values()),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(ALL_FORMATS)),
    default="jsonl",
    show_default=True,
    help="Output format: jsonl or csv (CSV cells hold JSON for list fields); gexf or graphml "
    "for graph exports (outlet-reuse).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    help="Output file (default: standard output).",
)
def export(db: str | None, config_file: str | None, what: str, fmt: str, out: str) -> None:
    """Write stored results as JSON Lines, CSV, GEXF or GraphML (schema in docs/schema.md)."""
    config = _load(config_file, db)
    if not Path(config.store.path).exists():
        raise click.UsageError(f"no store at {config.store.path}; run `marsad analyze` first")
    with Store(config.store.path, read_only=True) as store:
        try:
            if out == "-":
                count = write_export(store, what, fmt, sys.stdout)
            else:
                with open(out, "w", encoding="utf-8", newline="") as fh:
                    count = write_export(store, what, fmt, fh)
        except ValueError as err:
            raise click.UsageError(str(err)) from None
    _err(f"Exported {count} {what} as {fmt}" + (f" to {out}." if out != "-" else "."))


@main.command("schema")
@click.argument("what", type=click.Choice(sorted(EXPORTERS)))
def schema_command(what: str) -> None:
    """Print the JSON Schema of export WHAT."""
    click.echo(json.dumps(schema(what), ensure_ascii=False, indent=2))


@main.command()
@db_option
@config_option
@click.option(
    "--problems",
    "n_problems",
    default=10,
    show_default=True,
    help="How many of the latest problems (bad inputs, failed records) to list.",
)
@click.option("--runs", "n_runs", default=5, show_default=True, help="How many runs to list.")
def status(db: str | None, config_file: str | None, n_problems: int, n_runs: int) -> None:
    """Show what the store holds: counts, the latest runs (status, failures per stage) and
    the latest problems."""
    config = _load(config_file, db)
    if not Path(config.store.path).exists():
        raise click.UsageError(f"no store at {config.store.path}")
    with Store(config.store.path, read_only=True) as store:
        for name, count in {**store.documents.counts(), **store.claims.claim_counts()}.items():
            click.echo(f"{name:>10}: {count}")
        for run in store.runs.runs(n_runs):
            click.echo(_run_line(run))
        for problem in store.runs.problems(n_problems):
            where = f" [{problem['stage']}]" if problem["stage"] != "ingest" else ""
            click.echo(
                f"problem{where}: {problem['source']}: {problem['message']} ({problem['kind']})"
            )


def _run_line(run: dict[str, Any]) -> str:
    """One run: id, status, when, the command, and the records that failed per stage."""
    line = f"run {run['id']}: {run['status']} (started {run['started_at']}) {run['command']}"
    stages = (run["summary"] or {}).get("stages") or {}
    failed = {name: s.get("failed", 0) for name, s in stages.items() if s.get("failed")}
    if failed:
        line += "; failed: " + ", ".join(f"{name} {n}" for name, n in failed.items())
    return line[:300]


def _read_catalogs(files: tuple[str, ...], fields: tuple[str, ...]) -> list[Catalog]:
    mapping: dict[str, str] = {}
    for item in fields:
        name, sep, column = item.partition("=")
        if not sep or name not in CATALOG_FIELDS or not column:
            raise click.BadParameter(
                f"{item!r}: use NAME=COLUMN with NAME one of {', '.join(CATALOG_FIELDS)}",
                param_hint="--catalog-field",
            )
        mapping[name] = column
    try:
        return [read_catalog(path, mapping) for path in files]
    except CatalogError as err:
        raise click.UsageError(str(err)) from None


@main.group("catalog")
def catalog_group() -> None:
    """Catalogues of known narratives and debunked claims: add one to a store, list them."""


@catalog_group.command("add")
@db_option
@config_option
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--field",
    "fields",
    multiple=True,
    help="Map a catalogue field to a column, NAME=COLUMN (NAME: id, title, description, "
    "language, url, keywords, date); repeatable.",
)
def catalog_add(
    db: str | None, config_file: str | None, files: tuple[str, ...], fields: tuple[str, ...]
) -> None:
    """Store catalogue FILES and match them against the claims already analysed."""
    config = _load(config_file, db)
    if not Path(config.store.path).exists():
        raise click.UsageError(f"no store at {config.store.path}; run `marsad analyze` first")
    catalogs = _read_catalogs(files, fields)
    plan = Plan(only=("narratives",))
    summary = _run((), config, _err, sys.stderr.isatty(), catalogs, plan)
    if summary.status == "failed":
        sys.exit(EXIT_FAILED)


@catalog_group.command("list")
@db_option
@config_option
def catalog_list(db: str | None, config_file: str | None) -> None:
    """List the catalogues in the store with their entry and match counts."""
    config = _load(config_file, db)
    if not Path(config.store.path).exists():
        raise click.UsageError(f"no store at {config.store.path}")
    with Store(config.store.path, read_only=True) as store:
        for found in store.narratives.catalog_list():
            click.echo(
                f"{found['name']}: {found['entries']} entries, {found['matches']} matches "
                f"({found['path']})"
            )


@main.command("gazetteer")
@config_option
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--lookup", "names", multiple=True, help="Show which actor a name links to.")
@click.option("--no-starter", is_flag=True, help="Leave out the packaged starter set.")
def gazetteer_command(
    config_file: str | None, files: tuple[str, ...], names: tuple[str, ...], no_starter: bool
) -> None:
    """Check gazetteer FILES (with the starter set and actors.gazetteer) and look up names.

    Prints the actors per type and every conflict (an alias claimed by two actors, an id
    given twice); exits with status 2 on a file that cannot be used.
    """
    config = _load(config_file, None)
    starter = config.actors.starter_gazetteer and not no_starter
    try:
        gaz = load_gazetteer([*config.actors.gazetteer, *files], starter)
    except GazetteerError as err:
        raise click.UsageError(str(err)) from None
    counts = Counter(a.type for a in gaz.actors.values())
    click.echo(
        f"{len(gaz.actors)} actors: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    )
    for warning in gaz.warnings:
        click.echo(f"warning: {warning}")
    for name in names:
        found = gaz.lookup(name)
        if found is None:
            click.echo(f"{name}: not in the gazetteer")
        else:
            actor = gaz.actors[found[0]]
            note = " (ambiguous: linked only where the NER marks a name)" if found[1] else ""
            click.echo(f"{name}: {actor.id} - {actor.name} [{actor.type}]{note}")


@main.command("stages")
@db_option
@config_option
def stages_command(db: str | None, config_file: str | None) -> None:
    """List the stages of `marsad analyze` in order: steps, the component version in force
    (what --redo and a settings change invalidate), the tables each reads and writes."""
    config = _load(config_file, db)
    with tempfile.TemporaryDirectory() as scratch, Store(Path(scratch) / "stages.db") as store:
        setup = Setup(config, store, ("INPUTS",))
        for spec in STAGES:
            stage = spec.build(setup)
            state = "" if spec.enabled(setup) else " (off in these settings)"
            click.echo(f"{stage.name}{state}: {' -> '.join(s.name for s in stage.steps)}")
            click.echo(f"    component {stage.component.version()}")
            click.echo(f"    reads     {', '.join(stage.reads)}")
            click.echo(f"    writes    {', '.join(stage.writes)}")


@main.command("config")
@config_option
@click.option("--markdown", is_flag=True, help="Print the settings reference as Markdown.")
def config_command(config_file: str | None, markdown: bool) -> None:
    """Show every setting with its current value, environment variable and meaning."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    config = _load(config_file, None)
    for info in settings():
        value = getattr(getattr(config, info.section), info.name)
        click.echo(f"{info.key} = {value!r}\n    {info.help} [env {info.env}]")


@main.command("index")
@db_option
@config_option
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal)."
)
def index_command(db: str | None, config_file: str | None, progress: bool | None) -> None:
    """Build or update the full-text search index of a store (articles and claims).

    `marsad analyze` keeps it up to date; this command is for stores made before the index
    existed, or with search.enabled off. Only articles not yet indexed are processed.
    """
    config = _load(config_file, db)
    if not Path(config.store.path).exists():
        raise click.UsageError(f"no store at {config.store.path}; run `marsad analyze` first")
    show = sys.stderr.isatty() if progress is None else progress
    config.search.enabled = True
    summary = _run((), config, _err, show, [], Plan(only=("search",)))
    if summary.status == "failed":
        sys.exit(EXIT_FAILED)


@main.command("serve")
@db_option
@config_option
@click.option("--host", default=None, help="Address to listen on (default: web.host, 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port to listen on (default: web.port, 8000).")
@click.option(
    "--token",
    envvar="MARSAD_TOKEN",
    default=None,
    help="Require this token on every request (also from MARSAD_TOKEN); needed on any "
    "address but loopback.",
)
@click.option(
    "--lang", type=click.Choice(LANGUAGES), default=None, help="Default interface language."
)
def serve(
    db: str | None,
    config_file: str | None,
    host: str | None,
    port: int | None,
    token: str | None,
    lang: str | None,
) -> None:
    """Serve the analyst's workbench (web pages, JSON API, /docs) over a store, read-only."""
    config = _load(config_file, db)
    host = host or config.web.host
    _readable_store(config.store.path)
    if not is_loopback(host) and not token:
        raise click.UsageError(
            f"refusing to listen on {host} without a token: give --token or set MARSAD_TOKEN"
        )
    import uvicorn

    from marsad.web.app import WebOptions, create_app

    options = WebOptions(
        Path(config.store.path),
        token or None,
        lang or config.web.lang,
        config.web.page_size,
        host,
        tuple(config.web.allowed_hosts),
    )
    port = port or config.web.port
    _err(f"Marsad on http://{host}:{port}/ (store {config.store.path}, read-only). Ctrl-C stops.")
    # no access log: request lines are not worth keeping, and may carry a ?token=
    app = create_app(options)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


@main.command("report")
@db_option
@config_option
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the static site into (created; open index.html from disk).",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="Interface language.")
def report_command(db: str | None, config_file: str | None, out: str, lang: str | None) -> None:
    """Write the workbench's pages as a static site that opens from disk without a server."""
    config = _load(config_file, db)
    _readable_store(config.store.path)
    from marsad.report import ReportOptions, write_report

    with Store(config.store.path, read_only=True) as store:
        pages = write_report(store, ReportOptions(Path(out), lang or config.web.lang))
    _err(f"Wrote {pages} pages to {out}; open {Path(out) / 'index.html'} in a browser.")


if __name__ == "__main__":
    main()
