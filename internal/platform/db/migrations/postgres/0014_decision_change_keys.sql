-- A voter may change their vote only with their own receipt (package
-- decisions). change_key is a second, different hash of the receipt code,
-- kept with who voted: it proves a receipt is this voter's without saying
-- which ballot it is (the ballot keeps sha256(code); this is a
-- domain-separated hash of the decision and the code, so the two can be
-- matched only by someone holding the code).
ALTER TABLE decision_voters ADD COLUMN change_key TEXT NOT NULL DEFAULT '';
