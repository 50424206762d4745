package audit_test

import (
	"context"
	"errors"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/reqctx"
)

func TestRecordAndList(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := reqctx.WithRequestID(context.Background(), "req-1")
		ctx = reqctx.WithActor(ctx, reqctx.Actor{ID: "u1", Label: "ada@example.org"})
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := audit.Record(ctx, tx, "user.signup", "user", "u1", map[string]any{"via": "form"}); err != nil {
				return err
			}
			return audit.Record(ctx, tx, "session.login", "session", "s1", nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		// A record written in a transaction that rolls back is gone with it.
		_ = d.InTx(ctx, func(tx *db.Tx) error {
			if err := audit.Record(ctx, tx, "user.delete", "user", "u1", nil); err != nil {
				return err
			}
			return errors.New("abandon")
		})
		all, err := audit.List(ctx, d.Q(), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 {
			t.Fatalf("got %d entries, want 2 (the rolled-back one must not appear)", len(all))
		}
		if all[0].Action != "session.login" || all[1].Action != "user.signup" {
			t.Fatalf("order = %s, %s; want newest first", all[0].Action, all[1].Action)
		}
		e := all[1]
		if e.ActorID != "u1" || e.ActorLabel != "ada@example.org" || e.RequestID != "req-1" || e.Details["via"] != "form" {
			t.Fatalf("entry = %+v", e)
		}
		got, err := audit.List(ctx, d.Q(), audit.Filter{Action: "user."})
		if err != nil || len(got) != 1 || got[0].TargetID != "u1" {
			t.Fatalf("prefix filter = %+v, %v", got, err)
		}
		got, _ = audit.List(ctx, d.Q(), audit.Filter{Before: all[0].ID})
		if len(got) != 1 || got[0].Action != "user.signup" {
			t.Fatalf("paging with Before = %+v", got)
		}
	})
}
