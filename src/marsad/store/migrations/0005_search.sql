-- Full-text search over articles and claims (stage search). Both indexes hold text folded by
-- marsad.normalize (profile ar-norm-v1), since FTS5 does not fold Arabic; queries are folded
-- the same way. The columns after the text are UNINDEXED filter values, so a search with
-- filters reads no other table.
CREATE VIRTUAL TABLE search_articles USING fts5(
    title, body,
    article_id UNINDEXED, outlet UNINDEXED, day UNINDEXED, language UNINDEXED,
    tokenize = 'unicode61'
);

CREATE VIRTUAL TABLE search_claims USING fts5(
    body,
    claim_id UNINDEXED, article_id UNINDEXED, outlet UNINDEXED, day UNINDEXED,
    language UNINDEXED, source_type UNINDEXED,
    tokenize = 'unicode61'
);

-- Articles indexed, by which component. Writing an article or its claims deletes its row here
-- (store write path), so the next `analyze` or `marsad index` indexes it again.
CREATE TABLE search_done (
    article_id TEXT PRIMARY KEY,
    component  TEXT NOT NULL
);

-- The index rows of each article (kind: article or claim), to replace them when it changes.
CREATE TABLE search_rows (
    article_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    fts_rowid  INTEGER NOT NULL,
    PRIMARY KEY (article_id, kind, fts_rowid)
) WITHOUT ROWID;
