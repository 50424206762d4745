-- Issue 14 (the Action Network API, people): an API token carries the
-- consent wording of the forms that send signups through it, so that
-- "status": "subscribed" records consent with the words the person agreed
-- to. Empty: the token grants no consent on its own.
ALTER TABLE api_tokens ADD COLUMN consent_wording TEXT NOT NULL DEFAULT '';
