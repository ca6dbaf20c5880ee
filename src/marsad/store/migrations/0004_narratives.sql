-- Stage narratives: claim vectors, same-claim links, claim families, narratives, catalogues.

-- One vector per distinct claim wording (key = hash of the folded text), per embedder.
CREATE TABLE claim_vectors (
    key      TEXT NOT NULL,
    embedder TEXT NOT NULL,                       -- backend name and version
    vector   BLOB NOT NULL,                       -- float16, L2-normalised
    linked   INTEGER NOT NULL DEFAULT 0,          -- 1 once compared with every other vector
    PRIMARY KEY (key, embedder)
) WITHOUT ROWID;

-- Pairs of claim keys that state the same thing (score >= the calibrated threshold).
CREATE TABLE claim_links (
    a        TEXT NOT NULL,
    b        TEXT NOT NULL,
    embedder TEXT NOT NULL,
    score    REAL NOT NULL,
    PRIMARY KEY (a, b, embedder)
) WITHOUT ROWID;

-- Families and narratives are rebuilt from the links every run (cheap).
CREATE TABLE claim_families (
    id             TEXT PRIMARY KEY,
    representative TEXT NOT NULL,                 -- claim id
    label          TEXT NOT NULL,
    narrative      TEXT,
    size           INTEGER NOT NULL,              -- claims
    articles       INTEGER NOT NULL,
    outlets        INTEGER NOT NULL,
    first_seen     TEXT,
    last_seen      TEXT,
    daily          TEXT NOT NULL,                 -- JSON {day: articles}
    actors         TEXT NOT NULL                  -- JSON list of actor ids
);

CREATE TABLE claim_family_members (
    family_id TEXT NOT NULL REFERENCES claim_families(id) ON DELETE CASCADE,
    claim_id  TEXT NOT NULL,
    PRIMARY KEY (family_id, claim_id)
) WITHOUT ROWID;
CREATE INDEX claim_family_members_claim ON claim_family_members(claim_id);

CREATE TABLE narratives (
    id             TEXT PRIMARY KEY,
    label          TEXT NOT NULL,
    representative TEXT NOT NULL,
    terms          TEXT NOT NULL,                 -- JSON list
    actors         TEXT NOT NULL,                 -- JSON list of actor ids
    families       TEXT NOT NULL,                 -- JSON list of family ids
    articles       TEXT NOT NULL,                 -- JSON list of article ids
    outlets        TEXT NOT NULL,                 -- JSON list
    first_seen     TEXT,
    last_seen      TEXT,
    daily          TEXT NOT NULL                  -- JSON {day: articles}
);

CREATE TABLE catalogs (
    name     TEXT PRIMARY KEY,
    path     TEXT NOT NULL,
    digest   TEXT NOT NULL,
    entries  INTEGER NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE catalog_entries (
    catalog     TEXT NOT NULL REFERENCES catalogs(name) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT,
    language    TEXT,
    url         TEXT,
    keywords    TEXT NOT NULL DEFAULT '[]',
    date        TEXT,
    actors      TEXT NOT NULL DEFAULT '[]',       -- JSON: actor ids named in the entry
    PRIMARY KEY (catalog, id)
) WITHOUT ROWID;

CREATE TABLE catalog_vectors (
    catalog  TEXT NOT NULL,
    id       TEXT NOT NULL,
    embedder TEXT NOT NULL,
    vector   BLOB NOT NULL,
    PRIMARY KEY (catalog, id, embedder)
) WITHOUT ROWID;

-- Rebuilt every run from the current claims and vectors.
CREATE TABLE catalog_matches (
    catalog    TEXT NOT NULL,
    entry_id   TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    claim_id   TEXT NOT NULL,
    score      REAL NOT NULL,
    cosine     REAL NOT NULL,
    actors     TEXT NOT NULL DEFAULT '[]',       -- JSON: shared actor ids
    PRIMARY KEY (catalog, entry_id, article_id)
) WITHOUT ROWID;
CREATE INDEX catalog_matches_article ON catalog_matches(article_id);
