-- Documents as the readers found them (stage ingest). The id is a content hash.
CREATE TABLE documents (
    id              TEXT PRIMARY KEY,
    source          TEXT NOT NULL,
    format          TEXT NOT NULL,
    outlet          TEXT,
    url             TEXT,
    title           TEXT,
    published_raw   TEXT,
    author          TEXT,
    raw_text        TEXT NOT NULL,
    links           TEXT NOT NULL DEFAULT '[]',   -- JSON list of URLs
    meta            TEXT NOT NULL DEFAULT '{}',   -- JSON object
    run_id          INTEGER,
    ingested_at     TEXT NOT NULL,
    clean_component TEXT,                         -- component that last cleaned it; NULL: pending
    clean_status    TEXT                          -- ok, or why it produced no article
);
CREATE INDEX documents_outlet ON documents(outlet);
CREATE INDEX documents_pending ON documents(clean_component);

-- Cleaned, segmented articles (stage clean + segment); one per document that has text.
CREATE TABLE articles (
    id              TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    title           TEXT,
    published       TEXT,                         -- ISO 8601 date or date-time
    language        TEXT NOT NULL,
    text            TEXT NOT NULL,
    removed         TEXT NOT NULL DEFAULT '[]',   -- JSON list of removed boilerplate lines
    dateline_raw    TEXT,
    dateline_place  TEXT,
    dateline_agency TEXT,
    dateline_start  INTEGER,
    dateline_end    INTEGER,
    author          TEXT,
    component       TEXT NOT NULL,
    cleaned_at      TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);

CREATE TABLE sentences (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;

-- How many documents of an outlet contain a (normalised) short line: boilerplate statistics.
CREATE TABLE line_counts (
    outlet   TEXT NOT NULL,
    line_key INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (outlet, line_key)
) WITHOUT ROWID;

-- Fingerprint of each outlet's set of recurring lines, to re-clean only when it changes.
CREATE TABLE outlet_boilerplate (
    outlet      TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    command     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL,                    -- running, done, interrupted, failed
    summary     TEXT                              -- JSON
);

CREATE TABLE problems (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES runs(id),
    source     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    message    TEXT NOT NULL,
    action     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX problems_run ON problems(run_id);
