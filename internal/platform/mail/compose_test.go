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
)

func TestCompose(t *testing.T) {
	sender, _, err := parseFrom("Momentum Büro <noreply@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	subject := "Einladung zur Vollversammlung — Ünïcödé " + strings.Repeat("ß", 60)
	text := "Zeile eins\nZeile zwei mit Umlaut ä\n" + strings.Repeat("x", 200) + "\n.\n"

	t.Run("Alternative", func(t *testing.T) {
		raw, err := compose(sender, &Stored{To: "ada@example.org", ToName: "Ada Ä", Subject: subject, Text: text,
			HTML: "<p>Hallo ä</p>", Kind: KindBulk, MessageID: "<1@example.org>",
			Headers: map[string]string{"list-unsubscribe": "<https://x.example/u>"}}, date)
		if err != nil {
			t.Fatal(err)
		}
		checkWire(t, raw)
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		h := msg.Header
		if got, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); got != subject {
			t.Errorf("subject decodes to %q", got)
		}
		if to, err := h.AddressList("To"); err != nil || to[0].Name != "Ada Ä" || to[0].Address != "ada@example.org" {
			t.Errorf("To = %v, %v", to, err)
		}
		if d, err := h.Date(); err != nil || !d.Equal(date) {
			t.Errorf("Date = %v, %v", d, err)
		}
		if h.Get("Message-ID") != "<1@example.org>" || h.Get("MIME-Version") != "1.0" || h.Get("List-Unsubscribe") != "<https://x.example/u>" {
			t.Errorf("headers %v", h)
		}
		if h.Get("Auto-Submitted") != "" || h.Get(HeaderKind) != "" {
			t.Error("bulk mail marked Auto-Submitted")
		}
		mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
		if err != nil || mt != "multipart/alternative" {
			t.Fatalf("Content-Type %q", h.Get("Content-Type"))
		}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for _, want := range []struct{ typ, body string }{{"text/plain", text}, {"text/html", "<p>Hallo ä</p>"}} {
			p, err := mr.NextRawPart()
			if err != nil {
				t.Fatal(err)
			}
			if p.Header.Get("Content-Type") != want.typ+"; charset=utf-8" || p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
				t.Errorf("part header %v", p.Header)
			}
			b, err := io.ReadAll(quotedprintable.NewReader(p))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.ReplaceAll(string(b), "\r\n", "\n"); strings.TrimRight(got, "\n") != strings.TrimRight(want.body, "\n") {
				t.Errorf("%s part decodes to %q", want.typ, got)
			}
		}
		if _, err := mr.NextPart(); err != io.EOF {
			t.Errorf("more than two parts: %v", err)
		}
	})

	t.Run("TextOnly", func(t *testing.T) {
		raw, err := compose(sender, &Stored{To: "ada@example.org", Subject: "Plain", Text: text, Kind: KindService, MessageID: "<2@example.org>"}, date)
		if err != nil {
			t.Fatal(err)
		}
		checkWire(t, raw)
		msg, _ := mail.ReadMessage(bytes.NewReader(raw))
		if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if msg.Header.Get("Subject") != "Plain" || msg.Header.Get("Auto-Submitted") != "auto-generated" ||
			msg.Header.Get(HeaderKind) != KindTransactional || msg.Header.Get("X-Auto-Response-Suppress") != "OOF, AutoReply" {
			t.Errorf("headers %v", msg.Header)
		}
		b, _ := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if got := strings.ReplaceAll(string(b), "\r\n", "\n"); strings.TrimRight(got, "\n") != strings.TrimRight(text, "\n") {
			t.Errorf("body decodes to %q", got)
		}
	})
}

// checkWire asserts what SMTP needs: 7-bit ASCII, CRLF line ends, short lines.
func checkWire(t *testing.T, raw []byte) {
	t.Helper()
	for i, c := range raw {
		if c > 127 {
			t.Fatalf("byte %d is not ASCII: %q", i, raw[max(0, i-20):i+1])
		}
		if c == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d", i)
		}
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
	}
}
