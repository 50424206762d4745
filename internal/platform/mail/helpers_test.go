package mail

import (
	"context"
	"sync"
	"testing"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// recordingInserter stands in for jobs.Jobs: it records what would be enqueued.
type recordingInserter struct {
	mu    sync.Mutex
	calls []insertCall
}

type insertCall struct {
	args river.JobArgs
	opts *river.InsertOpts
}

func (r *recordingInserter) Insert(_ context.Context, args river.JobArgs, opts *river.InsertOpts) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, insertCall{args, opts})
	return int64(len(r.calls)), nil
}

func (r *recordingInserter) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

func mustService(t testing.TB, d *db.DB, ins Inserter, cfg Config) *Service {
	t.Helper()
	s, err := NewService(d, ins, cfg, nil)
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return s
}

// mustQueue queues m in its own committed transaction.
func mustQueue(t *testing.T, s *Service, m Message) string {
	t.Helper()
	var id string
	err := s.db.InTx(context.Background(), func(tx *db.Tx) (err error) {
		id, err = s.Queue(context.Background(), tx, m)
		return err
	})
	if err != nil {
		t.Fatalf("Queue: %v", err)
	}
	return id
}

func mustGet(t *testing.T, s *Service, id string) *Stored {
	t.Helper()
	m, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%s): %v", id, err)
	}
	return m
}

func work(s *Service) error {
	return NewSendWorker(s).Work(context.Background(), &river.Job[SendArgs]{})
}
