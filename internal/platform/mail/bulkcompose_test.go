package mail

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestComposeBulk(t *testing.T) {
	s := mustService(t, dbtest.NewSQLite(t), nil, Config{From: from})
	s.now = func() time.Time { return time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC) }
	c := newBulkComposer(s)
	m := &BulkMessage{
		Key: "1", To: "ada@example.org", Subject: "Grüße — the vote", FromName: "Hackney Renters", ReplyTo: "Org <org@example.org>",
		// A line that is only ".", one starting with "." and an "=_" that
		// must not end the part early.
		Text:    "Hi Ada,\n.\n.hidden\na=_momentum-alt b\n" + strings.Repeat("x", 75) + ".y\n",
		HTML:    `<p class="x">Hi Ada</p>`,
		Headers: map[string]string{"List-Unsubscribe": "<https://m.example/u/1>", "precedence": "bulk"},
	}
	var b bytes.Buffer
	if err := c.compose(&b, m); err != nil {
		t.Fatal(err)
	}
	wire := b.String()
	if !strings.HasSuffix(wire, "\r\n") || strings.HasSuffix(wire, "\r\n.\r\n") {
		t.Fatalf("composed mail must end in CRLF without the final dot: %q", wire[len(wire)-20:])
	}
	if strings.Contains(strings.ReplaceAll(wire, "\r\n", ""), "\n") {
		t.Fatal("a bare LF in the composed mail")
	}
	// Undo dot-stuffing as a server does, then parse.
	unstuffed := strings.ReplaceAll(wire, "\r\n..", "\r\n.")
	if strings.Contains(wire, "\r\n.\r\n") || strings.Contains(wire, "\r\n.h") {
		t.Fatalf("lines starting with a dot are not stuffed:\n%s", wire)
	}
	msg, err := mail.ReadMessage(strings.NewReader(unstuffed))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	for name, want := range map[string]string{
		"From": `"Hackney Renters" <noreply@example.org>`, "To": "ada@example.org", "Reply-To": `"Org" <org@example.org>`,
		"Date": "Mon, 07 Dec 2026 18:00:00 +0000", "List-Unsubscribe": "<https://m.example/u/1>", "Precedence": "bulk",
		"Mime-Version": "1.0",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); subj != m.Subject {
		t.Errorf("Subject %q", subj)
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@example.org>") {
		t.Errorf("Message-ID %q", id)
	}
	typ, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || typ != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		parts = append(parts, p.Header.Get("Content-Type")+"|"+normalise(string(body)))
	}
	want := []string{"text/plain; charset=utf-8|" + normalise(m.Text), "text/html; charset=utf-8|" + m.HTML}
	if len(parts) != 2 || parts[0] != want[0] || parts[1] != want[1] {
		t.Errorf("parts\n%q\nwant\n%q", parts, want)
	}

	t.Run("Invalid", func(t *testing.T) {
		for name, m := range map[string]BulkMessage{
			"ToTwo":        {To: "a@example.org, b@example.org", Subject: "s", Text: "t"},
			"ToNoAt":       {To: "nobody", Subject: "s", Text: "t"},
			"ToCRLF":       {To: "a@example.org\r\nDATA", Subject: "s", Text: "t"},
			"NoText":       {To: "a@example.org", Subject: "s"},
			"NoSubject":    {To: "a@example.org", Text: "t"},
			"FromNameLF":   {To: "a@example.org", Subject: "s", Text: "t", FromName: "x\nBcc: y@example.org"},
			"HeaderCR":     {To: "a@example.org", Subject: "s", Text: "t", Headers: map[string]string{"X-A": "1\rBcc: y@example.org"}},
			"HeaderFrom":   {To: "a@example.org", Subject: "s", Text: "t", Headers: map[string]string{"From": "evil@example.org"}},
			"HeaderReply":  {To: "a@example.org", Subject: "s", Text: "t", Headers: map[string]string{"reply-to": "evil@example.org"}},
			"HeaderName":   {To: "a@example.org", Subject: "s", Text: "t", Headers: map[string]string{"X A:": "1"}},
			"MessageIDBad": {To: "a@example.org", Subject: "s", Text: "t", MessageID: "<a b@c>"},
			"BadUTF8":      {To: "a@example.org", Subject: "s", Text: "t\xff"},
		} {
			var b bytes.Buffer
			if err := c.compose(&b, &m); err == nil {
				t.Errorf("%s: composed", name)
			}
		}
	})
}

func BenchmarkComposeBulk(b *testing.B) {
	s := mustService(b, dbtest.NewSQLite(b), nil, Config{From: from})
	c := newBulkComposer(s)
	msgs := benchMessages(0, 500)
	var buf bytes.Buffer
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		buf.Reset()
		if err := c.compose(&buf, &msgs[i%len(msgs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAppendQP(t *testing.T) {
	cases := []string{
		"", "plain", "tab\tand space \nline", "trailing space \n", "trailing tab\t", "crlf\r\nline\r\n", "lone\rcr",
		"= sign =3D", strings.Repeat("a", 200), strings.Repeat("ä", 100), strings.Repeat("x", 74) + "==" + strings.Repeat("y", 80),
		"Grüße, Zoë — ✊ " + strings.Repeat("lange Zeile ", 30) + "\n.\n..\nEnde ",
	}
	for i := 0; i < 200; i++ { // every byte value, in lines of varying length
		var sb strings.Builder
		for j := 0; j < i*3; j++ {
			sb.WriteByte(byte((i*7 + j*13) % 256))
		}
		cases = append(cases, sb.String())
	}
	for _, in := range cases {
		var b bytes.Buffer
		appendQP(&b, in)
		enc := b.String()
		for _, l := range strings.Split(strings.TrimSuffix(enc, "\r\n"), "\r\n") {
			if len(l) > 76 {
				t.Fatalf("line of %d characters in the encoding of %q", len(l), in)
			}
			if strings.HasSuffix(l, " ") || strings.HasSuffix(l, "\t") {
				t.Fatalf("trailing whitespace in the encoding of %q", in)
			}
		}
		dec, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(enc)))
		if err != nil {
			t.Fatalf("decode %q: %v", enc, err)
		}
		// Line breaks come back as CRLF (the final one is the part's end).
		want := strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", "\n"), "\n", "\r\n") + "\r\n"
		if string(dec) != want {
			t.Fatalf("round trip of %q gave %q", in, dec)
		}
	}
}
