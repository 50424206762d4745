package providers

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
)

// SES reads Amazon SES bounce, complaint and delivery notifications,
// which Amazon SNS posts to the webhook. SNS signs every message with a
// key whose certificate it serves from an https URL on amazonaws.com; we
// fetch that certificate (SNSClient) and check the signature
// (SignatureVersion 1: RSA with SHA1; 2: RSA with SHA256).
//
// A valid signature proves only that Amazon sent the message, not that it
// is about our mail: anyone with an AWS account can make a topic and point
// it here. So only messages from the topics in Topics are read.
//
// A SubscriptionConfirmation (SNS asks whether we want the topic's
// messages) from one of Topics is answered by visiting its SubscribeURL,
// which must itself be https on amazonaws.com.
type SES struct {
	Topics []string // the topic ARNs we subscribed
	Client SNSClient
}

// SNSClient is what SES needs of the network: Amazon's signing
// certificate, and the confirmation visit. SNSHTTP is the real one; a test
// may serve its own certificate.
type SNSClient interface {
	Cert(ctx context.Context, certURL string) (*x509.Certificate, error)
	Confirm(ctx context.Context, subscribeURL string) error
}

// Name is "ses".
func (SES) Name() string { return "ses" }

// snsMessage is an SNS HTTP(S) delivery.
type snsMessage struct {
	Type             string
	MessageId        string
	Token            string
	TopicArn         string
	Subject          string
	Message          string
	SubscribeURL     string
	Timestamp        string
	SignatureVersion string
	Signature        string
	SigningCertURL   string
}

// stringToSign is the text SNS signed, per message type: the named
// fields, each as "Name\nvalue\n", in this order, Subject only when given.
func (m *snsMessage) stringToSign() string {
	var b strings.Builder
	add := func(k, v string) { b.WriteString(k + "\n" + v + "\n") }
	add("Message", m.Message)
	add("MessageId", m.MessageId)
	if m.Type == "Notification" {
		if m.Subject != "" {
			add("Subject", m.Subject)
		}
		add("Timestamp", m.Timestamp)
		add("TopicArn", m.TopicArn)
		add("Type", m.Type)
		return b.String()
	}
	add("SubscribeURL", m.SubscribeURL)
	add("Timestamp", m.Timestamp)
	add("Token", m.Token)
	add("TopicArn", m.TopicArn)
	add("Type", m.Type)
	return b.String()
}

// VerifySNS checks an SNS message's signature against cert.
func verifySNS(m *snsMessage, cert *x509.Certificate) error {
	sig, err := base64.StdEncoding.DecodeString(m.Signature)
	if err != nil {
		return ErrUnauthenticated
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf("%w: signing certificate has no RSA key", ErrUnauthenticated)
	}
	msg := []byte(m.stringToSign())
	switch m.SignatureVersion {
	case "1":
		h := sha1.Sum(msg)
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA1, h[:], sig)
	case "2":
		h := sha256.Sum256(msg)
		err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, h[:], sig)
	default:
		return fmt.Errorf("%w: unknown SignatureVersion %q", ErrUnauthenticated, m.SignatureVersion)
	}
	if err != nil {
		return ErrUnauthenticated
	}
	return nil
}

// Events verifies the SNS message and reads the SES notification in it.
func (s SES) Events(ctx context.Context, r *http.Request, body []byte) ([]messaging.DeliveryEvent, error) {
	var m snsMessage
	if err := json.Unmarshal(body, &m); err != nil || m.Signature == "" || m.SigningCertURL == "" {
		return nil, ErrUnauthenticated
	}
	if !slices.Contains(s.Topics, m.TopicArn) {
		return nil, fmt.Errorf("%w: topic %q is not configured", ErrUnauthenticated, m.TopicArn)
	}
	if err := CheckAmazonURL(m.SigningCertURL); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnauthenticated, err)
	}
	cert, err := s.Client.Cert(ctx, m.SigningCertURL)
	if err != nil {
		return nil, fmt.Errorf("%w: signing certificate: %v", ErrUnauthenticated, err)
	}
	if err := verifySNS(&m, cert); err != nil {
		return nil, err
	}
	switch m.Type {
	case "SubscriptionConfirmation":
		if err := CheckAmazonURL(m.SubscribeURL); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if err := s.Client.Confirm(ctx, m.SubscribeURL); err != nil {
			return nil, fmt.Errorf("confirm SNS subscription: %w", err)
		}
		return nil, nil
	case "Notification":
		return parseSES(m.Message)
	default: // UnsubscribeConfirmation: nothing to do
		return nil, nil
	}
}

// sesNotification is an SES notification (the SNS message's Message).
// Event publishing names the type eventType instead of notificationType.
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Mail             struct {
		MessageID string `json:"messageId"`
		Headers   []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"headers"`
	} `json:"mail"`
	Bounce struct {
		BounceType        string    `json:"bounceType"`
		BounceSubType     string    `json:"bounceSubType"`
		Timestamp         time.Time `json:"timestamp"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint struct {
		Timestamp            time.Time `json:"timestamp"`
		ComplainedRecipients []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
	} `json:"complaint"`
	Delivery struct {
		Timestamp  time.Time `json:"timestamp"`
		Recipients []string  `json:"recipients"`
	} `json:"delivery"`
}

// unsubscribeToken finds our recipient token in a List-Unsubscribe
// header: <https://site/u/TOKEN>.
var unsubscribeToken = regexp.MustCompile(`/u/([A-Za-z0-9_-]{16,64})>`)

func parseSES(raw string) ([]messaging.DeliveryEvent, error) {
	var n sesNotification
	if err := json.Unmarshal([]byte(raw), &n); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	kind := n.NotificationType
	if kind == "" {
		kind = n.EventType
	}
	// SES copies the original headers when asked to: our List-Unsubscribe
	// carries the recipient's token, which names the exact row.
	token := ""
	for _, h := range n.Mail.Headers {
		if strings.EqualFold(h.Name, "List-Unsubscribe") {
			if m := unsubscribeToken.FindStringSubmatch(h.Value); m != nil {
				token = m[1]
			}
		}
	}
	var out []messaging.DeliveryEvent
	switch kind {
	case "Bounce":
		// Permanent: gone for good. Transient and Undetermined may work
		// another day.
		hard := n.Bounce.BounceType == "Permanent"
		for _, r := range n.Bounce.BouncedRecipients {
			out = append(out, messaging.DeliveryEvent{Kind: messaging.EventBounce, Hard: hard, Address: r.EmailAddress,
				Token: token, MessageID: n.Mail.MessageID, At: n.Bounce.Timestamp,
				Detail: strings.TrimSpace(n.Bounce.BounceType + "/" + n.Bounce.BounceSubType + " " + r.Status + " " + r.DiagnosticCode)})
		}
	case "Complaint":
		for _, r := range n.Complaint.ComplainedRecipients {
			out = append(out, messaging.DeliveryEvent{Kind: messaging.EventComplaint, Address: r.EmailAddress, Token: token,
				MessageID: n.Mail.MessageID, At: n.Complaint.Timestamp, Detail: n.Complaint.ComplaintFeedbackType})
		}
	case "Delivery":
		for _, a := range n.Delivery.Recipients {
			out = append(out, messaging.DeliveryEvent{Kind: messaging.EventDelivered, Address: a, Token: token,
				MessageID: n.Mail.MessageID, At: n.Delivery.Timestamp})
		}
	}
	if len(out) > 1 {
		// One mail to several recipients: the token belongs to one of
		// them only, so find each by address instead.
		for i := range out {
			out[i].Token = ""
		}
	}
	return out, nil
}

// CheckAmazonURL accepts only https URLs on an amazonaws.com host (with no
// user info or odd port): where SNS serves its certificates and
// subscription links. Anything else in a message is a forgery.
func CheckAmazonURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.User != nil || u.Port() != "" {
		return fmt.Errorf("%q is not an https URL on amazonaws.com", raw)
	}
	h := strings.ToLower(u.Hostname())
	if !strings.HasSuffix(h, ".amazonaws.com") {
		return fmt.Errorf("%q is not an https URL on amazonaws.com", raw)
	}
	return nil
}

// SNSHTTP is the real SNSClient: it fetches over https from amazonaws.com
// only (CheckAmazonURL, again, whoever calls it), with a timeout, and keeps
// each certificate it fetched (SNS rotates them rarely, under a new URL).
type SNSHTTP struct {
	client *http.Client
	mu     sync.Mutex
	certs  map[string]*x509.Certificate
}

// NewSNSHTTP returns the real client; each request gives up after timeout.
func NewSNSHTTP(timeout time.Duration) *SNSHTTP {
	return &SNSHTTP{client: &http.Client{Timeout: timeout,
		// A redirect could lead anywhere: never follow one.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		certs: map[string]*x509.Certificate{}}
}

func (c *SNSHTTP) get(ctx context.Context, raw string) ([]byte, error) {
	if err := CheckAmazonURL(raw); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", raw, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 64<<10))
}

// Cert fetches and parses the PEM certificate at certURL, once.
func (c *SNSHTTP) Cert(ctx context.Context, certURL string) (*x509.Certificate, error) {
	c.mu.Lock()
	cert := c.certs[certURL]
	c.mu.Unlock()
	if cert != nil {
		return cert, nil
	}
	b, err := c.get(ctx, certURL)
	if err != nil {
		return nil, err
	}
	cert, err = ParseCertPEM(b)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.certs) > 100 { // a bound, should many URLs ever appear
		clear(c.certs)
	}
	c.certs[certURL] = cert
	c.mu.Unlock()
	return cert, nil
}

// Confirm visits subscribeURL.
func (c *SNSHTTP) Confirm(ctx context.Context, subscribeURL string) error {
	_, err := c.get(ctx, subscribeURL)
	return err
}

// ParseCertPEM reads the first certificate of a PEM file.
func ParseCertPEM(b []byte) (*x509.Certificate, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("no PEM certificate")
	}
	return x509.ParseCertificate(blk.Bytes)
}
