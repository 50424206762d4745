package sms

import (
	"context"
	"net/http"
)

// NotConfiguredMessage is what an organiser is told when they try to send
// SMS and the site has no provider.
const NotConfiguredMessage = "SMS is not configured: set MOMENTUM_SMS_ACCOUNT_SID, MOMENTUM_SMS_AUTH_TOKEN and MOMENTUM_SMS_FROM (and MOMENTUM_SMS_PROVIDER_URL for a provider other than Twilio)."

// Disabled is the provider of a site without SMS settings. Its Send always
// fails, permanently, with NotConfiguredMessage, so a service is never left
// with a nil provider; messaging asks Configured first and refuses SMS
// broadcasts up front.
type Disabled struct{}

// Configured is false.
func (Disabled) Configured() bool { return false }

// Send refuses.
func (Disabled) Send(ctx context.Context, m Message) (Result, error) {
	return Result{}, &Error{Permanent: true, Message: NotConfiguredMessage}
}

// Config is what New needs; internal/platform/config's SMS settings fill it.
type Config struct {
	ProviderURL string
	AccountSID  string
	AuthToken   string
	From        string
	// Client makes the provider's requests; nil means a 30 s timeout.
	Client *http.Client
}

// Configured reports whether c is enough to send.
func (c Config) Configured() bool {
	return c.ProviderURL != "" && c.AccountSID != "" && c.AuthToken != "" && c.From != ""
}

// New returns a Twilio-shaped provider for c, or Disabled when c is not
// configured.
func New(c Config) Provider {
	if !c.Configured() {
		return Disabled{}
	}
	return &Twilio{BaseURL: c.ProviderURL, AccountSID: c.AccountSID, AuthToken: c.AuthToken, From: c.From, Client: c.Client}
}
