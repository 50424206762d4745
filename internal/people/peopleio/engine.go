package peopleio

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/platform/audit"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// batch is a run of rows read from the file: the records to import, the
// rows rejected, and how many rows it covers (blank ones included).
type batch struct {
	recs []peoplecsv.Record
	errs []RowError
	rows int
}

// importRows reads the file in one goroutine and imports it in this one,
// so that parsing and normalising overlap the database's work.
func (im *Importer) importRows(ctx context.Context, dec *peoplecsv.Decoder, defs map[string]customDef, o *Options, run *Run) error {
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	batches := make(chan batch, 1)
	var readErr error
	go func() {
		defer close(batches)
		readErr = readBatches(rctx, dec, defs, o.BatchSize, batches)
	}()
	if im.db.Dialect == db.SQLite {
		// Statement journals in memory: a 100-row INSERT touches more pages
		// than fit the 64 KiB SQLite keeps in memory before it spills them
		// to a temporary file (measured: a quarter of the import's time).
		// The writer is one connection, so this holds for its life.
		if _, err := im.db.W.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	if !o.DryRun {
		restore, err := raiseCache(ctx, im.db)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer restore()
	}
	pl := &planner{o: o, now: im.now(), since: run.StartedAt, limit: o.GroupID != ""}
	if o.DryRun {
		pl.since = pl.now
	}
	tags := &tagCache{ids: map[string]string{}}
	if o.DryRun {
		pl.seen = map[string]string{}
	}
	for b := range batches {
		var err error
		if o.DryRun {
			err = im.dryBatch(ctx, pl, tags, run, b)
		} else {
			err = im.commitBatch(ctx, pl, tags, run, b)
		}
		if err != nil {
			stop()
			for range batches { // let the reader end
			}
			return err
		}
		if o.Progress != nil {
			o.Progress(run.Processed, max(run.Total, run.Processed))
		}
	}
	if readErr != nil && ctx.Err() == nil {
		return fmt.Errorf("read %s: %w", o.FileName, readErr)
	}
	return ctx.Err()
}

// importCacheKiB is the most page cache SQLite's writer connection may use
// while an import runs. An import inserts into indexes keyed by email,
// phone and name, so each row lands on a different page of each; with
// SQLite's default 2 MB cache those pages are read back and spilled to the
// WAL over and over once the tables outgrow it. SQLite allocates the cache
// only as pages are used, so it never grows past the database's size (a
// network of 200 never comes near it), and gives it back when the size is
// put back after the import. Measured on 1,000,000 rows with batches of
// 20,000: 11,100 rows/s with 256 MiB, 12,500 with 512 MiB, 13,300 with
// 1 GiB; 8,100 with the default cache and batches of 5,000.
const importCacheKiB = 1 << 20

// raiseCache raises the SQLite writer's page cache to importCacheKiB and
// returns how to put it back. On PostgreSQL it does nothing.
func raiseCache(ctx context.Context, d *db.DB) (restore func(), err error) {
	if d.Dialect != db.SQLite {
		return func() {}, nil
	}
	var was int64
	if err := d.W.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&was); err != nil {
		return nil, fmt.Errorf("read the cache size: %w", err)
	}
	if _, err := d.W.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", importCacheKiB)); err != nil {
		return nil, fmt.Errorf("raise the cache size: %w", err)
	}
	return func() {
		_, _ = d.W.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = %d", was))
	}, nil
}

func readBatches(ctx context.Context, dec *peoplecsv.Decoder, defs map[string]customDef, size int, out chan<- batch) error {
	var b batch
	send := func() bool {
		select {
		case out <- b:
			b = batch{}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for {
		rec, n, err := dec.Next()
		b.rows += n
		var re *peoplecsv.RowError
		switch {
		case errors.Is(err, io.EOF):
			if b.rows > 0 {
				send()
			}
			return nil
		case errors.As(err, &re):
			b.errs = append(b.errs, RowError{Line: re.Line, Message: re.Message})
		case err != nil:
			return err
		default:
			if msg := checkCustomValues(&rec, defs); msg != "" {
				b.errs = append(b.errs, RowError{Line: rec.Line, Message: msg})
			} else {
				b.recs = append(b.recs, rec)
			}
		}
		if b.rows >= size && !send() {
			return ctx.Err()
		}
	}
}

// commitBatch imports one batch in one transaction, together with the
// run's progress. On PostgreSQL another writer may add one of the batch's
// addresses between the look-up and the insert; the batch is then tried
// again.
func (im *Importer) commitBatch(ctx context.Context, pl *planner, tags *tagCache, run *Run, b batch) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		next := *run
		now := im.now()
		err = im.db.InTx(ctx, func(tx *db.Tx) error {
			pl.tagIDs = func(names []string) (map[string]string, error) { return tags.ensure(ctx, tx, names, now, true) }
			p, err := pl.plan(ctx, tx, b.recs)
			if err != nil {
				return err
			}
			if err := im.write(ctx, tx, pl.o, run, p, now); err != nil {
				return err
			}
			next.account(b, p)
			return saveProgress(ctx, tx, &next, run.Processed, now)
		})
		if err == nil {
			tags.commit()
			*run = next
			return nil
		}
		tags.rollback()
		if !db.IsUniqueViolation(err) || ctx.Err() != nil {
			break
		}
	}
	if errors.Is(err, errBusy) {
		return errs.E(errs.Conflict, "%s", errBusy.Error())
	}
	return fmt.Errorf("import %s, rows %d–%d: %w", run.FileName, run.Processed+1, run.Processed+b.rows, err)
}

func (im *Importer) dryBatch(ctx context.Context, pl *planner, tags *tagCache, run *Run, b batch) error {
	pl.tagIDs = func(names []string) (map[string]string, error) {
		return tags.ensure(ctx, im.db.Q(), names, time.Time{}, false)
	}
	p, err := pl.plan(ctx, im.db.Q(), b.recs)
	if err != nil {
		return fmt.Errorf("dry run of %s: %w", run.FileName, err)
	}
	run.account(b, p)
	return nil
}

// account adds a batch to the run's counts.
func (r *Run) account(b batch, p *plan) {
	r.Processed += b.rows
	r.Created += p.created
	r.Updated += p.updated
	r.Rejected += len(b.errs)
	for _, e := range b.errs {
		if len(r.Errors) < maxErrors {
			r.Errors = append(r.Errors, e)
		}
	}
}

// finishRun marks the run done and audits it, once per run.
func (im *Importer) finishRun(ctx context.Context, run *Run, resumed bool) error {
	now := im.now()
	return im.db.InTx(ctx, func(tx *db.Tx) error {
		if err := setStatus(ctx, tx, run.ID, StatusDone, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "people.import", "import_run", run.ID, map[string]any{
			"rows": run.Processed, "created": run.Created, "updated": run.Updated, "rejected": run.Rejected,
			"tags": len(run.Tags), "group_id": run.GroupID, "resumed": resumed})
	})
}

// fingerprint returns the file's SHA-256 and line count, and rewinds it.
func fingerprint(src io.ReadSeeker) (string, int, error) {
	h := sha256.New()
	buf := make([]byte, 256<<10)
	lines, last := 0, byte('\n')
	for {
		n, err := src.Read(buf)
		h.Write(buf[:n])
		lines += bytes.Count(buf[:n], []byte{'\n'})
		if n > 0 {
			last = buf[n-1]
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", 0, fmt.Errorf("read the file: %w", err)
		}
	}
	if last != '\n' {
		lines++
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("rewind the file: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), lines, nil
}

func sameOptions(r *Run, m peoplecsv.Mapping, o *Options) bool {
	return maps.Equal(r.Mapping, m.Spec()) && slices.Equal(nonNil(r.Tags), nonNil(o.Tags))
}
