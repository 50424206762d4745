package mail

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

func TestForgetRecipient(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s := mustService(t, d, nil, Config{From: "Momentum <noreply@example.org>"})
		mustQueue(t, s, Message{To: "Rosa@Example.org", Subject: "Hello", Text: "Hi Rosa", Why: "You asked for it."})
		mustQueue(t, s, Message{To: "sam@example.org", Subject: "Hello", Text: "Hi Sam", Why: "You asked for it."})
		ctx := context.Background()
		var n int64
		err := d.InTx(ctx, func(tx *db.Tx) (err error) {
			n, err = s.ForgetRecipient(ctx, tx, "rosa@example.org")
			return err
		})
		if err != nil || n != 1 {
			t.Fatalf("ForgetRecipient = %d, %v; want 1 message forgotten", n, err)
		}
		left, _ := s.Outbox(ctx, OutboxFilter{})
		if len(left) != 1 || left[0].To != "sam@example.org" {
			t.Fatalf("left %+v; want only Sam's message", left)
		}
	})
}
