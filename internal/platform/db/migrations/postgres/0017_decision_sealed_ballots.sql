-- Secret ballots wait sealed before the ballot box (package decisions, and
-- docs/SECURITY.md "Ballot secrecy"). A vote writes who voted
-- (decision_voters) and its ballot sealed here with a per-decision key
-- derived from a secret outside the database; a job moves the sealed
-- ballots into decision_ballots in shuffled batches of at least ten, in
-- one transaction that deletes them here, so the ballot box rows' xmin is
-- the batch's and their ctid order is random. A sealed row shares its xmin
-- with its voter row, but cannot be read without the key. id: 128 random
-- bits (never time-ordered). No timestamp.
CREATE TABLE decision_sealed (
    id          TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    sealed      TEXT NOT NULL -- base64(nonce || AES-256-GCM ciphertext)
);
CREATE INDEX decision_sealed_decision ON decision_sealed (decision_id);

-- A value that names the ballot key without revealing it (an HMAC of a fixed
-- label), so that a node started with another key file refuses to start
-- instead of sealing ballots and hashing receipts that the others cannot
-- read.
CREATE TABLE decision_ballot_key (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    key_check TEXT NOT NULL
);
