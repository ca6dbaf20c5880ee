-- Stage claims: claim units with their attribution and check-worthiness; actor mentions.
-- Everything here is derived from `articles` and is dropped with its article (re-cleaning
-- deletes and re-inserts the article, so its claims are redone).

-- Articles processed by the claims stage, and by which component (a new component redoes all).
CREATE TABLE claims_done (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    component  TEXT NOT NULL
);

CREATE TABLE claims (
    id              TEXT PRIMARY KEY,             -- <article id>:<n> (body) or :h<n> (headline)
    article_id      TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    part            TEXT NOT NULL,                -- body (offsets into text) or headline (title)
    idx             INTEGER NOT NULL,             -- order within the part
    sentence        INTEGER NOT NULL,             -- sentence index (body), 0 for the headline
    start           INTEGER NOT NULL,
    "end"           INTEGER NOT NULL,
    source          TEXT,
    source_start    INTEGER,
    source_end      INTEGER,
    source_type     TEXT NOT NULL,
    verb            TEXT,
    verb_start      INTEGER,
    verb_end        INTEGER,
    hedged          INTEGER NOT NULL,
    carried_over    INTEGER NOT NULL,
    cited_links     TEXT NOT NULL DEFAULT '[]',   -- JSON list of URLs
    checkworthiness REAL                          -- null when the scorer is switched off
);
CREATE INDEX claims_article ON claims(article_id, part, idx);
CREATE INDEX claims_source_type ON claims(source_type);

-- Actors of the gazetteer in force (rewritten every run; unlinked NER actors are not listed).
CREATE TABLE actors (
    id     TEXT PRIMARY KEY,
    type   TEXT NOT NULL,
    name   TEXT NOT NULL,
    en     TEXT,
    origin TEXT NOT NULL                          -- starter or the user file it came from
);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    part       TEXT NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,
    actor      TEXT NOT NULL,                     -- actors.id, or "<type>:<folded name>"
    how        TEXT NOT NULL,                     -- gazetteer, ner+gazetteer, ner, coreference
    claim_id   TEXT,                              -- the claim whose span holds the mention
    PRIMARY KEY (article_id, part, start)
) WITHOUT ROWID;
CREATE INDEX mentions_actor ON mentions(actor);
CREATE INDEX mentions_claim ON mentions(claim_id);
