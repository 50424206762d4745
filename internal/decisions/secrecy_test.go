package decisions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestBallotSecrecyAgainstDatabaseReader: 200 people vote in a secret
// election (five change their vote), in a shuffled order, while the job
// moves sealed ballots into the box. Then, while voting is still open and
// again after the close, it reads everything a reader of the database has
// (PostgreSQL's xmin and ctid, SQLite's rowid, the physical order of
// rows, ids, receipt hashes, timestamps, the audit log, the receipt
// store) and tries to pair each voter with their ballot by every signal.
// No strategy may do better than chance: a guess in a shuffled order
// (about one right in 200), or, for the batch a ballot came in, a guess
// within its batch of at least BatchMin (about one right per batch).
// Without the shuffle in moveSealed the batch strategy pairs nearly all.
func TestBallotSecrecyAgainstDatabaseReader(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org := e.member(t, "Olu Organiser")
		e.join(t, g, org, "organiser")
		const n = 200
		voters := make([]person, n)
		for i := range voters {
			voters[i] = e.member(t, fmt.Sprintf("Voter %03d", i))
			e.join(t, g, voters[i], "member")
		}
		dec := e.open(t, org, Input{GroupID: g, Title: "Officers", Kind: KindElection, Seats: 2,
			Options:    []OptionInput{{Label: "Ann"}, {Label: "Bob"}, {Label: "Cat"}, {Label: "Dan"}, {Label: "Eve"}},
			Electorate: Electorate{MembersOnly: true}})
		r := rand.New(rand.NewPCG(11, 0))
		order := r.Perm(n)
		receipt := map[string]string{} // person → their last receipt code
		votedAt := map[string]int{}    // person → when they voted: what an onlooker might know
		var names []string             // what would name a voter in the audit log
		for k, i := range order {
			v := voters[i]
			ranking := r.Perm(5)[:1+r.IntN(5)]
			for j := range ranking {
				ranking[j]++ // options are positions 1..5
			}
			receipt[v.PersonID] = e.vote(t, dec, v, Choice{Ranking: ranking})
			votedAt[v.PersonID] = k
			names = append(names, v.PersonID, v.UserID, v.Name)
			if k%40 == 39 { // five voters change their vote
				c, err := e.svc.ChangeVote(v.ctx, dec.ID, receipt[v.PersonID], e.token(v.ctx, dec.ID), Choice{Ranking: []int{1 + k%5}})
				if err != nil {
					t.Fatal(err)
				}
				receipt[v.PersonID] = c
			}
			if k%7 == 6 { // the job runs now and then; it moves only batches of BatchMin or more
				if _, err := e.svc.MoveBallots(e.system); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := e.svc.MoveBallots(e.system); err != nil {
			t.Fatal(err)
		}
		owner := map[string]string{} // receipt hash → person
		for p, code := range receipt {
			owner[e.hash(t, dec.ID, code)] = p
		}
		t.Run("WhileOpen", func(t *testing.T) { readerCannotLink(t, e, dec.ID, owner, votedAt, names, true) })
		t.Run("ReceiptStore", func(t *testing.T) { receiptStoreCannotBeSwept(t, e, dec.ID, receipt) })
		e.close(t, dec)
		if got := e.count(t, `SELECT COUNT(*) FROM decision_ballots WHERE decision_id = ?`, dec.ID); got != n {
			t.Fatalf("%d ballots after the close, want %d", got, n)
		}
		t.Run("AfterClose", func(t *testing.T) { readerCannotLink(t, e, dec.ID, owner, votedAt, names, false) })
	})
}

// row is one row as a database reader sees it: its key, its place in the
// table's physical order and, on PostgreSQL, its xmin and ctid.
type row struct {
	key        string
	pos        int
	xmin       uint64
	page, item int
}

// readRows reads key (an expression) of a table's rows of a decision in
// the database's own order (no ORDER BY), with the system columns.
func readRows(t *testing.T, e *env, table, key, decisionID string) []row {
	t.Helper()
	cols := key + `, '0', '(0,0)'`
	if e.d.Dialect == db.Postgres {
		cols = key + `, xmin::text, ctid::text`
	} else if _, err := e.d.Exec(context.Background(), `SELECT rowid FROM `+table+` LIMIT 1`); err == nil {
		t.Errorf("%s has a rowid, whose order is the order of writing", table)
	}
	rows, err := e.d.Query(context.Background(), `SELECT `+cols+` FROM `+table+` WHERE decision_id = ?`, decisionID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []row
	for rows.Next() {
		var rw row
		var xmin, ctid string
		if err := rows.Scan(&rw.key, &xmin, &ctid); err != nil {
			t.Fatal(err)
		}
		rw.pos = len(out)
		rw.xmin, _ = strconv.ParseUint(xmin, 10, 64)
		fmt.Sscanf(ctid, "(%d,%d)", &rw.page, &rw.item)
		out = append(out, rw)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readerCannotLink tries every pairing of a voter signal with a ballot
// signal and fails if one pairs voters with their ballots better than
// chance. On PostgreSQL while voting is open (open), the ballot box's xmin and
// physical (ctid) order tell the batch a ballot came in: there the bound
// is a guess within each batch.
func readerCannotLink(t *testing.T, e *env, decisionID string, owner map[string]string, votedAt map[string]int, names []string, open bool) {
	for _, table := range []string{"decision_voters", "decision_ballots", "decision_sealed"} {
		for c, typ := range columnTypes(t, e.d, table) {
			if typ = strings.ToLower(typ); strings.Contains(typ, "time") || strings.Contains(typ, "date") {
				t.Errorf("%s.%s is a %s: a timestamp would date the row", table, c, typ)
			}
		}
	}
	voters := readRows(t, e, "decision_voters", "person_id", decisionID)
	readRows(t, e, "decision_sealed", "id", decisionID) // no rowid there either
	ballots := readRows(t, e, "decision_ballots", "receipt_hash", decisionID)
	ids := readRows(t, e, "decision_ballots", "id", decisionID)
	for i := range ballots {
		ballots[i].key = ballots[i].key + " " + ids[i].key // same scan, same order
	}
	truth := map[string]string{} // person → their ballot's key
	for _, b := range ballots {
		if p := owner[strings.Fields(b.key)[0]]; p != "" {
			truth[p] = b.key
		}
	}
	if len(truth) < 150 {
		t.Fatalf("only %d of the voters' ballots are in the box", len(truth))
	}
	chance := 8 // a random pairing gets 1 right on average; 9 or more, once in a million
	byBatch := chance
	if e.d.Dialect == db.Postgres && open {
		// At most one batch per BatchMin ballots, a guess within each right
		// once on average, and its spread.
		b := (len(ballots) + BatchMin - 1) / BatchMin
		byBatch = max(chance, b+4*int(math.Sqrt(float64(b)))+2)
	}
	best := 0
	defer func() {
		t.Logf("%d voters' ballots in the box; best pairing %d right (bounds: %d by chance, %d by batch)", len(truth), best, chance, byBatch)
	}()
	byPos := func(a, b row) int { return a.pos - b.pos }
	byXmin := func(a, b row) int {
		if a.xmin != b.xmin {
			return cmpU(a.xmin, b.xmin)
		}
		return byCtid(a, b)
	}
	byKey := func(a, b row) int { return strings.Compare(a.key, b.key) }
	voterSignals := []struct {
		name string
		less func(a, b row) int
	}{
		{"voting order", func(a, b row) int { return votedAt[a.key] - votedAt[b.key] }},
		{"physical order", byPos}, {"ctid", byCtid}, {"xmin", byXmin}, {"person id", byKey},
	}
	ballotSignals := []struct {
		name  string
		less  func(a, b row) int
		bound int
	}{
		{"physical order", byPos, byBatch}, {"ctid", byCtid, byBatch}, {"xmin", byXmin, byBatch},
		{"receipt hash", byKey, chance}, {"ballot id", func(a, b row) int { return strings.Compare(idOf(a), idOf(b)) }, chance},
	}
	for _, vs := range voterSignals {
		for _, bs := range ballotSignals {
			right := rankMatch(truth, voters, ballots, vs.less, bs.less)
			best = max(best, right)
			if right > bs.bound {
				t.Errorf("voters by %s paired with ballots by %s: %d of %d right, more than chance (%d)", vs.name, bs.name, right, len(truth), bs.bound)
			}
		}
	}
	// The best use of the system columns: each voter in the first batch
	// moved after their row was written, paired within it.
	if e.d.Dialect == db.Postgres {
		right, n := batchMatch(truth, voters, ballots)
		best = max(best, right)
		if right > byBatch {
			t.Errorf("pairing within batches: %d of %d right over %d batches, more than a guess would get (%d)", right, len(truth), n, byBatch)
		}
	}
	// The audit log says that ballots were cast, per batch, as the system,
	// and names no voter: it cannot order them.
	cast := 0
	for _, a := range tableRows(t, e.d, "audit_log") {
		for _, val := range a {
			for _, s := range names {
				if strings.Contains(val, s) {
					t.Fatalf("audit %s names a voter: %v", a["action"], a)
				}
			}
		}
		switch a["action"] {
		case "decision.voted", "decision.vote_changed":
			t.Errorf("audit records a vote by itself: %v", a)
		case "decision.ballots_cast":
			if a["actor_label"] != "system" || a["actor_id"] != "" {
				t.Errorf("a batch is recorded with actor %q %q", a["actor_id"], a["actor_label"])
			}
			cast++
		}
	}
	if cast < 2 {
		t.Errorf("the audit log has %d batches of ballots cast", cast)
	}
}

// rankMatch sorts voters by one signal and ballots by another, pairs them
// in that order and counts the right pairs.
func rankMatch(truth map[string]string, voters, ballots []row, vless, bless func(a, b row) int) int {
	vs, bs := slices.Clone(voters), slices.Clone(ballots)
	slices.SortStableFunc(vs, vless)
	slices.SortStableFunc(bs, bless)
	right := 0
	for i := range min(len(vs), len(bs)) {
		if truth[vs[i].key] == bs[i].key {
			right++
		}
	}
	return right
}

// batchMatch puts each voter in the first batch moved after their row was
// written (xmin) and pairs them, in xmin order, with that batch's
// ballots in ctid order: the best a reader can do with the system columns.
func batchMatch(truth map[string]string, voters, ballots []row) (right, batches int) {
	byBatch := map[uint64][]row{}
	var xmins []uint64
	for _, b := range ballots {
		if byBatch[b.xmin] == nil {
			xmins = append(xmins, b.xmin)
		}
		byBatch[b.xmin] = append(byBatch[b.xmin], b)
	}
	slices.Sort(xmins)
	assigned := map[uint64][]row{}
	for _, v := range voters {
		i, _ := slices.BinarySearch(xmins, v.xmin+1)
		if i == len(xmins) {
			continue // still sealed
		}
		assigned[xmins[i]] = append(assigned[xmins[i]], v)
	}
	for x, vs := range assigned {
		right += rankMatch(truth, vs, byBatch[x], func(a, b row) int { return cmpU(a.xmin, b.xmin) }, byCtid)
	}
	return right, len(xmins)
}

func byCtid(a, b row) int {
	if a.page != b.page {
		return a.page - b.page
	}
	return a.item - b.item
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// idOf is a ballot row's id (its key is "hash id"); a voter row has none.
func idOf(r row) string {
	if f := strings.Fields(r.key); len(f) == 2 {
		return f[1]
	}
	return r.key
}

// receiptStoreCannotBeSwept: codes carry 125 bits, and what the database
// keeps of them (receipt hashes, change keys) is keyed with the node's
// secret: neither is a plain hash of the code, and another key gives other
// values, so a stolen database cannot be searched for codes.
func receiptStoreCannotBeSwept(t *testing.T, e *env, decisionID string, receipt map[string]string) {
	other := GenerateBallotKey()
	stored := map[string]bool{}
	for _, r := range tableRows(t, e.d, "decision_ballots") {
		stored[r["receipt_hash"]] = true
	}
	for _, r := range tableRows(t, e.d, "decision_voters") {
		stored[r["change_key"]] = true
	}
	for _, code := range receipt {
		c := mustNormalise(t, code)
		if len(c) != receiptLen || receiptLen*5 < 100 {
			t.Fatalf("receipt %s carries %d bits", code, len(c)*5)
		}
		plain := sha256.Sum256([]byte(c))
		for _, v := range []string{hex.EncodeToString(plain[:]), other.receiptHash(decisionID, c), other.changeKey(decisionID, c)} {
			if stored[v] {
				t.Fatalf("the database keeps %s, which is computable from the receipt without this node's key", Fingerprint(v))
			}
		}
	}
	for _, r := range tableRows(t, e.d, "decision_sealed") {
		if _, err := other.open(decisionID, r["id"], r["sealed"]); err == nil {
			t.Fatal("a sealed ballot opened with another key")
		}
		if _, err := e.svc.key.open(decisionID, r["id"], r["sealed"]); err != nil {
			t.Fatalf("a sealed ballot does not open with the node's key: %v", err)
		}
	}
}
