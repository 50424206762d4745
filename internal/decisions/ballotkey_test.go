package decisions

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestLoadBallotKey: the first start makes the key file, readable by its
// owner only; the next start reads the same key; a file that is not a
// 256-bit hex secret is refused, naming the file.
func TestLoadBallotKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "ballot.key")
	k1, err := LoadBallotKey(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	k2, err := LoadBallotKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if k1.check() != k2.check() {
		t.Fatal("the key read back is not the key made")
	}
	for name, content := range map[string]string{"short": "abcd\n", "not hex": strings.Repeat("zz", 32)} {
		bad := filepath.Join(t.TempDir(), "ballot.key")
		if err := os.WriteFile(bad, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadBallotKey(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s key file: %v, want an error naming the file", name, err)
		}
	}
}

// TestCheckBallotKey: the first vote records which key the database's
// ballots are sealed with; after that a node with another key refuses to
// start and to take a vote. Before any vote, a command run with another
// key file (user create-admin elsewhere) pins nothing.
func TestCheckBallotKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		first, other := withKey(e.svc, GenerateBallotKey()), withKey(e.svc, GenerateBallotKey())
		ctx := context.Background()
		for _, s := range []*Service{first, other} {
			if err := s.CheckBallotKey(ctx); err != nil {
				t.Fatalf("before any vote: %v, want no refusal", err)
			}
		}
		for range 2 {
			if err := first.pinBallotKey(ctx, d.Q()); err != nil {
				t.Fatalf("the first key at the first vote: %v", err)
			}
		}
		if err := first.CheckBallotKey(ctx); err != nil {
			t.Fatalf("the first key: %v", err)
		}
		if err := other.pinBallotKey(ctx, d.Q()); err == nil || !strings.Contains(err.Error(), "MOMENTUM_BALLOT_KEY_FILE") {
			t.Fatalf("a vote on a node with another key: %v, want a refusal naming the setting", err)
		}
		late := withKey(e.svc, GenerateBallotKey())
		if err := late.CheckBallotKey(ctx); err == nil || !strings.Contains(err.Error(), "MOMENTUM_BALLOT_KEY_FILE") {
			t.Fatalf("another key at start: %v, want a refusal naming the setting", err)
		}
		if _, err := New(Deps{DB: d, Policy: e.svc.policy, Live: e.live, Reminder: e.svc.remind}); err == nil || !strings.Contains(err.Error(), "Key") {
			t.Fatalf("New without a ballot key: %v, want an error naming Key", err)
		}
	})
}

// withKey is s as a node with another ballot key file would build it.
func withKey(s *Service, k *BallotKey) *Service {
	c := *s
	c.key, c.keyPinned = k, new(atomic.Bool)
	return &c
}
