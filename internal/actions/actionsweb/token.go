package actionsweb

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// tokenMaxAge is how long a rendered form may wait before it is sent.
const tokenMaxAge = 24 * time.Hour

// msgExpired is the form-level error of a form sent without a valid token.
const msgExpired = "This form has expired or could not be checked. Please check your details and send it again."

// tokens sign the moment a form was rendered, bound to what it is for
// ("act:<slug>", "event:<id>"), so that a submission proves it came from a
// form we drew, and when: the service refuses one sent too fast. The key is
// derived from the node's secret (every node of a network shares it).
type tokens struct {
	key []byte
	now func() time.Time
}

// issue returns a fresh token for subject.
func (t tokens) issue(subject string) string {
	ts := strconv.FormatInt(t.now().Unix(), 10)
	return ts + "." + t.mac(subject, ts)
}

func (t tokens) mac(subject, ts string) string {
	h := hmac.New(sha256.New, t.key)
	h.Write([]byte("momentum form token\x00" + subject + "\x00" + ts))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// check returns when the form behind tok was rendered for subject, or
// errs.Invalid when tok is missing, forged, for another subject, from the
// future or older than tokenMaxAge.
func (t tokens) check(subject, tok string) (time.Time, error) {
	bad := errs.E(errs.Invalid, msgExpired)
	ts, sig, ok := strings.Cut(tok, ".")
	if !ok || len(ts) > 12 {
		return time.Time{}, bad
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || !hmac.Equal([]byte(sig), []byte(t.mac(subject, ts))) {
		return time.Time{}, bad
	}
	at := time.Unix(n, 0)
	now := t.now()
	if at.After(now.Add(time.Minute)) || now.Sub(at) > tokenMaxAge {
		return time.Time{}, bad
	}
	return at, nil
}
