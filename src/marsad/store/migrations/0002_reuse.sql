-- Stage reuse: n-gram fingerprints, aligned passages, families and their transmission edges.
CREATE TABLE reuse_fingerprints (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    component  TEXT NOT NULL,
    hashes     BLOB NOT NULL,                     -- sorted distinct uint64 n-gram hashes
    tokens     BLOB NOT NULL,                     -- packed tokens (id, start, length, content)
    credits    TEXT NOT NULL DEFAULT '[]'         -- JSON: normalised "نقلاً عن X" credits
);

-- Articles already compared with the whole store (by the component named).
CREATE TABLE reuse_compared (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    component  TEXT NOT NULL
);

CREATE TABLE reuse_passages (
    id          INTEGER PRIMARY KEY,
    article_a   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    article_b   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_start     INTEGER NOT NULL,
    a_end       INTEGER NOT NULL,
    b_start     INTEGER NOT NULL,
    b_end       INTEGER NOT NULL,
    matched     INTEGER NOT NULL,                 -- aligned equal words
    score       REAL NOT NULL,                    -- matched / longer side, in words
    same_outlet INTEGER NOT NULL,
    direction   TEXT NOT NULL DEFAULT 'unknown',  -- a->b, b->a, unknown
    reason      TEXT NOT NULL DEFAULT '',
    confidence  REAL NOT NULL DEFAULT 0,
    component   TEXT NOT NULL
);
CREATE INDEX reuse_passages_a ON reuse_passages(article_a);
CREATE INDEX reuse_passages_b ON reuse_passages(article_b);

CREATE TABLE reuse_families (
    id              TEXT PRIMARY KEY,
    origin          TEXT REFERENCES articles(id) ON DELETE CASCADE,
    origin_reason   TEXT NOT NULL,
    confidence      REAL NOT NULL,
    origin_agency   TEXT,                         -- wire agency most members credit, if any
    size            INTEGER NOT NULL,
    outlets         INTEGER NOT NULL,
    first_published TEXT,
    last_published  TEXT
);

CREATE TABLE reuse_family_members (
    family_id  TEXT NOT NULL REFERENCES reuse_families(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    role       TEXT NOT NULL,                     -- origin or copy
    parent     TEXT,                              -- article it most likely copied from
    PRIMARY KEY (family_id, article_id, start)
) WITHOUT ROWID;
CREATE INDEX reuse_family_members_article ON reuse_family_members(article_id);

CREATE TABLE reuse_edges (
    family_id  TEXT NOT NULL REFERENCES reuse_families(id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    target     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    confidence REAL NOT NULL,
    lag_hours  REAL,
    score      REAL NOT NULL
);
CREATE INDEX reuse_edges_family ON reuse_edges(family_id);
