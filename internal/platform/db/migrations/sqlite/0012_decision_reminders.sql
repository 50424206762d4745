-- Reminders to voters who have not voted, sent once a day before the close
-- (package decisions). reminded_at is when they were sent, NULL until then.
ALTER TABLE decisions ADD COLUMN reminded_at TIMESTAMP;
