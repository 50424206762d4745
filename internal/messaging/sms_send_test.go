package messaging_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Numbers the local gateway treats specially.
const (
	optedOutNumber = "+447700900666" // Twilio's 21610: replied STOP to Twilio itself
	busyOnceNumber = "+447700900429" // 429 the first time, then taken
)

// gateway is a local Twilio-compatible SMS provider, the one fake of these
// tests. It answers as Twilio documents, and for every request checks in
// the database that the recipient's row was already marked sent: the
// exactly-once rule of an HTTP provider (sms_send.go).
type gateway struct {
	*httptest.Server
	mu       sync.Mutex
	took     map[string][]string // number → bodies taken
	asked    map[string]int      // number → requests
	unmarked []string            // numbers asked for before their row said sent
}

func startGateway(t *testing.T, d *db.DB) *gateway {
	g := &gateway{took: map[string][]string{}, asked: map[string]int{}}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		to, body := r.PostForm.Get("To"), r.PostForm.Get("Body")
		var status string
		_ = d.QueryRow(r.Context(), `SELECT status FROM broadcast_recipients WHERE address = ?`, to).Scan(&status)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.asked[to]++
		if status != "sent" {
			g.unmarked = append(g.unmarked, to+" ("+status+")")
		}
		w.Header().Set("Content-Type", "application/json")
		switch {
		case to == optedOutNumber:
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code": 21610, "message": "Attempt to send to unsubscribed recipient", "more_info": "https://www.twilio.com/docs/errors/21610", "status": 400}`)
		case to == busyOnceNumber && g.asked[to] == 1:
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"code": 20429, "message": "Too Many Requests", "more_info": "https://www.twilio.com/docs/errors/20429", "status": 429}`)
		default:
			g.took[to] = append(g.took[to], body)
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"sid": "SM0123456789abcdef0123456789abcdef", "status": "queued", "to": "`+to+`"}`)
		}
	}))
	t.Cleanup(g.Close)
	return g
}

// newSMSEnv is newEnv with SMS configured to send through gatewayURL.
func newSMSEnv(t *testing.T, d *db.DB, gatewayURL string) *env {
	t.Helper()
	cfg := config.Config{BaseURL: site, TimeZone: "Europe/London", DataDir: t.TempDir(), SiteName: "Act Now",
		SMSProviderURL: gatewayURL, SMSAccountSID: "AC123", SMSAuthToken: "tok", SMSFrom: "+447700900999", SMSRate: 200}
	s, err := build.New(context.Background(), build.Options{DB: d, Log: slog.New(slog.DiscardHandler), Config: cfg, FastJobs: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	e := &env{d: d, s: s, svc: s.Messaging, sys: auth.WithSystem(context.Background())}
	e.admin = e.account(t, "Ada Admin", auth.RoleAdmin)
	return e
}

// phone gives a person a mobile number (their primary one, and in
// person_phones, where a STOP finds them).
func (e *env) phone(t testing.TB, personID, number string) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.d.Exec(ctx, `UPDATE people SET phone = ? WHERE id = ?`, number, personID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.Exec(ctx, `INSERT INTO person_phones (number, person_id, created_at) VALUES (?, ?, ?)`, number, personID, db.Now()); err != nil {
		t.Fatal(err)
	}
}

func text(groupID string) messaging.Input {
	return messaging.Input{Channel: messaging.ChannelSMS, Body: "Hi {{first_name|friend}}, vote on Thursday!",
		Targets: []messaging.Target{{Kind: messaging.TargetGroup, ID: groupID}}}
}

// TestSMSNotConfigured: without MOMENTUM_SMS_* an SMS broadcast is refused
// when written, with the message that says what to set; email is not.
func TestSMSNotConfigured(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, "")
		g := e.group(t, "Hackney")
		if e.svc.SMSConfigured() {
			t.Fatal("SMS configured without settings")
		}
		_, err := e.svc.Create(e.admin.ctx, text(g))
		wantCode(t, err, errs.Invalid)
		if msg := errs.FieldsOf(err)["channel"]; !strings.HasPrefix(msg, "SMS is not configured: set MOMENTUM_SMS_ACCOUNT_SID") {
			t.Errorf("channel: %q", msg)
		}
		e.mustCreate(t, e.admin.ctx, mail(g))
	})
	if _, err := messaging.New(messaging.Deps{BaseURL: site}); err == nil || !strings.Contains(err.Error(), "SMS") {
		t.Errorf("New without an SMS sender: %v, want it named", err)
	}
}

// TestSMSBroadcast: an SMS broadcast goes through the provider's REST API
// to the people with 'sms' consent and a number, each once, personalised;
// not to one without consent, one without a number, nor one who texted
// STOP (through the real inbox: consent withdrawn, number suppressed).
// Every row is marked sent before its request. The provider's 21610 (opted
// out at the provider) fails that row for good; a 429 is tried again by
// the next attempt and then taken. On both engines.
func TestSMSBroadcast(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		gw := startGateway(t, d)
		e := newSMSEnv(t, d, gw.URL)
		if !e.svc.SMSConfigured() {
			t.Fatal("SMS not configured")
		}
		g := e.group(t, "Hackney")
		add := func(name, number string, sms bool) string {
			id := e.person(t, name, true)
			if number != "" {
				e.phone(t, id, number)
			}
			if sms {
				e.consent(t, id, "sms", "granted")
			}
			e.join(t, g, id, "member")
			return id
		}
		add("Ana Lee", "+447700900111", true)
		add("Ben Opted", optedOutNumber, true)
		add("Fay Busy", busyOnceNumber, true)
		add("Cal NoConsent", "+447700900222", false)
		add("Dee NoPhone", "", true)
		eve := add("Eve Stop", "+447700900333", true)
		reply, err := e.s.SMSInbox.Receive(context.Background(), sms.Inbound{From: "+447700900333", Body: "STOP"})
		if err != nil || reply.Action != sms.ActionStop || reply.People != 1 {
			t.Fatalf("STOP: %+v %v", reply, err)
		}
		if ok, _ := e.s.People.HasConsent(context.Background(), d.Q(), eve, "sms"); ok {
			t.Fatal("STOP left Eve's consent")
		}

		in := text(g)
		if n, err := e.svc.Count(e.admin.ctx, in); err != nil || n != 3 {
			t.Fatalf("Count = %d, %v; want 3 (Ana, Ben, Fay)", n, err)
		}
		b := e.mustCreate(t, e.admin.ctx, in)
		if _, err := e.svc.Send(e.admin.ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		e.startJobs(t)
		e.waitStatus(t, b.ID, messaging.StatusSent, 30*time.Second)

		gw.mu.Lock()
		defer gw.mu.Unlock()
		if len(gw.unmarked) > 0 {
			t.Errorf("requests before the row was marked sent: %v", gw.unmarked)
		}
		want := map[string][]string{"+447700900111": {"Hi Ana, vote on Thursday!"}, busyOnceNumber: {"Hi Fay, vote on Thursday!"}}
		if len(gw.took) != len(want) {
			t.Errorf("provider took %v, want %v", gw.took, want)
		}
		for number, bodies := range want {
			if got := gw.took[number]; len(got) != 1 || got[0] != bodies[0] {
				t.Errorf("%s got %q, want %q once", number, got, bodies)
			}
		}
		if gw.asked[optedOutNumber] != 1 || gw.asked[busyOnceNumber] != 2 {
			t.Errorf("requests: %v; want the opted-out number once, the busy one twice", gw.asked)
		}
		st, err := e.svc.Stats(e.admin.ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.Recipients != 3 || st.Sent != 2 || st.Failed != 1 || st.Queued != 0 {
			t.Errorf("stats %+v, want 3 recipients: 2 sent, 1 failed", st)
		}
		var status, msg string
		var code int
		if err := d.QueryRow(context.Background(), `SELECT status, error, smtp_code FROM broadcast_recipients WHERE address = ?`,
			optedOutNumber).Scan(&status, &msg, &code); err != nil {
			t.Fatal(err)
		}
		if status != "failed" || code != sms.CodeUnsubscribed || !strings.Contains(msg, "unsubscribed recipient") {
			t.Errorf("opted-out row: %s %d %q", status, code, msg)
		}
	})
}
