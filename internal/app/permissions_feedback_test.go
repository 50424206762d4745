package app_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// feedbackFixtures adds what the matrix's broadcast-feedback rows act on:
// {UNSUBTOK}, the token of a broadcast recipient (person {PM}), the open
// pixel {OPENGIF} of that token, {MAILHOOK}, a provider whose webhook is
// not configured in the matrix (so 404 for everyone), and the suppressed
// address matrix-suppressed@example.org that the admin row lifts.
func feedbackFixtures(t *testing.T, a *app.App, vals map[string]string) {
	t.Helper()
	ctx := context.Background()
	id, now := db.NewID(), db.Now()
	if _, err := a.DB.Exec(ctx, `INSERT INTO broadcasts (id, channel, status, subject, body, created_at, updated_at)
		VALUES (?, 'email', 'sent', 'Matrix broadcast', 'Hello', ?, ?)`, id, now, now); err != nil {
		t.Fatal(err)
	}
	tok := "matrix0unsubscribe0token0000001"
	if _, err := a.DB.Exec(ctx, `INSERT INTO broadcast_recipients (broadcast_id, person_id, address, token, status, sent_at)
		VALUES (?, ?, 'member@example.org', ?, 'sent', ?)`, id, vals["{PM}"], tok, now); err != nil {
		t.Fatal(err)
	}
	if _, err := messaging.Suppress(ctx, a.DB.Q(), "matrix-suppressed@example.org", messaging.ReasonManual, "matrix", now); err != nil {
		t.Fatal(err)
	}
	vals["{UNSUBTOK}"] = tok
	vals["{OPENGIF}"] = tok + ".gif"
	vals["{MAILHOOK}"] = "postmark"
}
