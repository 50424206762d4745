package search_test

import (
	"context"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/search"
)

type fakeSource []search.Doc

func (f fakeSource) SearchDocs(ctx context.Context, q db.Querier, emit func(search.Doc) error) error {
	for _, d := range f {
		if err := emit(d); err != nil {
			return err
		}
	}
	return nil
}

// TestReindex: Reindex writes every Doc the sources emit (in batches),
// removes Docs of their kinds that are no longer emitted, leaves other
// kinds alone; ReindexIfEmpty builds only an empty index.
func TestReindex(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var src fakeSource
		for i := range 1203 {
			src = append(src, search.Doc{Kind: search.KindEvent, ID: string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune('0'+i/260)), Visibility: search.Public, Title: "Picnic", At: day0})
		}
		// Duplicate ids collapse: count what is distinct.
		want := map[string]bool{}
		for _, x := range src {
			want[x.ID] = true
		}
		putAll(t, d,
			search.Doc{Kind: search.KindEvent, ID: "stale", Visibility: search.Public, Title: "Gone", At: day0},
			search.Doc{Kind: search.KindComment, ID: "other", Visibility: search.Public, Title: "Picnic chat", At: day0})
		if err := search.ReindexIfEmpty(ctx, d, nil, src); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `kind = 'event'`); n != 1 {
			t.Fatalf("ReindexIfEmpty changed a full index: %d events", n)
		}
		c, err := search.Reindex(ctx, d, src)
		if err != nil {
			t.Fatal(err)
		}
		if c.Put != len(src) || c.Removed != 1 {
			t.Errorf("counts %+v, want %d put, 1 removed", c, len(src))
		}
		if n := count(t, d, `kind = 'event'`); n != len(want) {
			t.Errorf("%d events indexed, want %d", n, len(want))
		}
		if count(t, d, `id = 'stale'`) != 0 || count(t, d, `id = 'other'`) != 1 {
			t.Error("sweep removed the wrong docs")
		}
		r := run(t, d, search.Scope{}, search.Query{Text: "picnic"})
		if r.Total == 0 {
			t.Error("reindexed docs are not searchable")
		}
		if _, err := d.Exec(ctx, `DELETE FROM search_docs`); err != nil {
			t.Fatal(err)
		}
		if err := search.ReindexIfEmpty(ctx, d, nil, src); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `kind = 'event'`); n != len(want) {
			t.Errorf("ReindexIfEmpty on an empty index: %d events", n)
		}
	})
}
