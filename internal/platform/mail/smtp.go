package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// Timeouts for talking to the SMTP server.
const (
	dialTimeout = 15 * time.Second
	sendTimeout = 2 * time.Minute // per mail, from MAIL FROM to the end of DATA
)

// smtpConn is one SMTP session; several mails go over it.
type smtpConn struct {
	conn net.Conn
	c    *smtp.Client
}

// permanentError is a refusal the server says will not change (5xx on RCPT
// or DATA): the mail is marked failed at once.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// dialSMTP connects, says EHLO as helo, upgrades to TLS as configured and
// authenticates when the URL has a user.
func dialSMTP(ctx context.Context, cfg *smtpConfig, helo string) (*smtpConn, error) {
	d := &net.Dialer{Timeout: dialTimeout}
	var conn net.Conn
	var err error
	tlsCfg := &tls.Config{ServerName: cfg.host, MinVersion: tls.VersionTLS12}
	if cfg.implicitTLS {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tlsCfg}).DialContext(ctx, "tcp", cfg.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", cfg.addr)
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", cfg, err)
	}
	_ = conn.SetDeadline(time.Now().Add(dialTimeout + sendTimeout))
	c, err := smtp.NewClient(conn, cfg.host)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("greeting from %s: %w", cfg, err)
	}
	sc := &smtpConn{conn: conn, c: c}
	fail := func(step string, err error) (*smtpConn, error) {
		sc.close()
		return nil, fmt.Errorf("%s with %s: %w", step, cfg, err)
	}
	if err := c.Hello(helo); err != nil {
		return fail("EHLO", err)
	}
	if !cfg.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsCfg); err != nil {
				return fail("STARTTLS", err)
			}
		} else if cfg.requireSTARTTLS {
			return fail("STARTTLS", errors.New("the server does not offer STARTTLS and the SMTP URL says starttls=required"))
		}
	}
	if cfg.user != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok {
			return fail("AUTH", errors.New("the server offers no authentication but the SMTP URL has a user"))
		}
		var a smtp.Auth
		switch {
		case hasWord(mechs, "PLAIN"):
			a = smtp.PlainAuth("", cfg.user, cfg.password, cfg.host)
		case hasWord(mechs, "LOGIN"):
			a = &loginAuth{user: cfg.user, password: cfg.password, host: cfg.host}
		default:
			return fail("AUTH", fmt.Errorf("the server offers %s; Momentum speaks PLAIN and LOGIN", mechs))
		}
		if err := c.Auth(a); err != nil {
			return fail("AUTH", err)
		}
	}
	return sc, nil
}

// send transmits one mail. body is called only once the recipient is accepted.
func (sc *smtpConn) send(from, to string, body func() ([]byte, error)) error {
	_ = sc.conn.SetDeadline(time.Now().Add(sendTimeout))
	if err := sc.c.Mail(from); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	if err := sc.c.Rcpt(to); err != nil {
		return classify("RCPT TO", err)
	}
	msg, err := body()
	if err != nil {
		return &permanentError{fmt.Errorf("compose: %w", err)}
	}
	w, err := sc.c.Data()
	if err != nil {
		return classify("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return classify("end of DATA", err)
	}
	return nil
}

// reset readies the session for the next mail after a failure; false means
// the connection is unusable.
func (sc *smtpConn) reset() bool {
	_ = sc.conn.SetDeadline(time.Now().Add(dialTimeout))
	return sc.c.Reset() == nil
}

func (sc *smtpConn) close() {
	_ = sc.conn.SetDeadline(time.Now().Add(5 * time.Second))
	if err := sc.c.Quit(); err != nil {
		sc.c.Close()
	}
}

// classify marks a 5xx reply as permanent.
func classify(step string, err error) error {
	err = fmt.Errorf("%s: %w", step, err)
	if smtpCode(err) >= 500 {
		return &permanentError{err}
	}
	return err
}

// smtpCode is the server's reply code in err, or 0.
func smtpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func hasWord(list, word string) bool {
	for _, w := range strings.Fields(list) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}

// loginAuth is the LOGIN mechanism, which some providers offer instead of
// PLAIN. Like smtp.PlainAuth it refuses to send the password unencrypted
// except to localhost.
type loginAuth struct{ user, password, host string }

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && a.host != "localhost" && a.host != "127.0.0.1" && a.host != "::1" {
		return "", nil, errors.New("unencrypted connection: refusing to send the password")
	}
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(fromServer))) {
	case "username:":
		return []byte(a.user), nil
	case "password:":
		return []byte(a.password), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge %q", fromServer)
}
