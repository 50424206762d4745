package app

import (
	"time"

	"github.com/momentum-movement/momentum/internal/messaging/providers"
)

// mailProviders are the delivery webhooks this node accepts: each provider
// whose secret is configured, and no other (an unconfigured one answers
// 404, so no unauthenticated event is ever read).
func (a *App) mailProviders() []providers.Provider {
	var out []providers.Provider
	if topics := a.Config.SESTopicARNs(); len(topics) > 0 {
		// Amazon's signing certificates, fetched over https from
		// amazonaws.com only, within ten seconds, and kept.
		out = append(out, providers.SES{Topics: topics, Client: providers.NewSNSHTTP(10 * time.Second)})
	}
	if a.Config.PostmarkSecret != "" {
		out = append(out, providers.Postmark{Secret: a.Config.PostmarkSecret})
	}
	if a.Config.MailgunKey != "" {
		out = append(out, providers.Mailgun{SigningKey: a.Config.MailgunKey})
	}
	return out
}
