-- The stage runner: every problem says which stage and record it concerns, the exception, and
-- the component that met it; records that failed are skipped by reruns of that component.
ALTER TABLE problems ADD COLUMN stage TEXT NOT NULL DEFAULT 'ingest';
ALTER TABLE problems ADD COLUMN record TEXT;
ALTER TABLE problems ADD COLUMN exception TEXT;
ALTER TABLE problems ADD COLUMN component TEXT;

-- A record (article, document, wording, catalogue, ...) a step of a stage failed on, for the
-- component then in force. A new component (code, settings or model) tries it again.
CREATE TABLE failures (
    step      TEXT NOT NULL,                     -- "<stage>.<step>", e.g. claims.analyse
    component TEXT NOT NULL,
    record    TEXT NOT NULL,
    run_id    INTEGER REFERENCES runs(id),
    exception TEXT NOT NULL,
    PRIMARY KEY (step, component, record)
) WITHOUT ROWID;

-- Which wordings were compared for same-claim links, per link component (the embedder, the
-- neighbours searched, the claim selection, the same-claim model, the folding profile).
-- It replaces claim_vectors.linked, which knew only the embedder.
CREATE TABLE claim_linked (
    component TEXT NOT NULL,
    key       TEXT NOT NULL,
    PRIMARY KEY (component, key)
) WITHOUT ROWID;
