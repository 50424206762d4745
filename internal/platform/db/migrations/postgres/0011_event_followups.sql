-- When the follow-up mail to an event's attendees was sent (package events):
-- the events.follow_up job mails each ended event once.
ALTER TABLE events ADD COLUMN followed_up_at TIMESTAMPTZ;
CREATE INDEX events_follow_up ON events (ends_at) WHERE followed_up_at IS NULL;
