package mail

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
)

// compose renders m as an RFC 5322 message with CRLF line endings: text/plain,
// or multipart/alternative when it has HTML; UTF-8, quoted-printable bodies.
func compose(from *mail.Address, m *Stored, date time.Time) ([]byte, error) {
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	header("From", from.String())
	header("To", (&mail.Address{Name: m.ToName, Address: m.To}).String())
	header("Subject", encodeHeader(m.Subject, len("Subject: ")))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", m.MessageID)
	header("MIME-Version", "1.0")
	if m.Kind == KindService {
		// RFC 3834: a machine wrote this; auto-responders should not answer.
		header("Auto-Submitted", "auto-generated")
		// Exchange and Outlook ignore Auto-Submitted; this asks them not
		// to send out-of-office and other automatic replies (MS-OXCMAIL
		// 2.1.3.2.20), while bounces (NDR) still come back.
		header("X-Auto-Response-Suppress", "OOF, AutoReply")
		// Marks the mail as transactional for filters and providers'
		// streams. No Precedence: bulk (that is for bulk mail) and no
		// List-Unsubscribe (validate refuses it on service mail).
		header(HeaderKind, KindTransactional)
	}
	names := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		name := textproto.CanonicalMIMEHeaderKey(k)
		header(name, encodeHeader(m.Headers[k], len(name)+2))
	}

	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", "multipart/alternative;\r\n boundary=\""+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeQP writes body quoted-printable; its line breaks become CRLF.
func writeQP(w interface{ Write([]byte) (int, error) }, body string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(strings.ReplaceAll(body, "\r\n", "\n"))); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("encode body: %w", err)
	}
	_, err := w.Write([]byte("\r\n"))
	return err
}

// encodeHeader returns v unchanged when it is printable ASCII, and otherwise
// as RFC 2047 Q-encoded words folded so that no line passes 78 characters;
// used is how much of the first line the header name takes.
func encodeHeader(v string, used int) string {
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] < ' ' || v[i] > '~' {
			ascii = false
			break
		}
	}
	if ascii {
		return v
	}
	const prefix, suffix = "=?utf-8?q?", "?="
	var out, word strings.Builder
	limit := 78 - used
	flush := func() {
		if out.Len() > 0 {
			out.WriteString("\r\n ")
			limit = 77
		}
		out.WriteString(prefix + word.String() + suffix)
		word.Reset()
	}
	for _, r := range v {
		var enc strings.Builder
		for _, c := range []byte(string(r)) {
			switch {
			case c == ' ':
				enc.WriteByte('_')
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("!*+-/", c) >= 0:
				enc.WriteByte(c)
			default:
				fmt.Fprintf(&enc, "=%02X", c)
			}
		}
		if word.Len() > 0 && len(prefix)+word.Len()+enc.Len()+len(suffix) > limit {
			flush()
		}
		word.WriteString(enc.String())
	}
	flush()
	return out.String()
}
