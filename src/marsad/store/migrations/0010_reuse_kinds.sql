-- What a reuse link is: a copied story ('copy') or a recurring official formula or template
-- ('template'), with the evidence that decided it. Passages made before this migration are
-- redone by the reuse stage (its component changed); families are rebuilt every run.
ALTER TABLE reuse_passages ADD COLUMN kind TEXT NOT NULL DEFAULT 'copy';
ALTER TABLE reuse_passages ADD COLUMN kind_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE reuse_families ADD COLUMN kind TEXT NOT NULL DEFAULT 'copy';
