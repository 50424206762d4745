package mail

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// Config says how mail leaves Momentum.
type Config struct {
	// SMTPURL is smtp://user:pass@host:port (STARTTLS when the server offers
	// it; ?starttls=required refuses to send without it) or
	// smtps://user:pass@host:port (TLS from the first byte). The user and
	// password are optional and must be percent-encoded. Empty means the
	// development outbox: mail is stored, shown at /admin/outbox, never sent.
	SMTPURL string
	// From is the sender, e.g. "Momentum <noreply@example.org>". Its domain
	// also names the Message-ID. Required when SMTPURL is set.
	From string
	// Retention is how long mail that has left the queue (sent, failed, or
	// kept in the development outbox) is kept before PurgeOld deletes it.
	// 0 keeps it for ever.
	Retention time.Duration
	// Connections is how many SMTP connections SendBulk keeps open at once
	// (the pool, shared by every bulk send of this process). 0 means
	// DefaultConnections.
	Connections int
	// Rate caps SendBulk at this many messages per second on this node
	// (each node of a cluster has its own allowance). 0 is no limit.
	Rate float64
}

// DefaultConnections is the size of the bulk connection pool when
// Config.Connections is 0: enough to hide a round trip to a nearby server
// without looking like a flood to it.
const DefaultConnections = 4

// MaxConnections bounds Config.Connections; providers refuse far fewer.
const MaxConnections = 64

// smtpConfig is the parsed SMTPURL.
type smtpConfig struct {
	addr            string // host:port
	host            string
	user, password  string
	implicitTLS     bool // smtps://
	requireSTARTTLS bool
}

// String shows the server without its password, for logs.
func (c *smtpConfig) String() string {
	scheme := "smtp"
	if c.implicitTLS {
		scheme = "smtps"
	}
	return scheme + "://" + c.addr
}

const defaultFrom = "Momentum <noreply@localhost>"

// parseSMTPURL validates the SMTP URL; its errors are written for the person
// configuring Momentum and never contain the password.
func parseSMTPURL(raw string) (*smtpConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("mail: the SMTP URL is not a URL (expected smtp://user:pass@host:587 or smtps://user:pass@host:465; percent-encode special characters in the password)")
	}
	c := &smtpConfig{}
	var port string
	switch u.Scheme {
	case "smtp":
		port = "587"
	case "smtps":
		port = "465"
		c.implicitTLS = true
	default:
		return nil, fmt.Errorf("mail: the SMTP URL must start with smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	c.host = u.Hostname()
	if c.host == "" {
		return nil, fmt.Errorf("mail: the SMTP URL %s names no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		port = p
	}
	c.addr = net.JoinHostPort(c.host, port)
	if u.User != nil {
		c.user = u.User.Username()
		c.password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("mail: the SMTP URL %s has a path; it should be only scheme://user:pass@host:port", u.Redacted())
	}
	for k, v := range u.Query() {
		switch k {
		case "starttls":
			switch strings.ToLower(v[0]) {
			case "required":
				c.requireSTARTTLS = true
			case "opportunistic", "":
			default:
				return nil, fmt.Errorf("mail: in the SMTP URL, starttls must be required or opportunistic, not %q", v[0])
			}
			if c.implicitTLS {
				return nil, fmt.Errorf("mail: an smtps:// URL is TLS from the start; drop ?starttls= or use smtp://")
			}
		default:
			return nil, fmt.Errorf("mail: the SMTP URL has an unknown parameter %q (known: starttls)", k)
		}
	}
	return c, nil
}

// parseFrom validates the sender address and returns it with the domain
// Message-IDs are minted under.
func parseFrom(from string) (*mail.Address, string, error) {
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, "", fmt.Errorf("mail: the From address %q is not valid (expected e.g. \"Momentum <noreply@example.org>\"): %v", from, err)
	}
	_, domain, _ := strings.Cut(a.Address, "@")
	if domain == "" {
		domain = "localhost"
	}
	return a, domain, nil
}
