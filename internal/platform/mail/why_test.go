package mail

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail/mailtest"
)

// TestServiceMailSaysWhy: a service mail arrives at a real SMTP server
// with its why-line as the last line of both parts and marked
// transactional, without List-Unsubscribe; a bulk mail has neither mark.
func TestServiceMailSaysWhy(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		mp := mailtest.Start(t)
		s := mustService(t, d, &recordingInserter{}, Config{SMTPURL: mp.SMTPURL, From: from})
		why := "You get this because you asked to log in to Momentum & friends."
		mustQueue(t, s, Message{To: "ada@example.org", Subject: "Your link", Text: "Open the link.\n",
			HTML: "<html><body><p>Open the link.</p></body></html>", Why: why})
		mustQueue(t, s, Message{To: "bulk@example.org", Subject: "News", Text: "News.", Kind: KindBulk,
			Headers: map[string]string{"List-Unsubscribe": "<https://x.example/u>"}})
		if err := work(s); err != nil {
			t.Fatal(err)
		}
		r := mp.WaitFor(t, "ada@example.org", 10*time.Second)
		if got := normalise(r.Text); !strings.HasSuffix(got, "Open the link.\n\n-- \n"+why) {
			t.Errorf("text ends %q, want the why-line after the separator", got)
		}
		if !strings.Contains(r.HTML, "Momentum &amp; friends.</p></body>") {
			t.Errorf("HTML lacks the escaped why paragraph before </body>: %q", r.HTML)
		}
		if got := r.Headers[HeaderKind]; len(got) != 1 || got[0] != KindTransactional {
			t.Errorf("%s = %v", HeaderKind, got)
		}
		if _, ok := r.Headers["List-Unsubscribe"]; ok {
			t.Error("a service mail carries List-Unsubscribe")
		}
		b := mp.WaitFor(t, "bulk@example.org", 10*time.Second)
		if _, ok := b.Headers[HeaderKind]; ok || strings.Contains(b.Text, "-- ") {
			t.Errorf("bulk mail marked transactional or given a why footer: %v %q", b.Headers, b.Text)
		}
	})
}

// TestTemplateWhy: a template's "Why:" line becomes Message.Why, and
// Render shows the body as read, footer included.
func TestTemplateWhy(t *testing.T) {
	ts := MustParseTemplates(fstest.MapFS{
		"m/a.tmpl": {Data: []byte("Subject: Hi {{.}}\nWhy: You get this because you are {{.}}.\n\nBody for {{.}}.\n")},
		"m/b.tmpl": {Data: []byte("Subject: Hi\nWhy: one\ntwo\n\nBody.\n")},
	}, "m/*.tmpl", nil)
	m, err := ts.Message("a.tmpl", "ada@example.org", "Ada")
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Hi Ada" || m.Why != "You get this because you are Ada." || m.Text != "Body for Ada.\n" {
		t.Fatalf("message %+v", m)
	}
	mailtest.Rendered(t, ts, "a.tmpl", "Ada", "Hi Ada", "Body for Ada.\n\n-- \nYou get this because you are Ada.\n")
	if _, _, err := ts.Render("b.tmpl", nil); err == nil {
		t.Error("a head with a third line was accepted")
	}
}

// TestEveryMailTemplateSaysWhy: every mail template of every capability
// (internal/**/mail/*.tmpl) has its "Why:" line right under its subject, so
// no new mail can forget to say why it is sent (Queue would refuse it at
// run time; this finds it before).
func TestEveryMailTemplateSaysWhy(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".tmpl" || filepath.Base(filepath.Dir(path)) != "mail" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		lines := strings.SplitN(string(b), "\n", 3)
		if len(lines) < 2 || !strings.Contains(lines[0], "Subject: ") || !strings.HasPrefix(lines[1], "Why: You ") {
			t.Errorf("%s: want a \"Subject: …\" line and then a \"Why: You …\" line", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("found only %d mail templates under %s", n, root)
	}
}
