-- The stance of each catalogue match: does the article repeat the entry (agree), dispute it
-- (disagree) or only report it (discuss)? Set by the narratives stage's stance model
-- (narratives/stance.py) with its probability; null for matches stored before this migration
-- until the catalogue is matched again (every run of its step rewrites its matches).
ALTER TABLE catalog_matches ADD COLUMN stance TEXT;
ALTER TABLE catalog_matches ADD COLUMN stance_p REAL;
