package search_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

func count(t *testing.T, d *db.DB, where string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT count(*) FROM search_docs WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPutDeleteInTx: Put and Delete write in the caller's transaction; a
// rolled-back transaction leaves nothing; Put replaces.
func TestPutDeleteInTx(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		doc := search.Doc{Kind: search.KindEvent, ID: "e1", Visibility: search.Public, Title: "Rent strike meeting", Body: "We meet at the hall.", URL: "/events/e1", At: time.Now()}
		boom := errors.New("boom")
		err := d.InTx(ctx, func(tx *db.Tx) error {
			if err := search.Put(ctx, tx, doc); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n := count(t, d, `id = 'e1'`); n != 0 {
			t.Fatalf("rolled back Put left %d docs", n)
		}
		for range 2 {
			if err := d.InTx(ctx, func(tx *db.Tx) error { return search.Put(ctx, tx, doc) }); err != nil {
				t.Fatal(err)
			}
		}
		doc.Title = "Changed"
		if err := d.InTx(ctx, func(tx *db.Tx) error { return search.Put(ctx, tx, doc) }); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `id = 'e1' AND title = 'Changed'`); n != 1 {
			t.Fatalf("after two Puts and a change: %d docs", n)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return search.Delete(ctx, tx, search.KindEvent, "e1") }); err != nil {
			t.Fatal(err)
		}
		if err := d.InTx(ctx, func(tx *db.Tx) error { return search.Delete(ctx, tx, search.KindEvent, "e1") }); err != nil {
			t.Fatal("deleting what is not there:", err)
		}
		if n := count(t, d, `1 = 1`); n != 0 {
			t.Fatalf("after Delete: %d docs", n)
		}
		bad := doc
		bad.Visibility = search.Group
		if err := d.InTx(ctx, func(tx *db.Tx) error { return search.Put(ctx, tx, bad) }); err == nil {
			t.Fatal("group visibility without a group id was accepted")
		}
	})
}
