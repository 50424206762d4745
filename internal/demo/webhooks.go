package demo

import (
	"context"
	"fmt"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/actions/webhooks/webhooksweb"
	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// loadWebhooks (issue 14) registers a network endpoint for every kind of
// event at the development receiver (webhooksweb.ReceiverURL), enabled
// when the receiver is served (serve --demo turns it on), so the demo's
// new people, RSVPs, signatures and closed decisions show up, signed, at
// /dev/webhook-receiver. A killed run's endpoint is found by its address.
func loadWebhooks(ctx context.Context, a *app.App) error {
	url := webhooksweb.ReceiverURL(a.Config)
	eps, err := a.Webhooks.List(ctx)
	if err != nil {
		return fmt.Errorf("demo webhook: %w", err)
	}
	for _, ep := range eps {
		if ep.URL == url {
			return nil
		}
	}
	desc := "The development receiver of this server (demo)."
	if !a.Config.DevWebhookReceiver {
		desc += " Off: the receiver is served only with serve --demo or MOMENTUM_DEV_WEBHOOK_RECEIVER."
	}
	if _, _, err := a.Webhooks.Create(ctx, webhooks.Input{URL: url, Kinds: outbox.Kinds, Enabled: a.Config.DevWebhookReceiver,
		Description: desc}); err != nil {
		return fmt.Errorf("demo webhook: %w", err)
	}
	return nil
}
