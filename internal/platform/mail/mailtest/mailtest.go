// Package mailtest starts a real SMTP server, mailpit, for the mail tests of
// any package, and reads what it received through mailpit's HTTP API.
//
// Each call to Start runs its own mailpit on free 127.0.0.1 ports with a
// throw-away database and stops it when the test ends (it starts in well under
// a second), so tests never see one another's mail and may run in parallel.
//
// mailpit is found at $MOMENTUM_MAILPIT, on PATH, or in $GOBIN / $GOPATH/bin.
// When it is missing the test is skipped, saying how to install it — except
// when CI=true, where nothing may be skipped and the test fails instead.
package mailtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/testenv"
)

// Install is the command that installs the mailpit these tests expect.
const Install = "go install github.com/axllent/mailpit@v1.33.1"

// Mailpit is a running mailpit.
type Mailpit struct {
	// SMTPURL is what mail.Config.SMTPURL should be. It carries a user and
	// password, which mailpit accepts, so the AUTH path is exercised too.
	SMTPURL string
	// APIURL is the base of the HTTP API, e.g. http://127.0.0.1:41234.
	APIURL string
}

// Received is a message as mailpit decoded it.
type Received struct {
	ID      string
	From    string // address only
	To      []string
	Subject string // decoded from RFC 2047
	Text    string
	HTML    string
	// Headers as sent, keyed by canonical name.
	Headers map[string][]string
}

// Binary returns the path of the mailpit binary, or "" when there is none.
func Binary() string {
	if p := os.Getenv("MOMENTUM_MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	var dirs []string
	if b := os.Getenv("GOBIN"); b != "" {
		dirs = append(dirs, b)
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, p := range filepath.SplitList(gopath) {
		dirs = append(dirs, filepath.Join(p, "bin"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, d := range dirs {
		p := filepath.Join(d, "mailpit")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// Options adjust a mailpit started with StartWith.
type Options struct {
	// AllowedRecipients is a regular expression; mailpit refuses other
	// recipients with a 5xx reply, as a real server does an unknown user.
	AllowedRecipients string
	// MaxMessages is how many messages mailpit keeps, deleting the oldest
	// beyond it: 0 keeps mailpit's default (500), a negative number keeps
	// every message (tests that send thousands).
	MaxMessages int
}

// Start runs a mailpit for this test and stops it at cleanup.
func Start(t testing.TB) *Mailpit {
	t.Helper()
	return StartWith(t, Options{})
}

// StartWith is Start with options.
func StartWith(t testing.TB, o Options) *Mailpit {
	t.Helper()
	bin := Binary()
	if bin == "" {
		testenv.Missing(t, "SMTP delivery", "install the mailpit SMTP server ("+Install+") or set MOMENTUM_MAILPIT")
	}
	var lastErr error
	for try := 0; try < 3; try++ { // a free port can be taken before mailpit binds it
		m, err := start(t, bin, o)
		if err == nil {
			return m
		}
		lastErr = err
	}
	t.Fatalf("start mailpit %s: %v", bin, lastErr)
	return nil
}

func start(t testing.TB, bin string, o Options) (*Mailpit, error) {
	smtpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	smtpAddr := net.JoinHostPort("127.0.0.1", smtpPort)
	httpAddr := net.JoinHostPort("127.0.0.1", httpPort)
	var logs bytes.Buffer
	args := []string{"--smtp", smtpAddr, "--listen", httpAddr,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure", "--smtp-disable-rdns",
		"--disable-version-check"}
	if o.AllowedRecipients != "" {
		args = append(args, "--smtp-allowed-recipients", o.AllowedRecipients)
	}
	switch {
	case o.MaxMessages < 0:
		args = append(args, "--max", "0") // mailpit's 0: no limit
	case o.MaxMessages > 0:
		args = append(args, "--max", strconv.Itoa(o.MaxMessages))
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	m := &Mailpit{SMTPURL: "smtp://test:test@" + smtpAddr, APIURL: "http://" + httpAddr}
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-exited:
			return nil, fmt.Errorf("mailpit exited: %s", logs.String())
		default:
		}
		if ready(m.APIURL, smtpAddr) {
			t.Cleanup(stop)
			return m, nil
		}
		if time.Now().After(deadline) {
			stop()
			return nil, fmt.Errorf("mailpit not ready after 20s: %s", logs.String())
		}
		time.Sleep(30 * time.Millisecond)
	}
}

func ready(api, smtpAddr string) bool {
	resp, err := http.Get(api + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", smtpAddr, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

type address struct{ Name, Address string }

type summary struct {
	ID string
	To []address
}

type message struct {
	ID      string
	From    *address
	To      []address
	Subject string
	Text    string
	HTML    string
}

// WaitFor polls until a message to the address to arrives and returns it,
// failing the test after timeout.
func (m *Mailpit) WaitFor(t testing.TB, to string, timeout time.Duration) *Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		list, err := m.list()
		if err != nil {
			t.Fatalf("mailpit: %v", err)
		}
		for _, s := range list {
			for _, a := range s.To {
				if strings.EqualFold(a.Address, to) {
					r, err := m.get(s.ID)
					if err != nil {
						t.Fatalf("mailpit: %v", err)
					}
					return r
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit: no mail to %s arrived within %s (%d other messages)", to, timeout, len(list))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Messages returns every message received so far, newest first.
func (m *Mailpit) Messages(t testing.TB) []Received {
	t.Helper()
	list, err := m.list()
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	out := make([]Received, 0, len(list))
	for _, s := range list {
		r, err := m.get(s.ID)
		if err != nil {
			t.Fatalf("mailpit: %v", err)
		}
		out = append(out, *r)
	}
	return out
}

// Count returns how many messages mailpit holds, cheaply (one request,
// whatever the number).
func (m *Mailpit) Count(t testing.TB) int {
	t.Helper()
	var resp struct{ Total int }
	if err := m.getJSON("/api/v1/messages?limit=1", &resp); err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	return resp.Total
}

// Recipients returns the To addresses of every message received, one entry
// per message and address (an address twice means a mail arrived twice),
// reading the list a page at a time: for tests that send thousands.
func (m *Mailpit) Recipients(t testing.TB) []string {
	t.Helper()
	var out []string
	for start := 0; ; start += 1000 {
		var resp struct {
			Total    int
			Messages []summary
		}
		if err := m.getJSON(fmt.Sprintf("/api/v1/messages?limit=1000&start=%d", start), &resp); err != nil {
			t.Fatalf("mailpit: %v", err)
		}
		for _, s := range resp.Messages {
			for _, a := range s.To {
				out = append(out, a.Address)
			}
		}
		if len(resp.Messages) == 0 || start+len(resp.Messages) >= resp.Total {
			return out
		}
	}
}

func (m *Mailpit) list() ([]summary, error) {
	var resp struct{ Messages []summary }
	err := m.getJSON("/api/v1/messages?limit=1000", &resp)
	return resp.Messages, err
}

func (m *Mailpit) get(id string) (*Received, error) {
	var msg message
	if err := m.getJSON("/api/v1/message/"+id, &msg); err != nil {
		return nil, err
	}
	r := &Received{ID: msg.ID, Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML}
	if msg.From != nil {
		r.From = msg.From.Address
	}
	for _, a := range msg.To {
		r.To = append(r.To, a.Address)
	}
	if err := m.getJSON("/api/v1/message/"+id+"/headers", &r.Headers); err != nil {
		return nil, err
	}
	return r, nil
}

func (m *Mailpit) getJSON(path string, v any) error {
	resp, err := http.Get(m.APIURL + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// FindLink returns the first URL in body that starts with prefix, failing
// the test when there is none. It ends at whitespace, a quote or an angle
// bracket, and HTML entities in it are decoded, so it works on Text and HTML.
func FindLink(t testing.TB, body, prefix string) string {
	t.Helper()
	i := strings.Index(body, prefix)
	if i < 0 {
		t.Fatalf("no link starting with %q in the mail body", prefix)
	}
	link := body[i:]
	if j := strings.IndexFunc(link, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '"' || r == '\'' || r == '<' || r == '>'
	}); j >= 0 {
		link = link[:j]
	}
	return html.UnescapeString(link)
}
