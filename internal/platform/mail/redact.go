package mail

import (
	"encoding/json"
	"regexp"
)

// Mail that has left holds links that still work for a while: sign-in,
// verification and reset links, unsubscribe links. Once the SMTP server has
// accepted a mail (or it has failed for good), the stored copy keeps no
// link, so neither an admin at /admin/outbox nor a reader of the database
// or of a backup can follow one (docs/SECURITY.md, "Mail that holds links").

// LinkRemoved replaces each link in a redacted body.
const LinkRemoved = "[link removed after sending]"

// linkRE matches a URL as mail bodies and headers carry them: up to the
// first space, quote or angle bracket, so an HTML attribute or a
// List-Unsubscribe "<…>" keeps its delimiters.
var linkRE = regexp.MustCompile(`(?i)\b(?:https?|ftp)://[^\s<>"']+`)

// Redact returns text with every link replaced by LinkRemoved.
func Redact(text string) string { return linkRE.ReplaceAllString(text, LinkRemoved) }

// redactHeaders returns the stored headers JSON with links removed from
// every value ("{}" stays "{}").
func redactHeaders(h map[string]string) (string, error) {
	if len(h) == 0 {
		return "{}", nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = Redact(v)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// Redacted returns a copy of m with links removed from its bodies and
// headers, for showing a message outside the development outbox.
func (m Stored) Redacted() Stored {
	m.Text, m.HTML = Redact(m.Text), Redact(m.HTML)
	if len(m.Headers) > 0 {
		h := make(map[string]string, len(m.Headers))
		for k, v := range m.Headers {
			h[k] = Redact(v)
		}
		m.Headers = h
	}
	return m
}
