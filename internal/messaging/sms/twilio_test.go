package sms

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Twilio's documented answers (https://www.twilio.com/docs/messaging/api/message-resource,
// "Create a Message resource", and https://www.twilio.com/docs/usage/twilios-response,
// the error document), trimmed to the fields that matter.
const (
	twilioCreated = `{"account_sid": "ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "api_version": "2010-04-01",
		"body": "Hello", "date_created": "Thu, 24 Aug 2023 05:01:45 +0000", "direction": "outbound-api",
		"error_code": null, "error_message": null, "from": "+14155552345", "num_segments": "1",
		"sid": "SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "status": "queued", "to": "+14155552345",
		"uri": "/2010-04-01/Accounts/ACXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/Messages/SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX.json"}`
	twilioUnsubscribed = `{"code": 21610, "message": "Attempt to send to unsubscribed recipient",
		"more_info": "https://www.twilio.com/docs/errors/21610", "status": 400}`
	twilioInvalidTo = `{"code": 21211, "message": "Invalid 'To' Phone Number: +4412",
		"more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}`
	twilioTooMany = `{"code": 20429, "message": "Too Many Requests",
		"more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}`
	twilioServer = `{"code": 20500, "message": "Internal Server Error",
		"more_info": "https://www.twilio.com/docs/errors/20500", "status": 500}`
)

// fakeTwilio is a local Twilio: it checks each request's shape as Twilio's
// API would and answers with status and body.
func fakeTwilio(t *testing.T, status int, body string, got *url.Values) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/AC123/Messages.json" {
			t.Errorf("request %s %s, want POST /2010-04-01/Accounts/AC123/Messages.json", r.Method, r.URL.Path)
		}
		if user, pass, ok := r.BasicAuth(); !ok || user != "AC123" || pass != "secret-token" {
			t.Errorf("basic auth %q:%q (%v), want AC123:secret-token", user, pass, ok)
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type %q", ct)
		}
		b, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(b))
		if err != nil {
			t.Errorf("form: %v", err)
		}
		if got != nil {
			*got = form
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTwilioSend(t *testing.T) {
	var form url.Values
	srv := fakeTwilio(t, http.StatusCreated, twilioCreated, &form)
	tw := &Twilio{BaseURL: srv.URL + "/", AccountSID: "AC123", AuthToken: "secret-token", From: "+447700900999"}
	res, err := tw.Send(context.Background(), Message{To: "+447700900123", Body: "Meet at 6 — bring a friend & a sign"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ProviderID != "SMXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" {
		t.Errorf("ProviderID %q", res.ProviderID)
	}
	want := url.Values{"To": {"+447700900123"}, "From": {"+447700900999"}, "Body": {"Meet at 6 — bring a friend & a sign"}}
	if form.Encode() != want.Encode() {
		t.Errorf("form %v, want %v", form, want)
	}
}

func TestTwilioSendMessagingService(t *testing.T) {
	var form url.Values
	srv := fakeTwilio(t, http.StatusCreated, twilioCreated, &form)
	mg := "MG" + strings.Repeat("0a", 16)
	tw := &Twilio{BaseURL: srv.URL, AccountSID: "AC123", AuthToken: "secret-token", From: mg}
	if _, err := tw.Send(context.Background(), Message{To: "+447700900123", Body: "Hi"}); err != nil {
		t.Fatal(err)
	}
	if form.Get("MessagingServiceSid") != mg || form.Has("From") {
		t.Errorf("form %v: want MessagingServiceSid=%s and no From", form, mg)
	}
}

func TestTwilioErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		permanent bool
		code      int
		message   string
	}{
		{"Unsubscribed21610", 400, twilioUnsubscribed, true, CodeUnsubscribed, "Attempt to send to unsubscribed recipient"},
		{"InvalidTo21211", 400, twilioInvalidTo, true, CodeInvalidTo, "Invalid 'To' Phone Number: +4412"},
		{"BadCredentials401", 401, `{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}`, true, 20003, "Authenticate"},
		{"TooManyRequests429", 429, twilioTooMany, false, CodeTooManyReqs, "Too Many Requests"},
		{"ServerError500", 500, twilioServer, false, 20500, "Internal Server Error"},
		{"ProxyPage502", 502, "<html>Bad gateway</html>", false, 0, "Bad Gateway"},
		{"AcceptedButFailed", 201, `{"sid": "SM1", "status": "failed", "error_code": 30007, "error_message": "Carrier violation"}`, true, 30007, "Carrier violation"},
		{"AcceptedNoSid", 201, `not json`, true, 0, "the provider accepted the message but its answer had no message id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeTwilio(t, tc.status, tc.body, nil)
			tw := &Twilio{BaseURL: srv.URL, AccountSID: "AC123", AuthToken: "secret-token", From: "+447700900999"}
			_, err := tw.Send(context.Background(), Message{To: "+447700900123", Body: "Hi"})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want *Error", err, err)
			}
			if e.Permanent != tc.permanent || IsPermanent(err) != tc.permanent {
				t.Errorf("Permanent %v, want %v", e.Permanent, tc.permanent)
			}
			if e.Code != tc.code || e.Message != tc.message {
				t.Errorf("code %d %q, want %d %q", e.Code, e.Message, tc.code, tc.message)
			}
			if tc.code == CodeUnsubscribed && e.MoreInfo != "https://www.twilio.com/docs/errors/21610" {
				t.Errorf("MoreInfo %q", e.MoreInfo)
			}
		})
	}
}

// TestTwilioNetworkErrorIsTemporary: a provider that cannot be reached is a
// temporary failure.
func TestTwilioNetworkErrorIsTemporary(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	tw := &Twilio{BaseURL: base, AccountSID: "AC123", AuthToken: "x", From: "+447700900999"}
	_, err := tw.Send(context.Background(), Message{To: "+447700900123", Body: "Hi"})
	var e *Error
	if !errors.As(err, &e) || e.Permanent || e.Ambiguous {
		t.Fatalf("error %+v, want a temporary *Error, certainly not sent", err)
	}
}

// TestTwilioLostAnswerIsAmbiguous: the provider read the request and the
// connection dropped before its answer: the message may have gone, so the
// error says so (and the fan-out will not send it again).
func TestTwilioLostAnswerIsAmbiguous(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	tw := &Twilio{BaseURL: srv.URL, AccountSID: "AC123", AuthToken: "x", From: "+447700900999"}
	_, err := tw.Send(context.Background(), Message{To: "+447700900123", Body: "Hi"})
	var e *Error
	if !errors.As(err, &e) || !e.Ambiguous || e.Permanent {
		t.Fatalf("error %+v, want an ambiguous temporary *Error", err)
	}
}

// TestDisabled: without settings New gives Disabled, which refuses with the
// message that says what to set.
func TestDisabled(t *testing.T) {
	p := New(Config{ProviderURL: "https://api.twilio.com", AccountSID: "AC1"})
	if p.Configured() {
		t.Fatal("a provider without token and sender is configured")
	}
	_, err := p.Send(context.Background(), Message{To: "+447700900123", Body: "Hi"})
	if !IsPermanent(err) || !strings.Contains(err.Error(), "SMS is not configured: set MOMENTUM_SMS_ACCOUNT_SID") {
		t.Errorf("error %v", err)
	}
	if p := New(Config{ProviderURL: "https://api.twilio.com", AccountSID: "AC1", AuthToken: "t", From: "+447700900999"}); !p.Configured() {
		t.Error("a complete configuration is not configured")
	} else if _, ok := p.(*Twilio); !ok {
		t.Errorf("provider %T, want *Twilio", p)
	}
}

// TestSenderThroughTwilio: a batch through the real client to a local
// Twilio that opted one number out: that one is permanent (21610), the
// rest carry Twilio's message ids.
func TestSenderThroughTwilio(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		if r.PostForm.Get("To") == "+447700900666" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, twilioUnsubscribed)
			return
		}
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"sid": "SM-`+r.PostForm.Get("To")+`", "status": "queued"}`)
	}))
	defer srv.Close()
	s := NewSender(New(Config{ProviderURL: srv.URL, AccountSID: "AC123", AuthToken: "t", From: "+447700900999"}), 100, 0)
	out := s.Send(context.Background(), []Outgoing{
		{Key: "a", To: "+447700900111", Body: "Hi"},
		{Key: "b", To: "+447700900666", Body: "Hi"},
		{Key: "c", To: "+447700900222", Body: "Hi"},
	})
	if out[0].Err != nil || out[0].ProviderID != "SM-+447700900111" || out[2].ProviderID != "SM-+447700900222" {
		t.Errorf("sent: %+v %+v", out[0], out[2])
	}
	var e *Error
	if !out[1].Permanent || !errors.As(out[1].Err, &e) || e.Code != CodeUnsubscribed {
		t.Errorf("opted out: %+v", out[1])
	}
}
