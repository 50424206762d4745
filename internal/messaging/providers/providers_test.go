package providers

import (
	"bytes"
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/messaging"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func post(body []byte) *http.Request {
	return httptest.NewRequest(http.MethodPost, "/hooks/mail/x", bytes.NewReader(body))
}

// --- Postmark ---

func TestPostmarkBounceAndSpam(t *testing.T) {
	p := Postmark{Secret: "correct horse battery staple"}
	r := post(nil)
	r.SetBasicAuth("postmark", "correct horse battery staple")
	evs, err := p.Events(context.Background(), r, readTestdata(t, "postmark_bounce.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != messaging.EventBounce || !evs[0].Hard || evs[0].Address != "john@example.com" ||
		evs[0].MessageID != "883953f4-6105-42a2-a16a-77a8eac79483" || evs[0].At.IsZero() {
		t.Fatalf("bounce: %+v", evs)
	}
	evs, err = p.Events(context.Background(), r, readTestdata(t, "postmark_spam.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != messaging.EventComplaint || evs[0].Address != "john@example.com" {
		t.Fatalf("spam: %+v", evs)
	}
	change := readTestdata(t, "postmark_subscription_change.json")
	evs, err = p.Events(context.Background(), r, change)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != messaging.EventBounce || !evs[0].Hard || evs[0].Address != "bounced-address@wildbit.com" ||
		evs[0].At.Year() != 2020 {
		t.Fatalf("subscription change: %+v", evs)
	}
	// A reactivation, or an unsubscribe through Postmark, is no event.
	for _, alt := range []string{`"SuppressSending": false`, `"SuppressionReason": "ManualSuppression"`} {
		b := bytes.Replace(change, []byte(`"SuppressSending": true`), []byte(alt), 1)
		if alt != `"SuppressSending": false` {
			b = bytes.Replace(change, []byte(`"SuppressionReason": "HardBounce"`), []byte(alt), 1)
		}
		if evs, err := p.Events(context.Background(), r, b); err != nil || len(evs) != 0 {
			t.Fatalf("%s: %+v %v", alt, evs, err)
		}
	}
}

func TestPostmarkRefusesWithoutTheSecret(t *testing.T) {
	body := readTestdata(t, "postmark_bounce.json")
	for name, p := range map[string]struct {
		secret, user, pass string
		auth               bool
	}{
		"NoAuth":         {secret: "s3cret-s3cret-s3cret", auth: false},
		"WrongPassword":  {secret: "s3cret-s3cret-s3cret", user: "postmark", pass: "guess", auth: true},
		"NotConfigured":  {secret: "", user: "postmark", pass: "", auth: true},
		"PasswordPrefix": {secret: "s3cret-s3cret-s3cret", user: "postmark", pass: "s3cret", auth: true},
	} {
		t.Run(name, func(t *testing.T) {
			r := post(nil)
			if p.auth {
				r.SetBasicAuth(p.user, p.pass)
			}
			if _, err := (Postmark{Secret: p.secret}).Events(context.Background(), r, body); !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("err %v, want ErrUnauthenticated", err)
			}
		})
	}
}

// --- Mailgun ---

const mgKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"

// resign replaces the example's signature with one made with key at ts.
func resign(t *testing.T, body []byte, key string, ts time.Time) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	stamp := strconv.FormatInt(ts.Unix(), 10)
	token := "a8ce0edb2dd8301dee6c2405235584e45aa91d1e9f979f3de0"
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte(stamp + token))
	m["signature"] = map[string]any{"timestamp": stamp, "token": token, "signature": hex.EncodeToString(mac.Sum(nil))}
	out, _ := json.Marshal(m)
	return out
}

func TestMailgunFailedAndComplained(t *testing.T) {
	now := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	m := Mailgun{SigningKey: mgKey, Now: func() time.Time { return now }}
	evs, err := m.Events(context.Background(), post(nil), resign(t, readTestdata(t, "mailgun_failed.json"), mgKey, now))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != messaging.EventBounce || !evs[0].Hard || evs[0].Address != "alice@example.com" ||
		evs[0].MessageID != "20130503192659.13651.20287@sandbox.mailgun.org" || evs[0].At.Year() != 2018 {
		t.Fatalf("failed: %+v", evs)
	}
	evs, err = m.Events(context.Background(), post(nil), resign(t, readTestdata(t, "mailgun_complained.json"), mgKey, now))
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Kind != messaging.EventComplaint || evs[0].Address != "alice@example.com" {
		t.Fatalf("complained: %+v", evs)
	}
}

func TestMailgunRefusesBadSignatures(t *testing.T) {
	now := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	m := Mailgun{SigningKey: mgKey, Now: func() time.Time { return now }}
	ex := readTestdata(t, "mailgun_failed.json")
	for name, body := range map[string][]byte{
		"PublishedSignature": ex, // signed with Mailgun's key, not ours, and years ago
		"OtherKey":           resign(t, ex, "key-someone-else", now),
		"Stale":              resign(t, ex, mgKey, now.Add(-6*time.Minute)),
		"Future":             resign(t, ex, mgKey, now.Add(6*time.Minute)),
		"NotJSON":            []byte("event=failed"),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := m.Events(context.Background(), post(nil), body); !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("err %v, want ErrUnauthenticated", err)
			}
		})
	}
	t.Run("Altered", func(t *testing.T) {
		b := bytes.Replace(resign(t, ex, mgKey, now), []byte(`"timestamp":"`), []byte(`"timestamp":"1`), 1)
		if _, err := m.Events(context.Background(), post(nil), b); !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("err %v, want ErrUnauthenticated", err)
		}
	})
	t.Run("NoKey", func(t *testing.T) {
		if _, err := (Mailgun{}).Events(context.Background(), post(nil), resign(t, ex, "", now)); !errors.Is(err, ErrUnauthenticated) {
			t.Fatalf("err %v, want ErrUnauthenticated", err)
		}
	})
}

// --- Amazon SES through SNS ---

const (
	testTopic = "arn:aws:sns:us-east-1:123456789012:ses-feedback"
	certURL   = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem"
)

// fakeSNS serves a certificate the test made, in place of Amazon's, and
// notes the subscription links it was asked to visit.
type fakeSNS struct {
	cert      *x509.Certificate
	confirmed []string
}

func (f *fakeSNS) Cert(ctx context.Context, u string) (*x509.Certificate, error) {
	if u != certURL {
		return nil, errors.New("no such certificate")
	}
	return f.cert, nil
}

func (f *fakeSNS) Confirm(ctx context.Context, u string) error {
	f.confirmed = append(f.confirmed, u)
	return nil
}

// newSigner makes an RSA key and a self-signed certificate for it.
func newSigner(t *testing.T) (*rsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sns.amazonaws.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	// Through PEM, as SNS serves it.
	cert, err := ParseCertPEM(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// snsEnvelope wraps msg as SNS delivers it, signed with key.
func snsEnvelope(t *testing.T, key *rsa.PrivateKey, typ, topic, msg, version string) []byte {
	t.Helper()
	m := snsMessage{Type: typ, MessageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", TopicArn: topic, Message: msg,
		Timestamp: "2016-01-27T14:59:38.237Z", SignatureVersion: version, SigningCertURL: certURL}
	if typ == "SubscriptionConfirmation" {
		m.Token = "2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736"
		m.SubscribeURL = "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + topic + "&Token=2336412f37"
	}
	text := []byte(m.stringToSign())
	var sig []byte
	var err error
	if version == "1" {
		h := sha1.Sum(text)
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA1, h[:])
	} else {
		h := sha256.Sum256(text)
		sig, err = rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	m.Signature = base64.StdEncoding.EncodeToString(sig)
	b, _ := json.Marshal(m)
	return b
}

func TestSESBounceAndComplaintBothSignatureVersions(t *testing.T) {
	key, cert := newSigner(t)
	s := SES{Topics: []string{testTopic}, Client: &fakeSNS{cert: cert}}
	token := "0123456789abcdef0123456789abcdef"
	bounce := strings.Replace(string(readTestdata(t, "ses_bounce.json")), "TOKEN_PLACEHOLDER", token, 1)
	for _, v := range []string{"1", "2"} {
		t.Run("SignatureVersion"+v, func(t *testing.T) {
			evs, err := s.Events(context.Background(), post(nil), snsEnvelope(t, key, "Notification", testTopic, bounce, v))
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1 || evs[0].Kind != messaging.EventBounce || !evs[0].Hard || evs[0].Address != "jane@example.com" ||
				evs[0].Token != token || evs[0].At.IsZero() {
				t.Fatalf("bounce: %+v", evs)
			}
			evs, err = s.Events(context.Background(), post(nil),
				snsEnvelope(t, key, "Notification", testTopic, string(readTestdata(t, "ses_complaint.json")), v))
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1 || evs[0].Kind != messaging.EventComplaint || evs[0].Address != "richard@example.com" {
				t.Fatalf("complaint: %+v", evs)
			}
		})
	}
}

func TestSESRefusesForgeries(t *testing.T) {
	key, cert := newSigner(t)
	other, _ := newSigner(t)
	s := SES{Topics: []string{testTopic}, Client: &fakeSNS{cert: cert}}
	msg := string(readTestdata(t, "ses_bounce.json"))
	good := snsEnvelope(t, key, "Notification", testTopic, msg, "2")
	tamper := func(field, value string) []byte {
		var m map[string]any
		json.Unmarshal(good, &m)
		m[field] = value
		b, _ := json.Marshal(m)
		return b
	}
	for name, body := range map[string][]byte{
		"OtherKey":       snsEnvelope(t, other, "Notification", testTopic, msg, "2"),
		"ForeignTopic":   snsEnvelope(t, key, "Notification", "arn:aws:sns:us-east-1:999999999999:theirs", msg, "2"),
		"AlteredMessage": tamper("Message", strings.Replace(msg, "jane@example.com", "ada@example.org", 1)),
		"CertNotAmazon":  tamper("SigningCertURL", "https://evil.example.org/cert.pem"),
		"CertLookalike":  tamper("SigningCertURL", "https://sns.amazonaws.com.evil.example.org/cert.pem"),
		"CertPlainHTTP":  tamper("SigningCertURL", "http://sns.us-east-1.amazonaws.com/cert.pem"),
		"UnknownVersion": tamper("SignatureVersion", "3"),
		"NoSignature":    tamper("Signature", ""),
		"NotJSON":        []byte("hello"),
	} {
		t.Run(name, func(t *testing.T) {
			evs, err := s.Events(context.Background(), post(nil), body)
			if !errors.Is(err, ErrUnauthenticated) {
				t.Fatalf("events %v, err %v, want ErrUnauthenticated", evs, err)
			}
		})
	}
}

func TestSESSubscriptionConfirmation(t *testing.T) {
	key, cert := newSigner(t)
	f := &fakeSNS{cert: cert}
	s := SES{Topics: []string{testTopic}, Client: f}
	evs, err := s.Events(context.Background(), post(nil), snsEnvelope(t, key, "SubscriptionConfirmation", testTopic, "You have chosen to subscribe", "1"))
	if err != nil || len(evs) != 0 {
		t.Fatalf("events %v, err %v", evs, err)
	}
	if len(f.confirmed) != 1 || !strings.HasPrefix(f.confirmed[0], "https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription") {
		t.Fatalf("confirmed %v", f.confirmed)
	}
	// A confirmation for a topic we did not configure is not visited.
	if _, err := s.Events(context.Background(), post(nil), snsEnvelope(t, key, "SubscriptionConfirmation",
		"arn:aws:sns:us-east-1:999999999999:theirs", "subscribe", "1")); !errors.Is(err, ErrUnauthenticated) || len(f.confirmed) != 1 {
		t.Fatalf("err %v, confirmed %v", err, f.confirmed)
	}
}

// TestSNSHTTPFetchesOnlyFromAmazon: the real client refuses, before any
// request, every URL that is not https on amazonaws.com.
func TestSNSHTTPFetchesOnlyFromAmazon(t *testing.T) {
	hits := 0
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	c := NewSNSHTTP(2 * time.Second)
	for _, u := range []string{srv.URL + "/cert.pem", "http://sns.us-east-1.amazonaws.com/x.pem",
		"https://amazonaws.com.example.org/x.pem", "https://user@sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com:8443/x.pem", "ftp://sns.amazonaws.com/x"} {
		if _, err := c.Cert(context.Background(), u); err == nil {
			t.Errorf("Cert(%s) fetched", u)
		}
		if err := c.Confirm(context.Background(), u); err == nil {
			t.Errorf("Confirm(%s) visited", u)
		}
	}
	if hits != 0 {
		t.Fatalf("the test server was reached %d times", hits)
	}
	if err := CheckAmazonURL(certURL); err != nil {
		t.Fatal(err)
	}
}
