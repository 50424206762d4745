package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Event is one message for live pages.
type Event struct {
	// Topic selects the subscribers, e.g. "meeting:0190…:queue". Required.
	Topic string
	// Name is the SSE event name; "" is sent as "message". It may not
	// contain line breaks.
	Name string
	// Data is the SSE payload, at most MaxDataSize bytes of UTF-8. It may
	// span several lines.
	Data string
}

// Broker publishes events by topic and hands them to subscribers.
// Implementations are safe for concurrent use.
type Broker interface {
	// Publish sends e to every current subscriber of e.Topic. It never waits
	// for subscribers. It returns ErrInvalidEvent or ErrTooLarge (wrapped)
	// for an event it refuses, and ErrClosed after Close.
	Publish(ctx context.Context, e Event) error
	// Subscribe returns a channel of the events published to any of topics,
	// in the order each publisher sent them, and a cancel func that must be
	// called. The channel is closed after cancel, after ctx is done, or
	// after Close. A subscriber whose buffer (SubscriberBuffer events) is
	// full misses events rather than blocking publishers; misses are counted.
	Subscribe(ctx context.Context, topics ...string) (<-chan Event, func())
	// Close stops the broker and closes every subscription channel.
	Close() error
}

const (
	// MaxDataSize is the largest Event.Data accepted, in bytes. PostgreSQL
	// refuses NOTIFY payloads of 8000 bytes or more; this leaves room for the
	// topic, the name and the JSON around them.
	MaxDataSize = 7 << 10

	// maxPayload is the largest encoded event that pg_notify accepts.
	maxPayload = 7999

	// SubscriberBuffer is how many undelivered events a subscription holds
	// before further events for it are dropped.
	SubscriberBuffer = 32
)

var (
	// ErrClosed is returned by Publish after Close.
	ErrClosed = errors.New("live: broker closed")
	// ErrTooLarge is returned by Publish for an event too big to send.
	ErrTooLarge = errors.New("live: event too large")
	// ErrInvalidEvent is returned by Publish for an event that could not be
	// delivered intact (no topic, a line break in the name, invalid UTF-8).
	ErrInvalidEvent = errors.New("live: invalid event")
)

// wireEvent is the JSON form of an Event in a NOTIFY payload.
type wireEvent struct {
	Topic string `json:"topic"`
	Name  string `json:"name,omitempty"`
	Data  string `json:"data"`
}

// encode checks e and returns its NOTIFY payload. Both brokers call it, so an
// event that works with SQLite also works with PostgreSQL.
func encode(e Event) ([]byte, error) {
	if err := check(e); err != nil {
		return nil, err
	}
	if len(e.Data) > MaxDataSize {
		return nil, fmt.Errorf("%w: data is %d bytes, limit %d", ErrTooLarge, len(e.Data), MaxDataSize)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // "<" as \u003c would triple the size of HTML fragments
	if err := enc.Encode(wireEvent{Topic: e.Topic, Name: e.Name, Data: e.Data}); err != nil {
		return nil, fmt.Errorf("live: encode event: %w", err)
	}
	p := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if len(p) > maxPayload {
		// Only reachable with long topics or data full of characters that
		// JSON escapes (quotes, backslashes, control characters).
		return nil, fmt.Errorf("%w: encoded event is %d bytes, limit %d", ErrTooLarge, len(p), maxPayload)
	}
	return p, nil
}

// decode parses a NOTIFY payload. Payloads come from the database, where any
// client may NOTIFY, so they are checked like published events.
func decode(p string) (Event, error) {
	var w wireEvent
	if err := json.Unmarshal([]byte(p), &w); err != nil {
		return Event{}, fmt.Errorf("live: decode event: %w", err)
	}
	e := Event{Topic: w.Topic, Name: w.Name, Data: w.Data}
	if err := check(e); err != nil {
		return Event{}, err
	}
	return e, nil
}

func check(e Event) error {
	switch {
	case e.Topic == "":
		return fmt.Errorf("%w: no topic", ErrInvalidEvent)
	case strings.ContainsAny(e.Name, "\r\n"):
		// A line break would let the name end the SSE event early.
		return fmt.Errorf("%w: line break in name %q", ErrInvalidEvent, e.Name)
	case !utf8.ValidString(e.Topic) || !utf8.ValidString(e.Name) || !utf8.ValidString(e.Data):
		// JSON would silently replace invalid bytes; refuse instead.
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidEvent)
	}
	return nil
}
