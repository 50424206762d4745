-- Delivery feedback and tracking for broadcasts (package messaging:
-- delivery.go, tracking.go).

-- Secrets messaging keeps for itself, made on first use: "click" keys the
-- HMAC that signs every tracked link (tracking.go), so the click redirect
-- follows only links we wrote and is never an open redirect. Every node
-- reads the same row, so a link signed on one node is followed on another.
CREATE TABLE messaging_keys (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,                      -- hex
    created_at TIMESTAMPTZ NOT NULL
);

-- A provider's bounce or complaint names the address it was about; this
-- finds that address's most recent broadcast (delivery.go) without a scan.
CREATE INDEX broadcast_recipients_address ON broadcast_recipients (address, sent_at);
