package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Kinds of mail. Service mail (sign-in links, password resets, receipts)
// is sent before bulk mail (broadcasts) queued earlier.
const (
	KindService = "service"
	KindBulk    = "bulk"
)

// Statuses of a stored mail.
const (
	StatusQueued  = "queued"  // waiting for the worker
	StatusSending = "sending" // claimed by a worker
	StatusSent    = "sent"    // accepted by the SMTP server
	StatusFailed  = "failed"  // given up: see LastError
	StatusKept    = "kept"    // development outbox: never sent
)

// MaxAttempts is how many times a mail is tried before it is marked failed.
const MaxAttempts = 5

// Message is a mail to queue.
type Message struct {
	To      string // one address, "ada@example.org" or "Ada <ada@example.org>"
	Subject string
	Text    string // the plain-text body; required
	HTML    string // optional HTML alternative
	Kind    string // KindService (default) or KindBulk
	// Related labels what caused the mail, e.g. "auth.verify_email".
	Related string
	// Headers are extra headers such as List-Unsubscribe. They cannot
	// replace the headers this package writes (From, To, Subject, Date,
	// Message-ID, MIME-Version, Content-*).
	Headers map[string]string
}

// Inserter enqueues a River job; jobs.Jobs implements it. Queue passes no
// transaction: the job is enqueued after the mail's transaction commits.
type Inserter interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error)
}

// Service queues mail and reads the outbox.
type Service struct {
	db     *db.DB
	ins    Inserter
	smtp   *smtpConfig // nil: development outbox
	from   *mail.Address
	domain string // of From, for Message-IDs
	log    *slog.Logger
	now    func() time.Time
	// retention: see Config.Retention.
	retention time.Duration
	// bulk is SendBulk's connection pool and rate limiter (bulk.go).
	bulk *bulkSender
}

// NewService checks cfg and returns a Service. ins may be nil (then only the
// periodic sweep starts the worker). It fails with a message for the person
// configuring Momentum when the SMTP URL or From address is not valid.
func NewService(d *db.DB, ins Inserter, cfg Config, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{db: d, ins: ins, log: log.With("component", "mail"), now: db.Now, retention: cfg.Retention}
	if cfg.Connections < 0 || cfg.Connections > MaxConnections {
		return nil, fmt.Errorf("mail: the number of SMTP connections must be between 1 and %d (0 for the default, %d), not %d", MaxConnections, DefaultConnections, cfg.Connections)
	}
	if cfg.Rate < 0 || math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0) {
		return nil, fmt.Errorf("mail: the sending rate must be a number of messages per second, 0 for no limit, not %v", cfg.Rate)
	}
	s.bulk = newBulkSender(cfg.Connections, cfg.Rate)
	if cfg.SMTPURL != "" {
		c, err := parseSMTPURL(cfg.SMTPURL)
		if err != nil {
			return nil, err
		}
		if cfg.From == "" {
			return nil, errors.New("mail: an SMTP URL is set but no From address (e.g. \"Momentum <noreply@example.org>\")")
		}
		s.smtp = c
	}
	from := cfg.From
	if from == "" {
		from = defaultFrom
	}
	var err error
	if s.from, s.domain, err = parseFrom(from); err != nil {
		return nil, err
	}
	return s, nil
}

// OutboxMode reports whether mail is kept in the development outbox instead
// of being sent.
func (s *Service) OutboxMode() bool { return s.smtp == nil }

// Queue validates m and stores it in tx: 'queued' when SMTP is configured,
// 'kept' in the development outbox otherwise. Once tx commits, it enqueues
// the send job; if that enqueue fails the mail waits for the periodic sweep.
// It returns the mail's id.
//
// Errors: errs.Invalid with Fields "to", "subject", "text", "kind" or
// "headers"; anything else is internal.
func (s *Service) Queue(ctx context.Context, tx *db.Tx, m Message) (string, error) {
	to, err := validate(&m)
	if err != nil {
		return "", err
	}
	id := db.NewID()
	status := StatusQueued
	if s.smtp == nil {
		status = StatusKept
	}
	msgID := "<" + id + "@" + s.domain + ">"
	if err := insertMessage(ctx, tx, id, s.now(), to, m, status, msgID); err != nil {
		return "", err
	}
	toDomain := domainOf(to.Address)
	tx.AfterCommit(func() {
		if status == StatusKept {
			s.log.Info("mail kept in the development outbox", "mail_id", id, "to_domain", toDomain, "kind", m.Kind, "related", m.Related)
			return
		}
		s.enqueue(context.WithoutCancel(ctx), id)
	})
	return id, nil
}

// enqueue starts the send worker; a failure is logged, not returned: the mail
// is safe in the table and the periodic sweep will pick it up.
func (s *Service) enqueue(ctx context.Context, mailID string) {
	if s.ins == nil {
		return
	}
	args, opts := sendJob()
	if _, err := s.ins.Insert(ctx, args, opts); err != nil {
		s.log.Warn("enqueue mail send job failed; the sweep will send it", "mail_id", mailID, "err", err)
	}
}

// validate checks m, fills defaults, and returns the parsed recipient.
func validate(m *Message) (*mail.Address, error) {
	problems := map[string]string{}
	var to *mail.Address
	switch {
	case strings.TrimSpace(m.To) == "":
		problems["to"] = "Enter an email address."
	case strings.ContainsAny(m.To, "\r\n"):
		problems["to"] = "An email address cannot contain a line break."
	default:
		list, err := mail.ParseAddressList(m.To)
		switch {
		case err != nil:
			problems["to"] = "This is not a valid email address."
		case len(list) != 1:
			problems["to"] = "Enter exactly one email address."
		case !strings.Contains(list[0].Address, "@"):
			problems["to"] = "This is not a valid email address."
		default:
			to = list[0]
		}
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		problems["subject"] = "Enter a subject."
	case strings.ContainsAny(m.Subject, "\r\n"):
		problems["subject"] = "A subject cannot contain a line break."
	case utf8.RuneCountInString(m.Subject) > 250:
		problems["subject"] = "A subject can be at most 250 characters."
	case !utf8.ValidString(m.Subject):
		problems["subject"] = "The subject is not valid text."
	}
	if strings.TrimSpace(m.Text) == "" {
		problems["text"] = "A mail needs a plain-text body."
	} else if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		problems["text"] = "The body is not valid UTF-8 text."
	}
	if m.Kind == "" {
		m.Kind = KindService
	}
	if m.Kind != KindService && m.Kind != KindBulk {
		problems["kind"] = fmt.Sprintf("Kind must be %q or %q.", KindService, KindBulk)
	}
	if msg := validateHeaders(m.Headers); msg != "" {
		problems["headers"] = msg
	}
	if err := errs.Fields(problems); err != nil {
		return nil, err
	}
	return to, nil
}

// reservedHeaders are written by this package and cannot be set by callers.
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"message-id": true, "mime-version": true, "sender": true, "return-path": true,
}

func validateHeaders(h map[string]string) string {
	for k, v := range h {
		if k == "" || strings.IndexFunc(k, func(r rune) bool { return r <= ' ' || r > '~' || r == ':' }) >= 0 {
			return fmt.Sprintf("The header name %q is not valid.", k)
		}
		lk := strings.ToLower(k)
		if reservedHeaders[lk] || strings.HasPrefix(lk, "content-") {
			return fmt.Sprintf("The header %s is set by the mailer and cannot be replaced.", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return fmt.Sprintf("The header %s cannot contain a line break.", k)
		}
		if !utf8.ValidString(v) || len(v) > 900 {
			return fmt.Sprintf("The header %s is not valid text of at most 900 bytes.", k)
		}
	}
	return ""
}

// domainOf returns the part after the last @, for logs.
func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}
