package messaging

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Opens and clicks, counted only where the network turned tracking on
// (messaging_settings.track, fixed on the broadcast as broadcasts.track
// when it starts sending). Off by default: a pixel and rewritten links tell
// us who read what, which a movement should ask for, not assume.
//
// For a tracked broadcast the renderer calls Tracker.Links on each
// recipient's HTML part: every http(s) link becomes
// BASE/t/c/TOKEN?u=URL&s=SIG and an invisible BASE/t/o/TOKEN.gif is added.
// SIG is an HMAC of the token and the URL under a key only this network
// holds (table messaging_keys), so /t/c follows only links we wrote: it is
// never an open redirect, and a link cannot be moved to another
// recipient's token. The plain-text part is left as written.

// Tracker rewrites a tracked broadcast's links and checks them on the way
// back. Make one per batch with LoadTracker; it is safe for concurrent use.
type Tracker struct {
	key  []byte
	base string
}

// LoadTracker returns the network's tracker, making its key on first use
// (every node then reads the same key). q may be the database or a
// transaction; base is the site's public address.
func LoadTracker(ctx context.Context, q db.Querier, base string) (*Tracker, error) {
	var secret string
	err := q.QueryRow(ctx, `SELECT secret FROM messaging_keys WHERE name = 'click'`).Scan(&secret)
	if db.IsNotFound(err) {
		b := make([]byte, 32)
		rand.Read(b) // never fails (crypto/rand)
		if _, err := q.Exec(ctx, `INSERT INTO messaging_keys (name, secret, created_at) VALUES ('click', ?, ?)
			ON CONFLICT (name) DO NOTHING`, hex.EncodeToString(b), db.Now()); err != nil {
			return nil, fmt.Errorf("make click key: %w", err)
		}
		// Another node may have won the race: read what is stored.
		err = q.QueryRow(ctx, `SELECT secret FROM messaging_keys WHERE name = 'click'`).Scan(&secret)
	}
	if err != nil {
		return nil, fmt.Errorf("click key: %w", err)
	}
	key, err := hex.DecodeString(secret)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("click key: stored key is malformed")
	}
	return &Tracker{key: key, base: strings.TrimSuffix(base, "/")}, nil
}

// sign is the link signature: 128 bits of HMAC-SHA256 over the token and
// the URL, base64url.
func (t *Tracker) sign(token, u string) string {
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte("click\x00" + token + "\x00" + u))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// ClickURL is the tracked form of link u in the mail of the recipient with
// token.
func (t *Tracker) ClickURL(token, u string) string {
	return t.base + "/t/c/" + token + "?" + url.Values{"u": {u}, "s": {t.sign(token, u)}}.Encode()
}

// OpenURL is the address of the recipient's open pixel.
func (t *Tracker) OpenURL(token string) string { return t.base + "/t/o/" + token + ".gif" }

// Verify returns the link a click URL leads to, or errs.NotFound when sig
// is not ours for this token and link (a forged or altered URL) or the
// link is not http(s).
func (t *Tracker) Verify(token, u, sig string) (string, error) {
	want := t.sign(token, u)
	if !hmac.Equal([]byte(sig), []byte(want)) {
		return "", errs.E(errs.NotFound, "This link is not one we sent, so we won't follow it.")
	}
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", errs.E(errs.NotFound, "This link is not one we sent, so we won't follow it.")
	}
	return u, nil
}

// hrefRE finds the href of an <a> tag, quoted either way (the renderer's
// Markdown and template write double quotes; single ones are handled too).
var hrefRE = regexp.MustCompile(`(?i)(<a\s[^>]*?\bhref\s*=\s*)("[^"]*"|'[^']*')`)

// Links returns a tracked broadcast's HTML for the recipient with token:
// each http(s) link in an <a href> goes through the click redirect, except
// the site's own unsubscribe link (BASE/u/…), which must keep working
// exactly as written; and the open pixel is put before </body> (or at the
// end). Links of other schemes (mailto:, tel:) are left alone, and so is
// HTML already tracked: calling Links twice changes nothing.
//
// The renderer calls it on each recipient's HTML part when the broadcast
// is tracked (Broadcast.Track), with a Tracker loaded once per batch:
//
//	t, err := LoadTracker(ctx, s.d.DB.Q(), s.base) // when b.Track
//	html = t.Links(html, r.Token)
func (t *Tracker) Links(htmlBody, token string) string {
	unsub, clicks := t.base+"/u/", t.base+"/t/c/"
	out := hrefRE.ReplaceAllStringFunc(htmlBody, func(m string) string {
		sub := hrefRE.FindStringSubmatch(m)
		quoted := sub[2]
		raw := html.UnescapeString(quoted[1 : len(quoted)-1])
		low := strings.ToLower(raw)
		if !(strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://")) ||
			strings.HasPrefix(raw, unsub) || strings.HasPrefix(raw, clicks) {
			return m
		}
		return sub[1] + `"` + html.EscapeString(t.ClickURL(token, raw)) + `"`
	})
	pixelURL := html.EscapeString(t.OpenURL(token))
	if strings.Contains(out, pixelURL) {
		return out // tracked already: Links twice changes nothing
	}
	pixel := `<img src="` + pixelURL + `" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`
	if i := strings.LastIndex(strings.ToLower(out), "</body>"); i >= 0 {
		return out[:i] + pixel + out[i:]
	}
	return out + pixel
}

// RecordOpen notes the first open of the recipient with token, where the
// broadcast was tracked. Unknown tokens and untracked broadcasts change
// nothing (the pixel is served either way, so it tells a stranger
// nothing).
func (f *Feedback) RecordOpen(ctx context.Context, token string) error {
	if !validToken(token) {
		return nil
	}
	_, err := f.d.DB.Exec(ctx, `UPDATE broadcast_recipients SET opened_at = ?
		WHERE token = ? AND opened_at IS NULL
		AND broadcast_id IN (SELECT id FROM broadcasts WHERE track = ?)`, f.now().UTC(), token, true)
	if err != nil {
		return fmt.Errorf("record open: %w", err)
	}
	return nil
}

// Click checks a click URL's signature and returns where it leads, noting
// the recipient's first click (and open: a click proves the mail was
// opened, even with images blocked) where the broadcast was tracked.
//
// Errors: errs.NotFound for a forged, altered or non-http(s) link.
func (f *Feedback) Click(ctx context.Context, token, u, sig string) (string, error) {
	t, err := LoadTracker(ctx, f.d.DB.Q(), f.d.BaseURL)
	if err != nil {
		return "", err
	}
	dest, err := t.Verify(token, u, sig)
	if err != nil {
		return "", err
	}
	now := f.now().UTC()
	_, err = f.d.DB.Exec(ctx, `UPDATE broadcast_recipients SET clicked_at = COALESCE(clicked_at, ?), opened_at = COALESCE(opened_at, ?)
		WHERE token = ? AND clicked_at IS NULL
		AND broadcast_id IN (SELECT id FROM broadcasts WHERE track = ?)`, now, now, token, true)
	if err != nil {
		return "", fmt.Errorf("record click: %w", err)
	}
	return dest, nil
}
