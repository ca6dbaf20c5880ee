-- Every attribution says how it was found and what decided its source type (shown in the
-- export): the frame's pattern (verb_first, according_to, nominal, carried_over, ...) and the
-- type's basis ("lexicon: وزير", "earlier mention", "model 0.84: ..."). Claims written before
-- this migration keep the defaults until the claims stage redoes them (its component changed).
ALTER TABLE claims ADD COLUMN pattern TEXT NOT NULL DEFAULT 'none';
ALTER TABLE claims ADD COLUMN type_basis TEXT NOT NULL DEFAULT '';
