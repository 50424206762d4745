// Package config holds Momentum's deployment settings. They are filled in
// three layers — built-in defaults, then an optional file, then MOMENTUM_*
// environment variables — and validated once, at start-up, with messages
// that name the setting and say what is wrong.
//
// The file uses the same names as the environment, one KEY=value a line
// (a .env file), so there is a single vocabulary to learn:
//
//	# /etc/momentum.conf
//	MOMENTUM_DATABASE_URL=postgres://momentum@db/momentum
//	MOMENTUM_SMTP_URL=smtp://user:secret@mail.example.org:587
//
// The package imports only the standard library and package brand (issue 16),
// which imports nothing of ours.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/brand"
)

// Config is every deployment setting. The `env` tag names the variable; the
// `help` tag is the text of the README's configuration table and of
// `momentum help config`.
type Config struct {
	Addr        string `env:"MOMENTUM_ADDR" help:"Address the web server listens on."`
	DataDir     string `env:"MOMENTUM_DATA" help:"Folder for the SQLite database and other local files."`
	DatabaseURL string `env:"MOMENTUM_DATABASE_URL" help:"PostgreSQL URL (postgres://…). Empty: SQLite in the data folder."`
	// The ballot key seals secret ballots and keys receipt hashes; it must
	// live outside the database (docs/SECURITY.md, "Ballot secrecy").
	BallotKeyFile string `env:"MOMENTUM_BALLOT_KEY_FILE" help:"File holding the secret that seals ballots and keys receipt codes (made, mode 0600, on first start). Keep it out of database backups; every node of a PostgreSQL network needs the same file. Default: ballot.key in the data folder."`
	BaseURL       string `env:"MOMENTUM_BASE_URL" help:"Public URL of the site, used in links in mail. Default: http://<addr>."`
	SiteName      string `env:"MOMENTUM_SITE_NAME" help:"Name of the network, shown in pages and mail."`
	TimeZone      string `env:"MOMENTUM_TIME_ZONE" help:"The network's IANA time zone: times are entered and shown in it, and it is the default zone of new events."`
	SMTPURL       string `env:"MOMENTUM_SMTP_URL" help:"smtp://user:pass@host:587 or smtps://…:465. Empty: mail is kept in the development outbox at /admin/outbox."`
	MailFrom      string `env:"MOMENTUM_MAIL_FROM" help:"From address of the mail Momentum sends."`
	// Sent mail keeps no links (they are redacted once the SMTP server has
	// it), but addresses and subjects are personal data: keep them no longer
	// than an admin needs to answer "did my mail go out?".
	MailRetention time.Duration `env:"MOMENTUM_MAIL_RETENTION" help:"Sent, failed and development-outbox mail is deleted this long after it was queued. 0 keeps it for ever."`
	SessionIdle   time.Duration `env:"MOMENTUM_SESSION_IDLE" help:"A session ends after this long without a request."`
	SessionMax    time.Duration `env:"MOMENTUM_SESSION_MAX" help:"A session ends this long after login, however active."`
	AdminTOTP     bool          `env:"MOMENTUM_REQUIRE_ADMIN_TOTP" help:"Require network admins to use a second factor (TOTP)."`
	TrustProxy    bool          `env:"MOMENTUM_TRUST_PROXY" help:"Trust X-Forwarded-Proto/For from a reverse proxy (for HSTS and client addresses)."`
	LogFormat     string        `env:"MOMENTUM_LOG_FORMAT" help:"Log format: text, json, or auto (text on a terminal, JSON otherwise)."`
	LogLevel      string        `env:"MOMENTUM_LOG_LEVEL" help:"debug, info, warn or error."`

	// Bulk mail (broadcasts, issue 12): the connection pool and the rate.
	MailConnections int     `env:"MOMENTUM_MAIL_CONNECTIONS" help:"How many SMTP connections this node keeps open for broadcasts (1 to 64); idle ones close after 30 seconds. A database commit covers at most one mail per connection, so on PostgreSQL more connections send faster (see docs/PERFORMANCE.md)."`
	MailRate        float64 `env:"MOMENTUM_MAIL_RATE" help:"Most broadcast mails per second this node sends; each node has its own allowance, so a cluster sends up to nodes × this. 0: no limit."`

	// Metrics reveal traffic by route and the process's state, so they are
	// not public: served only behind a token or on an address of their own.
	MetricsAddr  string `env:"MOMENTUM_METRICS_ADDR" help:"A separate address (host:port, e.g. 127.0.0.1:9090) that serves only /metrics; the main address then never does. Empty: none."`
	MetricsToken string `env:"MOMENTUM_METRICS_TOKEN" help:"Bearer token /metrics requires (at least 20 characters). With neither this nor MOMENTUM_METRICS_ADDR, /metrics is not served."`
	// The map on the events search is drawn in the visitor's browser from a
	// third party's tile server, so it is off until an operator chooses one.
	MapTiles       string `env:"MOMENTUM_MAP_TILES" help:"Tile URL template for the events map, such as https://tile.example.org/{z}/{x}/{y}.png; visitors' browsers fetch tiles from it. Empty: no map, the list only."`
	MapAttribution string `env:"MOMENTUM_MAP_ATTRIBUTION" help:"Attribution shown on the map, as the tile server's terms ask (HTML allowed)."`
	// Mail providers' delivery webhooks (/hooks/mail/{provider}; package
	// messaging/feedbackweb). A provider stays off (404) until its secret
	// is set, so no unauthenticated event is ever read.
	SESTopics      string `env:"MOMENTUM_SES_TOPIC_ARNS" help:"Amazon SNS topic ARNs (comma-separated) whose SES bounce and complaint notifications /hooks/mail/ses accepts; each message's SNS signature is checked. Empty: the SES webhook is off."`
	PostmarkSecret string `env:"MOMENTUM_POSTMARK_WEBHOOK_SECRET" help:"Password Postmark's webhooks send by HTTP basic auth (the webhook URL https://postmark:SECRET@your.site/hooks/mail/postmark); at least 20 characters. Empty: the Postmark webhook is off."`
	MailgunKey     string `env:"MOMENTUM_MAILGUN_SIGNING_KEY" help:"Mailgun's HTTP webhook signing key, which checks the signature of /hooks/mail/mailgun. Empty: the Mailgun webhook is off."`
	// SMS (issue 12): broadcasts go through a provider speaking Twilio's
	// REST API (Twilio itself, or a compatible one such as SignalWire);
	// STOP and START come back through its inbound webhook,
	// /hooks/sms/inbound, signed with the auth token.
	SMSProviderURL string `env:"MOMENTUM_SMS_PROVIDER_URL" help:"Base URL of the SMS provider's Twilio-compatible REST API (a compatible provider's, or a local test server's)."`
	SMSAccountSID  string `env:"MOMENTUM_SMS_ACCOUNT_SID" help:"Account SID at the SMS provider (the user name of its API). Empty, with the token and sender: SMS is off."`
	SMSAuthToken   string `env:"MOMENTUM_SMS_AUTH_TOKEN" help:"Auth token at the SMS provider: the API's password, and the key that signs its inbound webhook (X-Twilio-Signature)."`
	SMSFrom        string `env:"MOMENTUM_SMS_FROM" help:"Sender of SMS broadcasts: a number in E.164 form (+447700900123), an alphanumeric sender ID, or a Messaging Service SID (MG…)."`
	SMSRate        int    `env:"MOMENTUM_SMS_RATE" help:"Most SMS sent per second (the provider's limit for your sender: 1 for a long code in the US, more for short codes and UK numbers)."`

	// When the daily digest of notifications goes (issue 12, package
	// messaging/notices).
	DigestTime string `env:"MOMENTUM_DIGEST_TIME" help:"Local time (HH:MM, in MOMENTUM_TIME_ZONE) at which each person who chose a daily digest of notifications gets it."`

	// issue 13: attachments of the knowledge base (package platform/files)
	// are kept in the data folder, or in S3-compatible storage when the
	// endpoint, bucket and keys are all set, so that every node of a
	// PostgreSQL network sees the same files.
	AttachmentMaxBytes int    `env:"MOMENTUM_ATTACHMENT_MAX_BYTES" help:"Largest file a member may attach, in bytes (1024 to 1073741824)."`
	S3Endpoint         string `env:"MOMENTUM_S3_ENDPOINT" help:"S3-compatible storage for attachments (AWS S3, MinIO, Garage, Backblaze B2…): host:port or https://host. Empty: attachments are kept in the data folder. With it, MOMENTUM_S3_BUCKET, MOMENTUM_S3_ACCESS_KEY and MOMENTUM_S3_SECRET_KEY are needed."`
	S3Bucket           string `env:"MOMENTUM_S3_BUCKET" help:"Bucket that holds the attachments (it must exist)."`
	S3AccessKey        string `env:"MOMENTUM_S3_ACCESS_KEY" help:"Access key ID for the S3 storage."`
	S3SecretKey        string `env:"MOMENTUM_S3_SECRET_KEY" help:"Secret access key for the S3 storage."`
	S3Region           string `env:"MOMENTUM_S3_REGION" help:"Region of the bucket (such as eu-west-1). Empty: asked of the storage."`
	S3Insecure         bool   `env:"MOMENTUM_S3_INSECURE" help:"Talk to the S3 storage over plain http (only for storage on the same machine or a private network)."`

	// issue 14 (actions): double opt-in for petitions and forms.
	DoubleOptIn bool `env:"MOMENTUM_DOUBLE_OPT_IN" help:"Petition signatures and form submissions count, reach webhooks and grant email consent only once the person follows the link in a confirmation mail."`
	// issue 14 (webhooks): a receiver of webhook deliveries inside the
	// server itself, for trying webhooks out; serve --demo turns it on.
	DevWebhookReceiver bool `env:"MOMENTUM_DEV_WEBHOOK_RECEIVER" help:"Serve a development receiver of webhook deliveries at /dev/webhook-receiver (POST: deliveries, checked against the signing secret of endpoints with that address; GET, admins: the last 100). serve --demo turns it on. Not for production."`

	// issue 16: the network's own look (package brand checks the colour's contrast).
	BrandColor string `env:"MOMENTUM_BRAND_COLOR" help:"The network's brand colour, such as #8a1538: the header and main buttons. Its text is black or white, whichever contrasts more (at least 4.5:1). Empty: Momentum's own."`
	LogoFile   string `env:"MOMENTUM_LOGO_FILE" help:"An image file (.svg, .png, .webp or .jpg, at most 512 KiB) shown beside the network's name in the header. Empty: the name alone."`
}

// Default returns the built-in defaults.
func Default() Config {
	return Config{
		Addr:        "127.0.0.1:8080",
		DataDir:     "./momentum-data",
		SiteName:    "Momentum",
		TimeZone:    "Europe/London",
		DigestTime:  "07:00",
		MailFrom:    "Momentum <noreply@localhost>",
		SessionIdle: 7 * 24 * time.Hour,
		SessionMax:  30 * 24 * time.Hour,
		LogFormat:   "auto",
		LogLevel:    "info",

		MailRetention: 30 * 24 * time.Hour,

		MapAttribution: "© OpenStreetMap contributors",

		SMSProviderURL:  "https://api.twilio.com",
		SMSRate:         10,
		MailConnections: 4, // issue 12: bulk sender

		AttachmentMaxBytes: 10 << 20, // issue 13: 10 MiB
	}
}

// Load returns the defaults overlaid with the file at path (when path is not
// empty) and then with the environment given by getenv (os.Getenv when nil),
// validated.
func Load(path string, getenv func(string) string) (Config, error) {
	c := Default()
	if getenv == nil {
		getenv = os.Getenv
	}
	if path != "" {
		vals, err := readFile(path)
		if err != nil {
			return c, err
		}
		if err := c.apply(func(k string) (string, bool) { v, ok := vals[k]; return v, ok }, path); err != nil {
			return c, err
		}
	}
	if err := c.apply(func(k string) (string, bool) { v := getenv(k); return v, v != "" }, "environment"); err != nil {
		return c, err
	}
	return c, c.Validate()
}

func readFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	known := map[string]bool{}
	for _, v := range Vars() {
		known[v.Name] = true
	}
	vals := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok {
			return nil, fmt.Errorf("%s:%d: expected KEY=value, got %q", path, n, line)
		}
		if !known[k] {
			return nil, fmt.Errorf("%s:%d: unknown setting %s (see `momentum help config`)", path, n, k)
		}
		vals[k] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return vals, sc.Err()
}

// Var describes one setting, for help text and the README table.
type Var struct{ Name, Default, Help string }

// Vars lists every setting with its default.
func Vars() []Var {
	d := reflect.ValueOf(Default())
	t := d.Type()
	var out []Var
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		def := fmt.Sprint(d.Field(i).Interface())
		if d.Field(i).IsZero() && d.Field(i).Kind() != reflect.Bool {
			def = ""
		}
		out = append(out, Var{Name: f.Tag.Get("env"), Default: def, Help: f.Tag.Get("help")})
	}
	return out
}

func (c *Config) apply(lookup func(string) (string, bool), source string) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		name := t.Field(i).Tag.Get("env")
		raw, ok := lookup(name)
		if !ok {
			continue
		}
		f := v.Field(i)
		switch f.Interface().(type) {
		case string:
			f.SetString(raw)
		case bool:
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return fmt.Errorf("%s (from %s): %q is not true or false", name, source, raw)
			}
			f.SetBool(b)
		case int:
			n, err := strconv.Atoi(raw)
			if err != nil {
				return fmt.Errorf("%s (from %s): %q is not a whole number", name, source, raw)
			}
			f.SetInt(int64(n))
		case float64:
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return fmt.Errorf("%s (from %s): %q is not a number", name, source, raw)
			}
			f.SetFloat(x)
		case time.Duration:
			d, err := time.ParseDuration(raw)
			if err != nil {
				return fmt.Errorf("%s (from %s): %q is not a duration such as 72h or 30m", name, source, raw)
			}
			f.SetInt(int64(d))
		}
	}
	return nil
}

// Validate checks every setting and reports all problems at once.
func (c *Config) Validate() error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad("MOMENTUM_ADDR: %q is not host:port (for example 127.0.0.1:8080)", c.Addr)
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		bad("MOMENTUM_DATA: a data folder is needed when MOMENTUM_DATABASE_URL is empty")
	}
	if c.BallotKeyFile == "" && c.DataDir == "" {
		bad("MOMENTUM_BALLOT_KEY_FILE: a key file is needed when MOMENTUM_DATA is empty")
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		bad("MOMENTUM_DATABASE_URL: must start with postgres:// (SQLite needs no URL: leave it empty)")
	}
	if c.BaseURL != "" {
		if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("MOMENTUM_BASE_URL: %q is not an http(s) URL", c.BaseURL)
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("MOMENTUM_SMTP_URL: must look like smtp://user:pass@host:587 or smtps://host:465")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("MOMENTUM_MAIL_FROM: %q is not an address such as \"Momentum <noreply@example.org>\"", c.MailFrom)
	}
	if c.SessionIdle < time.Minute {
		bad("MOMENTUM_SESSION_IDLE: %s is too short (at least 1m)", c.SessionIdle)
	}
	if c.SessionMax < c.SessionIdle {
		bad("MOMENTUM_SESSION_MAX: %s is shorter than MOMENTUM_SESSION_IDLE (%s)", c.SessionMax, c.SessionIdle)
	}
	switch c.LogFormat {
	case "auto", "text", "json":
	default:
		bad("MOMENTUM_LOG_FORMAT: %q is not text, json or auto", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("MOMENTUM_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	}
	if _, err := c.Location(); err != nil {
		bad("MOMENTUM_TIME_ZONE: %q is not an IANA time zone such as Europe/London or America/New_York", c.TimeZone)
	}
	if _, _, err := c.DigestAt(); err != nil {
		bad("MOMENTUM_DIGEST_TIME: %q is not a time of day such as 07:00", c.DigestTime)
	}
	if c.MailRetention < 0 || (c.MailRetention > 0 && c.MailRetention < time.Hour) {
		bad("MOMENTUM_MAIL_RETENTION: %s is too short (at least 1h, or 0 to keep mail for ever)", c.MailRetention)
	}
	if c.MailConnections < 1 || c.MailConnections > 64 {
		bad("MOMENTUM_MAIL_CONNECTIONS: %d is not between 1 and 64", c.MailConnections)
	}
	if !(c.MailRate >= 0) || c.MailRate > 1e6 {
		bad("MOMENTUM_MAIL_RATE: %v is not a number of mails per second (0 for no limit)", c.MailRate)
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("MOMENTUM_METRICS_ADDR: %q is not host:port (for example 127.0.0.1:9090)", c.MetricsAddr)
		} else if c.MetricsAddr == c.Addr {
			bad("MOMENTUM_METRICS_ADDR: it must differ from MOMENTUM_ADDR (%s)", c.Addr)
		}
	}
	if c.MetricsToken != "" && (len(c.MetricsToken) < 20 || strings.ContainsAny(c.MetricsToken, " \t\r\n")) {
		bad("MOMENTUM_METRICS_TOKEN: use at least 20 characters without spaces (for example the output of `openssl rand -hex 20`)")
	}
	// issue 16: brand settings.
	if c.BrandColor != "" {
		if col, err := brand.Parse(c.BrandColor); err != nil {
			bad("MOMENTUM_BRAND_COLOR: %v", err)
		} else if _, err := brand.NewScheme(col); err != nil {
			bad("MOMENTUM_BRAND_COLOR: %v", err)
		}
	}
	if c.LogoFile != "" && !brand.LogoType(c.LogoFile) {
		bad("MOMENTUM_LOGO_FILE: %q is not an .svg, .png, .webp or .jpg file", c.LogoFile)
	}
	if c.MapTiles != "" && c.MapTileOrigin() == "" {
		bad("MOMENTUM_MAP_TILES: %q is not an http(s) URL template such as https://tile.example.org/{z}/{x}/{y}.png", c.MapTiles)
	}
	// The mail providers' webhook secrets (messaging/feedbackweb).
	for _, arn := range c.SESTopicARNs() {
		if !strings.HasPrefix(arn, "arn:aws:sns:") {
			bad("MOMENTUM_SES_TOPIC_ARNS: %q is not an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:ses-feedback", arn)
		}
	}
	if c.PostmarkSecret != "" && (len(c.PostmarkSecret) < 20 || strings.ContainsAny(c.PostmarkSecret, " \t\r\n@/:")) {
		bad("MOMENTUM_POSTMARK_WEBHOOK_SECRET: use at least 20 letters and digits (for example the output of `openssl rand -hex 20`)")
	}
	if strings.ContainsAny(c.MailgunKey, " \t\r\n") {
		bad("MOMENTUM_MAILGUN_SIGNING_KEY: the key has no spaces; copy it again from Mailgun's webhook settings")
	}
	// SMS: all three of SID, token and sender, or none (SMS off).
	if u, err := url.Parse(c.SMSProviderURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("MOMENTUM_SMS_PROVIDER_URL: %q is not an http(s) URL such as https://api.twilio.com", c.SMSProviderURL)
	}
	if set := btoi(c.SMSAccountSID != "") + btoi(c.SMSAuthToken != "") + btoi(c.SMSFrom != ""); set != 0 && set != 3 {
		bad("MOMENTUM_SMS_ACCOUNT_SID, MOMENTUM_SMS_AUTH_TOKEN and MOMENTUM_SMS_FROM: set all three to send SMS, or none")
	}
	if c.SMSRate < 1 || c.SMSRate > 1000 {
		bad("MOMENTUM_SMS_RATE: %d is not between 1 and 1000 messages a second", c.SMSRate)
	}
	// issue 13: attachments' size limit and their S3 storage: all of
	// endpoint, bucket and both keys, or none (then the data folder).
	if c.AttachmentMaxBytes < 1<<10 || c.AttachmentMaxBytes > 1<<30 {
		bad("MOMENTUM_ATTACHMENT_MAX_BYTES: %d is not between 1024 (1 KiB) and 1073741824 (1 GiB)", c.AttachmentMaxBytes)
	}
	if c.S3Configured() || c.S3Region != "" || c.S3Insecure {
		for _, v := range []struct{ name, val string }{{"MOMENTUM_S3_ENDPOINT", c.S3Endpoint}, {"MOMENTUM_S3_BUCKET", c.S3Bucket},
			{"MOMENTUM_S3_ACCESS_KEY", c.S3AccessKey}, {"MOMENTUM_S3_SECRET_KEY", c.S3SecretKey}} {
			if v.val == "" {
				bad("%s is missing: to keep attachments in S3 storage set MOMENTUM_S3_ENDPOINT, MOMENTUM_S3_BUCKET, MOMENTUM_S3_ACCESS_KEY and MOMENTUM_S3_SECRET_KEY; to keep them in the data folder set none of the MOMENTUM_S3_* settings", v.name)
			}
		}
		if c.S3Endpoint != "" {
			if _, _, err := c.S3Host(); err != nil {
				bad("MOMENTUM_S3_ENDPOINT: %v", err)
			}
		}
		if c.S3Bucket != "" && !s3Name(c.S3Bucket, 3, 63, "._-") {
			bad("MOMENTUM_S3_BUCKET: %q is not a bucket name (3 to 63 letters, digits, dots and hyphens)", c.S3Bucket)
		}
		if c.S3Region != "" && !s3Name(c.S3Region, 1, 64, "-_") {
			bad("MOMENTUM_S3_REGION: %q is not a region such as eu-west-1", c.S3Region)
		}
	}
	if len(problems) > 0 {
		return errors.New("configuration: " + strings.Join(problems, "; "))
	}
	return nil
}

// SESTopicARNs is SESTopics split at commas, blanks dropped.
func (c *Config) SESTopicARNs() []string {
	var out []string
	for _, a := range strings.Split(c.SESTopics, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SMSConfigured reports whether SMS can be sent: the provider's account,
// token and sender are all set.
func (c *Config) SMSConfigured() bool {
	return c.SMSAccountSID != "" && c.SMSAuthToken != "" && c.SMSFrom != ""
}

// S3Configured reports whether attachments go to S3 storage: any of
// endpoint, bucket or keys is set (Validate makes sure all are). issue 13.
func (c *Config) S3Configured() bool {
	return c.S3Endpoint != "" || c.S3Bucket != "" || c.S3AccessKey != "" || c.S3SecretKey != ""
}

// S3Host is S3Endpoint as the client wants it: host[:port] and whether to
// use TLS. A bare host:port uses https unless S3Insecure is set; a URL
// says its scheme, and http:// needs S3Insecure as well, so that plain
// http is never chosen by a typo. issue 13.
func (c *Config) S3Host() (host string, secure bool, err error) {
	e := strings.TrimSpace(c.S3Endpoint)
	if !strings.Contains(e, "://") {
		if e == "" || strings.ContainsAny(e, "/?# \t@") {
			return "", false, fmt.Errorf("%q is not host:port or an https:// URL (for example s3.eu-west-1.amazonaws.com or https://minio.example.org:9000)", c.S3Endpoint)
		}
		return e, !c.S3Insecure, nil
	}
	u, err := url.Parse(e)
	if err != nil || u.Host == "" || u.User != nil || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return "", false, fmt.Errorf("%q is not a URL such as https://minio.example.org:9000 (with no path: the bucket is MOMENTUM_S3_BUCKET)", c.S3Endpoint)
	}
	switch {
	case u.Scheme == "https" && c.S3Insecure:
		return "", false, fmt.Errorf("%q is https, but MOMENTUM_S3_INSECURE asks for plain http: choose one", c.S3Endpoint)
	case u.Scheme == "https":
		return u.Host, true, nil
	case u.Scheme == "http" && !c.S3Insecure:
		return "", false, fmt.Errorf("%q is plain http: set MOMENTUM_S3_INSECURE=true as well if that is really meant", c.S3Endpoint)
	case u.Scheme == "http":
		return u.Host, false, nil
	}
	return "", false, fmt.Errorf("%q is not an http(s) URL", c.S3Endpoint)
}

// s3Name reports whether s has min to max letters, digits and extra.
func s3Name(s string, min, max int, extra string) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return true
}

// BallotKeyPath is BallotKeyFile, or ballot.key in the data folder.
func (c *Config) BallotKeyPath() string {
	if c.BallotKeyFile != "" {
		return c.BallotKeyFile
	}
	return filepath.Join(c.DataDir, "ballot.key")
}

// DigestAt is the hour and minute of DigestTime ("07:00"); empty is 07:00.
func (c Config) DigestAt() (hour, minute int, err error) {
	if c.DigestTime == "" {
		return 7, 0, nil
	}
	t, err := time.Parse("15:04", c.DigestTime)
	if err != nil {
		return 0, 0, fmt.Errorf("digest time %q: want HH:MM", c.DigestTime)
	}
	return t.Hour(), t.Minute(), nil
}

// Location is the network's time zone (TimeZone). The zone database is
// embedded in the binary (time/tzdata, imported by cmd/momentum), so this
// works on a host without one. "Local" is refused: the zone would change
// with the machine the server runs on.
func (c *Config) Location() (*time.Location, error) {
	if c.TimeZone == "" || c.TimeZone == "Local" {
		return nil, fmt.Errorf("time zone %q: name one, such as Europe/London", c.TimeZone)
	}
	return time.LoadLocation(c.TimeZone)
}

// SQLitePath is the database file in the data folder.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "momentum.db") }

// PublicURL is BaseURL, or http://<Addr> when BaseURL is empty.
func (c *Config) PublicURL() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	host, port, _ := net.SplitHostPort(c.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// MapTileOrigin is the origin browsers fetch map tiles from, for the
// Content-Security-Policy's img-src: "https://tile.example.org", or
// "https://*.tile.example.org" for a template with a {s} subdomain. It is
// empty when MapTiles is empty or not an http(s) URL template.
func (c *Config) MapTileOrigin() string {
	scheme, rest, ok := strings.Cut(c.MapTiles, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	host = strings.Replace(host, "{s}", "*", 1)
	// url.Parse refuses the braces of a template, so check the host here:
	// it goes into a header, where a space or ';' would add a directive.
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:*", r)) {
			return ""
		}
	}
	if host == "" || strings.Contains(host[1:], "*") || strings.HasPrefix(host, "*") && !strings.HasPrefix(host, "*.") {
		return ""
	}
	return scheme + "://" + host
}
