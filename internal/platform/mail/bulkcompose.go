package mail

import (
	"bytes"
	"fmt"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// bulkBoundary separates the text and HTML parts of every bulk mail. It
// needs no randomness: both parts are quoted-printable, which writes every
// "=" as "=3D", so "=_" can never occur in an encoded part (RFC 2045
// §6.7 and RFC 2046 §5.1.1 suggest exactly this).
const bulkBoundary = "=_momentum-alt"

// bulkComposer turns BulkMessages into wire bytes. One worker owns one, so
// its caches need no lock: a batch usually has one FromName, one ReplyTo
// and one Date second, formatted once instead of 500 times.
type bulkComposer struct {
	s *Service

	fromName, fromHeader string
	replyTo, replyHeader string
	replyErr             error
	dateSecond           int64
	date                 string
	names                []string // scratch for sorting header names
}

func newBulkComposer(s *Service) *bulkComposer {
	c := &bulkComposer{s: s, dateSecond: -1}
	c.fromName, c.fromHeader = s.from.Name, s.from.String()
	return c
}

// invalid is the error of a message that cannot be composed.
func invalid(format string, args ...any) error {
	return fmt.Errorf("mail not sent: "+format, args...)
}

// check validates m as compose needs it; the development outbox uses it
// too. It allocates nothing for a valid message.
func (c *bulkComposer) check(m *BulkMessage) error {
	if !validBulkAddress(m.To) {
		return invalid("%q is not one plain email address", m.To)
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		return invalid("no subject")
	case strings.ContainsAny(m.Subject, "\r\n"):
		return invalid("a line break in the subject")
	case !utf8.ValidString(m.Subject) || utf8.RuneCountInString(m.Subject) > 250:
		return invalid("the subject is not valid text of at most 250 characters")
	}
	if strings.TrimSpace(m.Text) == "" {
		return invalid("no plain-text body")
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return invalid("the body is not valid UTF-8 text")
	}
	if strings.ContainsAny(m.FromName, "\r\n") || !utf8.ValidString(m.FromName) || len(m.FromName) > 200 {
		return invalid("the sender name is not one line of text of at most 200 bytes")
	}
	if m.MessageID != "" && (len(m.MessageID) > 250 || m.MessageID[0] != '<' || m.MessageID[len(m.MessageID)-1] != '>' ||
		!strings.Contains(m.MessageID, "@") || strings.IndexFunc(m.MessageID, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0) {
		return invalid("the Message-ID %q is not <unique@domain>", m.MessageID)
	}
	if msg := validateHeaders(m.Headers); msg != "" {
		return invalid("%s", msg)
	}
	for k := range m.Headers {
		if strings.EqualFold(k, "Reply-To") {
			return invalid("Reply-To is set with BulkMessage.ReplyTo, not as an extra header")
		}
	}
	if _, err := c.replyToHeader(m.ReplyTo); err != nil {
		return err
	}
	return nil
}

// validBulkAddress accepts a bare address: one "@" with text on both sides,
// printable ASCII without spaces or the characters that end an address in
// a header or an SMTP command. Addresses with other characters need
// SMTPUTF8, which this sender does not speak.
func validBulkAddress(a string) bool {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 || at == len(a)-1 || len(a) > 254 {
		return false
	}
	for i := 0; i < len(a); i++ {
		switch ch := a[i]; {
		case ch <= ' ' || ch > '~':
			return false
		case ch == '<' || ch == '>' || ch == ',' || ch == ';' || ch == ':' || ch == '"' || ch == '(' || ch == ')' || ch == '\\' || ch == '[' || ch == ']':
			return false
		}
	}
	return true
}

func (c *bulkComposer) replyToHeader(replyTo string) (string, error) {
	if replyTo == "" {
		return "", nil
	}
	if replyTo != c.replyTo {
		c.replyTo, c.replyHeader, c.replyErr = replyTo, "", nil
		a, err := mail.ParseAddress(replyTo)
		switch {
		case strings.ContainsAny(replyTo, "\r\n") || err != nil || !strings.Contains(a.Address, "@"):
			c.replyErr = invalid("the Reply-To %q is not one email address", replyTo)
		default:
			c.replyHeader = a.String()
		}
	}
	return c.replyHeader, c.replyErr
}

// compose writes m to b as it goes on the wire after DATA: an RFC 5322
// message with CRLF line endings, dot-stuffed (RFC 5321 §4.5.2), ending in
// CRLF but without the final ".". It writes text/plain, or
// multipart/alternative with a text and an HTML part, both quoted-printable.
func (c *bulkComposer) compose(b *bytes.Buffer, m *BulkMessage) error {
	if err := c.check(m); err != nil {
		return err
	}
	if m.FromName != "" && m.FromName != c.fromName {
		c.fromName = m.FromName
		c.fromHeader = (&mail.Address{Name: m.FromName, Address: c.s.from.Address}).String()
	} else if m.FromName == "" && c.fromName != c.s.from.Name {
		c.fromName, c.fromHeader = c.s.from.Name, c.s.from.String()
	}
	now := c.s.now()
	if sec := now.Unix(); sec != c.dateSecond {
		c.dateSecond, c.date = sec, now.Format(time.RFC1123Z)
	}
	header := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	header("From", c.fromHeader)
	header("To", m.To)
	header("Subject", encodeHeader(m.Subject, len("Subject: ")))
	header("Date", c.date)
	if m.MessageID != "" {
		header("Message-ID", m.MessageID)
	} else {
		b.WriteString("Message-ID: <")
		b.WriteString(db.NewID())
		b.WriteString("@")
		b.WriteString(c.s.domain)
		b.WriteString(">\r\n")
	}
	header("MIME-Version", "1.0")
	if m.ReplyTo != "" {
		header("Reply-To", c.replyHeader)
	}
	c.names = c.names[:0]
	for k := range m.Headers {
		c.names = append(c.names, k)
	}
	slices.Sort(c.names)
	for _, k := range c.names {
		name := textproto.CanonicalMIMEHeaderKey(k)
		header(name, encodeHeader(m.Headers[k], len(name)+2))
	}
	start := b.Len() // the body starts here: only it can hold a line beginning with "."
	if m.HTML == "" {
		b.WriteString("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		appendQP(b, m.Text)
	} else {
		b.WriteString("Content-Type: multipart/alternative; boundary=\"" + bulkBoundary + "\"\r\n\r\n")
		for _, part := range [...]struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
			b.WriteString("--" + bulkBoundary + "\r\nContent-Type: ")
			b.WriteString(part.typ)
			b.WriteString("; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
			appendQP(b, part.body)
		}
		b.WriteString("--" + bulkBoundary + "--\r\n")
	}
	dotStuff(b, start)
	return nil
}

// appendQP writes s quoted-printable (RFC 2045 §6.7) to b, its line breaks
// as CRLF, followed by a CRLF. It does what mime/quotedprintable's Writer
// does (compose.go uses that) at a tenth of the cost — that Writer goes a
// byte at a time through a method call, and a bulk send encodes some
// hundred megabytes.
func appendQP(b *bytes.Buffer, s string) {
	const hex = "0123456789ABCDEF"
	dst := b.AvailableBuffer()
	line := 0 // characters on the current output line
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' || (c == '\r' && i+1 < len(s) && s[i+1] == '\n') {
			if c == '\r' {
				i++
			}
			dst = append(dst, '\r', '\n')
			line = 0
			continue
		}
		encode := false
		switch {
		case c == ' ' || c == '\t':
			// Whitespace at the end of a line would be lost in transit.
			encode = i+1 == len(s) || s[i+1] == '\n' || (s[i+1] == '\r' && i+2 < len(s) && s[i+2] == '\n')
		case c == '=' || c < ' ' || c > '~':
			encode = true
		}
		n := 1
		if encode {
			n = 3
		}
		if line+n > 75 { // a line is at most 76 characters with the soft break's "="
			dst = append(dst, '=', '\r', '\n')
			line = 0
		}
		if encode {
			dst = append(dst, '=', hex[c>>4], hex[c&15])
		} else {
			dst = append(dst, c)
		}
		line += n
	}
	dst = append(dst, '\r', '\n')
	b.Write(dst)
}

// dotStuff doubles the "." that begins any line of b after start, so the
// server does not take it for the end of the mail. Quoted-printable leaves a
// leading "." alone, so a body line ".5 litres" needs it; most mails have
// none and are not copied.
func dotStuff(b *bytes.Buffer, start int) {
	data := b.Bytes()
	if bytes.Index(data[start:], []byte("\n.")) < 0 {
		return
	}
	out := make([]byte, 0, len(data)+16)
	out = append(out, data[:start]...)
	rest := data[start:]
	for {
		i := bytes.Index(rest, []byte("\n."))
		if i < 0 {
			out = append(out, rest...)
			break
		}
		out = append(out, rest[:i+2]...)
		out = append(out, '.')
		rest = rest[i+2:]
	}
	b.Reset()
	b.Write(out)
}
