package sms

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Twilio sends through Twilio's Programmable Messaging REST API, or any
// provider that copies its shape (SignalWire's compatibility API, a local
// test server): BaseURL is where that API lives.
//
// One message is one request (https://www.twilio.com/docs/messaging/api/message-resource,
// "Create a Message resource"):
//
//	POST {BaseURL}/2010-04-01/Accounts/{AccountSID}/Messages.json
//	Authorization: Basic base64(AccountSID:AuthToken)
//	Content-Type: application/x-www-form-urlencoded
//
//	To=+447700900123&From=+447700900999&Body=…
//
// (MessagingServiceSid=MG… instead of From when the sender is a Messaging
// Service). Twilio answers 201 with the Message resource as JSON, whose
// "sid" ("SM…") is the ProviderID; a refusal is a 4xx or 5xx with
// {"code": 21211, "message": "…", "more_info": "https://…", "status": 400}.
type Twilio struct {
	BaseURL    string // "https://api.twilio.com"
	AccountSID string
	AuthToken  string
	From       string // the default sender: +E.164, an alphanumeric ID, or a Messaging Service SID (MG…)
	// Client makes the requests; nil means one with a 30 s timeout.
	Client *http.Client
}

// maxResponse bounds how much of an answer is read: Twilio's Message
// resource is about 1 KiB.
const maxResponse = 64 << 10

var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Configured is true: a Twilio with its settings can send.
func (t *Twilio) Configured() bool { return true }

// Send posts one message. Errors are *Error: permanent for a 4xx other than
// 408 and 429 (Twilio's code and message kept), temporary for 408, 429,
// 5xx and a failed connection.
func (t *Twilio) Send(ctx context.Context, m Message) (Result, error) {
	from := m.From
	if from == "" {
		from = t.From
	}
	form := url.Values{"To": {m.To}, "Body": {m.Body}}
	if IsMessagingService(from) {
		form.Set("MessagingServiceSid", from)
	} else {
		form.Set("From", from)
	}
	endpoint := strings.TrimRight(t.BaseURL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(t.AccountSID) + "/Messages.json"
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return Result{}, &Error{Permanent: true, Message: "the provider URL is not usable", Err: err}
	}
	req.SetBasicAuth(t.AccountSID, t.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	c := t.Client
	if c == nil {
		c = defaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		if neverSent(err) {
			return Result{}, &Error{Message: "the provider could not be reached", Err: err}
		}
		return Result{}, &Error{Message: "no answer from the provider", Err: err, Ambiguous: true}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil && resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return Result{}, &Error{Status: resp.StatusCode, Message: "the provider's answer was cut off", Err: err, Ambiguous: true}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		var ok struct {
			SID          string `json:"sid"`
			Status       string `json:"status"`
			ErrorCode    *int   `json:"error_code"`
			ErrorMessage string `json:"error_message"`
		}
		if err := json.Unmarshal(body, &ok); err != nil || ok.SID == "" {
			// Taken (2xx) but unreadable: the message may well go out, so
			// this is not "try again", which could send it twice.
			return Result{}, &Error{Permanent: true, Ambiguous: true, Status: resp.StatusCode,
				Message: "the provider accepted the message but its answer had no message id"}
		}
		if ok.Status == "failed" || ok.Status == "undelivered" {
			code := 0
			if ok.ErrorCode != nil {
				code = *ok.ErrorCode
			}
			return Result{ProviderID: ok.SID}, &Error{Permanent: true, Status: resp.StatusCode, Code: code,
				Message: clip(ok.ErrorMessage, 200)}
		}
		return Result{ProviderID: ok.SID}, nil
	}
	return Result{}, twilioError(resp.StatusCode, body)
}

// neverSent reports whether err means the request cannot have reached the
// provider: the connection was never made (DNS, refused, unreachable).
// Anything later (a timeout, a reset) may have been after the provider
// read the request.
func neverSent(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// twilioError reads Twilio's error document (code, message, more_info) and
// decides whether the failure is permanent.
func twilioError(status int, body []byte) *Error {
	var doc struct {
		Code     int    `json:"code"`
		Message  string `json:"message"`
		MoreInfo string `json:"more_info"`
	}
	_ = json.Unmarshal(body, &doc) // a proxy's HTML page has none: the status alone decides
	e := &Error{Status: status, Code: doc.Code, Message: clip(doc.Message, 200), MoreInfo: clip(doc.MoreInfo, 200)}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	switch {
	case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout, doc.Code == CodeTooManyReqs:
		e.Permanent = false
	case status >= 500:
		e.Permanent = false
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		// Wrong credentials or a suspended account: no message will go until
		// an admin fixes it, so none is worth retrying now.
		e.Permanent = true
	default:
		e.Permanent = status >= 400
	}
	return e
}

// IsMessagingService reports whether from names a Twilio Messaging Service
// ("MG" and 32 hexadecimal digits) rather than a number or sender ID.
func IsMessagingService(from string) bool {
	if len(from) != 34 || !strings.HasPrefix(from, "MG") {
		return false
	}
	for _, r := range from[2:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// clip cuts s to at most n runes, for provider text kept in errors.
func clip(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
