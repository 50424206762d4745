package decisions

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// TestUnlinkability casts a secret STV ballot as 40 voters (one changes
// their vote), closes it, then inspects every table and column of the
// database and every log line, and proves that nothing links a voter to a
// ballot: ballot rows hold no person, user or time; no other table holds a
// receipt, its hash or a ballot id; no stored order of the ballots is the
// order of voting; the logs hold no receipt, hash or ballot id.
func TestUnlinkability(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		g := e.group(t, "Hackney Momentum")
		org := e.member(t, "Olu Organiser")
		e.join(t, g, org, "organiser")
		const n = 40
		var voters []person
		for i := range n {
			v := e.member(t, fmt.Sprintf("Voter %02d", i))
			e.join(t, g, v, "member")
			voters = append(voters, v)
		}
		dec := e.open(t, org, Input{GroupID: g, Title: "Officers", Kind: KindElection, Seats: 2,
			Options:    []OptionInput{{Label: "Ann"}, {Label: "Bob"}, {Label: "Cat"}, {Label: "Dan"}},
			Electorate: Electorate{MembersOnly: true}})
		var receipts, hashes []string // in voting order
		for i, v := range voters {
			r := e.vote(t, dec, v, Choice{Ranking: []int{1 + i%4, 1 + (i+1)%4}})
			receipts = append(receipts, r)
		}
		changed, err := e.svc.ChangeVote(voters[7].ctx, dec.ID, receipts[7], e.token(voters[7].ctx, dec.ID), Choice{Ranking: []int{4}})
		if err != nil {
			t.Fatal(err)
		}
		receipts[7] = changed
		for _, r := range receipts {
			hashes = append(hashes, e.hash(t, dec.ID, r))
		}
		if _, err := e.svc.MoveBallots(e.system); err != nil {
			t.Fatal(err)
		}
		if d.Dialect == db.SQLite {
			t.Run("StorageOrderWhileVoting", func(t *testing.T) { checkOrder(t, e, dec.ID, "", hashes) })
		}
		e.close(t, dec)
		var ballotIDs []string
		var personIDs []string
		for _, v := range append(voters, org) {
			personIDs = append(personIDs, v.PersonID, v.UserID)
		}
		t.Run("BallotRowsHoldNoPersonOrTime", func(t *testing.T) {
			cols := columnTypes(t, d, "decision_ballots")
			names := make([]string, 0, len(cols))
			for c, typ := range cols {
				names = append(names, c)
				if strings.Contains(strings.ToLower(typ), "time") || strings.Contains(strings.ToLower(typ), "date") {
					t.Errorf("decision_ballots.%s has type %s", c, typ)
				}
			}
			slices.Sort(names)
			if want := []string{"content", "decision_id", "id", "person_id", "receipt_hash"}; !slices.Equal(names, want) {
				t.Fatalf("decision_ballots columns %v, want %v", names, want)
			}
			// Who voted, and a change key: a hash of the decision and the
			// receipt code under another domain than the ballot's, so it names
			// no ballot (the scan of every table below checks that no receipt,
			// receipt hash, fingerprint or ballot id sits beside a person).
			voterCols := columnTypes(t, d, "decision_voters")
			if len(voterCols) != 3 || voterCols["decision_id"] == "" || voterCols["person_id"] == "" || voterCols["change_key"] == "" {
				t.Fatalf("decision_voters columns %v, want decision_id, person_id and change_key only", voterCols)
			}
			for _, row := range tableRows(t, d, "decision_ballots") {
				if row["person_id"] != "" {
					t.Errorf("secret ballot holds person %q", row["person_id"])
				}
				if len(row["id"]) != 32 || strings.Contains(row["id"], "-") {
					t.Errorf("ballot id %q is not 128 random bits in hex", row["id"])
				}
				for col, val := range row {
					for _, id := range personIDs {
						if strings.Contains(val, id) {
							t.Errorf("decision_ballots.%s holds a person or user id", col)
						}
					}
				}
				ballotIDs = append(ballotIDs, row["id"])
			}
			if len(ballotIDs) != n {
				t.Fatalf("%d ballots, want %d", len(ballotIDs), n)
			}
		})
		var secrets []string // what must appear only in decision_ballots
		for i, r := range receipts {
			secrets = append(secrets, r, mustNormalise(t, r), hashes[i], Fingerprint(hashes[i]))
		}
		secrets = append(secrets, ballotIDs...)
		t.Run("NoOtherTableHoldsReceiptHashOrBallot", func(t *testing.T) {
			for _, table := range allTables(t, d) {
				if table == "decision_ballots" {
					continue
				}
				for _, row := range tableRows(t, d, table) {
					for col, val := range row {
						for _, s := range secrets {
							if strings.Contains(strings.ToUpper(val), strings.ToUpper(s)) {
								t.Errorf("%s.%s holds a receipt, hash or ballot id", table, col)
							}
						}
					}
				}
			}
		})
		t.Run("StorageOrderAfterClose", func(t *testing.T) {
			checkOrder(t, e, dec.ID, "", hashes)
			for _, col := range []string{"id", "receipt_hash", "content", "person_id"} {
				checkOrder(t, e, dec.ID, col, hashes)
			}
		})
		t.Run("LogsHoldNoSecret", func(t *testing.T) {
			if _, _, err := e.svc.AdvanceDue(e.system); err != nil { // a job run, logging as it would
				t.Fatal(err)
			}
			logs := strings.ToUpper(e.logs.String())
			for _, s := range secrets {
				if strings.Contains(logs, strings.ToUpper(s)) {
					t.Fatalf("the logs hold a receipt, hash or ballot id:\n%s", e.logs.String())
				}
			}
		})
		t.Run("PublishedInFingerprintOrder", func(t *testing.T) {
			pub, err := e.svc.PublishedBallots(org.ctx, dec.ID, BallotPage{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			fps := make([]string, len(pub))
			for i, b := range pub {
				fps[i] = b.Fingerprint
			}
			if len(fps) != n || !slices.IsSorted(fps) {
				t.Fatalf("published %d ballots, sorted %v; want %d in fingerprint order", len(fps), slices.IsSorted(fps), n)
			}
		})
	})
}

// checkOrder fails when the ballots, read in the database's order (no
// ORDER BY) or ordered by col, follow the voting order: identical to it,
// or with a rank correlation no shuffle would give (|ρ| ≥ 0.8).
func checkOrder(t *testing.T, e *env, decisionID, col string, votingOrder []string) {
	t.Helper()
	q := `SELECT receipt_hash FROM decision_ballots WHERE decision_id = ?`
	if col != "" {
		q += ` ORDER BY ` + col
	}
	rows, err := e.d.Query(context.Background(), q, decisionID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var stored []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		stored = append(stored, h)
	}
	pos := map[string]int{}
	for i, h := range votingOrder {
		pos[h] = i
	}
	n := float64(len(stored))
	var sumD2 float64
	for i, h := range stored {
		p, ok := pos[h]
		if !ok {
			t.Fatalf("stored ballot %s is not one of the votes", Fingerprint(h))
		}
		sumD2 += math.Pow(float64(i-p), 2)
	}
	rho := 1 - 6*sumD2/(n*(n*n-1))
	if slices.Equal(stored, votingOrder) || math.Abs(rho) >= 0.8 {
		t.Fatalf("ballots ordered by %q follow the voting order (ρ = %.2f)", col, rho)
	}
}

// allTables lists every table of the database.
func allTables(t *testing.T, d *db.DB) []string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if d.Dialect == db.Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`
	}
	rows, err := d.Query(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if len(out) < 10 {
		t.Fatalf("only %d tables found", len(out))
	}
	return out
}

// columnTypes maps a table's columns to their declared types.
func columnTypes(t *testing.T, d *db.DB, table string) map[string]string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT * FROM `+table+` LIMIT 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range cts {
		out[c.Name()] = c.DatabaseTypeName()
	}
	return out
}

// tableRows reads every row of a table as text.
func tableRows(t *testing.T, d *db.DB, table string) []map[string]string {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT * FROM `+table)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []map[string]string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		row := map[string]string{}
		for i, c := range cols {
			row[c] = string(vals[i])
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	return out
}
