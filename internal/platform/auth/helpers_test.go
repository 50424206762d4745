package auth

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// clock is an injectable clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeMailer records mail once its transaction commits, as the real outbox
// would hold it only then.
type fakeMailer struct {
	mu   sync.Mutex
	msgs []OutgoingMail
}

func (f *fakeMailer) Queue(ctx context.Context, tx *db.Tx, m OutgoingMail) (string, error) {
	// As the real Queue does: every account mail must say why it is sent.
	if m.Kind == mail.KindService && strings.TrimSpace(m.Why) == "" {
		return "", fmt.Errorf("mail %s has no why-line", m.Related)
	}
	tx.AfterCommit(func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.msgs = append(f.msgs, m)
	})
	return db.NewID(), nil
}

// sent returns the mail with this Related label to this address, oldest first.
func (f *fakeMailer) sent(related, to string) []OutgoingMail {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []OutgoingMail
	for _, m := range f.msgs {
		if m.Related == related && m.To == to {
			out = append(out, m)
		}
	}
	return out
}

var linkRE = regexp.MustCompile(`http://momentum\.test(/[a-z/]+/)([A-Za-z0-9_-]{43})\b`)

// token returns the token in the newest mail of this kind to this address,
// checking the link's path.
func (f *fakeMailer) token(t *testing.T, related, to, path string) string {
	t.Helper()
	ms := f.sent(related, to)
	if len(ms) == 0 {
		t.Fatalf("no %s mail to %s", related, to)
	}
	m := linkRE.FindStringSubmatch(ms[len(ms)-1].Text)
	if m == nil {
		t.Fatalf("no link in %s mail:\n%s", related, ms[len(ms)-1].Text)
	}
	if m[1] != path {
		t.Fatalf("%s link path = %q, want %q", related, m[1], path)
	}
	return m[2]
}

// fastParams keep tests quick; TestPassword checks the real defaults.
var fastParams = PasswordParams{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

type env struct {
	d     *db.DB
	svc   *Service
	mail  *fakeMailer
	clock *clock
}

func newEnv(t *testing.T, d *db.DB, change ...func(*Config)) *env {
	t.Helper()
	e := &env{d: d, mail: &fakeMailer{}, clock: newClock()}
	cfg := Config{BaseURL: "http://momentum.test/", Now: e.clock.Now, Password: fastParams, SiteName: "Test Network"}
	for _, c := range change {
		c(&cfg)
	}
	e.svc = NewService(d, e.mail, NewPolicy(), cfg, nil)
	e.svc.AccountCreated().Set(NoPerson)
	return e
}

const goodPassword = "correct horse battery"

func (e *env) signUp(t *testing.T, email string) *User {
	t.Helper()
	u, err := e.svc.SignUp(context.Background(), SignUpInput{Name: "Ada Lovelace", Email: email, Password: goodPassword, IP: "192.0.2.1"})
	if err != nil {
		t.Fatalf("sign up %s: %v", email, err)
	}
	return u
}

func (e *env) login(t *testing.T, email, password string) *Login {
	t.Helper()
	l, err := e.svc.Login(context.Background(), LoginInput{Email: email, Password: password, IP: "192.0.2.1", UserAgent: "test"})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return l
}

// as returns a context in which u is signed in.
func as(u *User) context.Context {
	return WithPrincipal(context.Background(), PrincipalFor(u, nil))
}

func wantCode(t *testing.T, err error, code errs.Code) {
	t.Helper()
	if errs.CodeOf(err) != code {
		t.Fatalf("error = %v, want code %q", err, code)
	}
}

func wantField(t *testing.T, err error, field, contains string) {
	t.Helper()
	got := errs.FieldsOf(err)[field]
	if got == "" || !strings.Contains(got, contains) {
		t.Fatalf("field %q error = %q (err %v), want it to contain %q", field, got, err, contains)
	}
}

// tableText returns every value of every row of table as text.
func tableText(t *testing.T, d *db.DB, table string) string {
	t.Helper()
	rows, err := d.W.QueryContext(context.Background(), "SELECT * FROM "+table)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v\t", v)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func countRows(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil && err != sql.ErrNoRows {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// NoPerson is the account hook of auth on its own, where accounts have no
// person records (app sets the people capability's).
func NoPerson(context.Context, *db.Tx, *User) error { return nil }
