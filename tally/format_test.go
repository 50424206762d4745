package tally

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestFormatVotes(t *testing.T) {
	t.Parallel()
	fx := func(s string, places int) Decimal {
		t.Helper()
		f, err := ParseFixed(s, places)
		if err != nil {
			t.Fatal(err)
		}
		return f.Decimal()
	}
	for _, tc := range []struct {
		name   string
		d      Decimal
		places int
		want   string
	}{
		{"AsCounted", fx("559.58891", 5), 5, "559.58891"},
		{"TruncatesNotRounds", fx("10.999996", 6), 5, "10.99999"},
		{"PadsFewerPlaces", fx("4.5", 1), 5, "4.50000"},
		{"ZeroValue", Decimal{}, 5, "0.00000"},
		{"Whole", fx("12", 0), 0, "12"},
		{"WholeFromPlaces", fx("7.9", 1), 0, "7"},
		{"Negative", fx("-0.00004", 5), 5, "-0.00004"},
		{"NegativeTruncatesTowardZero", fx("-1.239", 3), 2, "-1.23"},
		{"Guarded", Decimal{}.Add(decimalOf(1033333333333333333, 17)).Add(decimalOf(3, 18)), 18, "10.333333333333333333"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FormatVotes(tc.d, tc.places); got != tc.want {
				t.Errorf("FormatVotes(%s, %d) = %q, want %q", tc.d, tc.places, got, tc.want)
			}
		})
	}
}

func TestFormatChange(t *testing.T) {
	t.Parallel()
	d := func(u int64, p int) Decimal { return decimalOf(u, p) }
	for _, tc := range []struct {
		name     string
		from, to Decimal
		want     string
	}{
		{"Up", d(500000, 5), d(599996, 5), "+0.99996"},
		{"Down", d(400000, 5), Decimal{}, "−4.00000"},
		{"Same", d(600000, 5), d(600000, 5), ""},
		{"Whole", d(12, 0), d(15, 0), "+3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			places := max(tc.from.Places(), tc.to.Places())
			if got := FormatChange(tc.from, tc.to, places); got != tc.want {
				t.Errorf("FormatChange(%s, %s) = %q, want %q", tc.from, tc.to, got, tc.want)
			}
		})
	}
}

// TestPlaces: each rule's own precision, read from the count.
func TestPlaces(t *testing.T) {
	t.Parallel()
	e := mustReadBLT(t, "testdata/committee.blt")
	for m, want := range map[Method]int{ScottishSTV: 5, Meek: 18, WIGM: 18, Plurality: 0, Approval: 0, Schulze: 0, Score: 0} {
		res, err := Count(e, m)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Places(); got != want {
			t.Errorf("%s: Places() = %d, want %d", m, got, want)
		}
	}
}

// TestRoundsNumberedFromOne: every method Count offers (a method added to
// Methods is checked too) numbers its first round 1, the text report heads
// it "Round 1" and the JSON says "round": 1.
func TestRoundsNumberedFromOne(t *testing.T) {
	t.Parallel()
	for _, m := range Methods {
		t.Run(string(m), func(t *testing.T) {
			e := mustReadBLT(t, "testdata/committee.blt")
			if m == IRV {
				e.Seats = 1
			}
			res, err := Count(e, m)
			if err != nil {
				t.Fatal(err)
			}
			for i, rd := range res.Rounds {
				if rd.Number != i+1 {
					t.Errorf("Rounds[%d].Number = %d, want %d", i, rd.Number, i+1)
				}
			}
			var buf bytes.Buffer
			if err := WriteText(&buf, res); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "\nRound 1\n") || strings.Contains(buf.String(), "Round 0") {
				t.Errorf("text report does not start at Round 1:\n%s", buf.String())
			}
			raw, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			var got struct{ Rounds []struct{ Round int } }
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Rounds) == 0 || got.Rounds[0].Round != 1 {
				t.Errorf("JSON rounds %+v, want the first numbered 1", got.Rounds)
			}
		})
	}
	for _, tc := range []struct {
		name  string
		count func() (*Result, error)
	}{
		{"dots", func() (*Result, error) {
			return CountDots("Dots", []string{"A", "B"}, 1, 3, []DotBallot{{Dots: []int{2, 1}, Count: 1}})
		}},
		{"meeting-time", func() (*Result, error) {
			return CountMeetingTime("Meet", []string{"Tue", "Thu"}, []MeetingTimeBallot{{Marks: []Availability{Available, IfNeedBe}, Count: 2}})
		}},
	} {
		res, err := tc.count()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(res.Rounds) != 1 || res.Rounds[0].Number != 1 {
			t.Errorf("%s: %d rounds, the first numbered %d; want one, round 1", tc.name, len(res.Rounds), res.Rounds[0].Number)
		}
	}
}

// TestJSONVotesAtTheRulesPlaces: a value the count never touched (a zero
// exhausted total) is written at the rule's places, as the report writes
// it, not as a bare "0".
func TestJSONVotesAtTheRulesPlaces(t *testing.T) {
	t.Parallel()
	res, err := Count(mustReadBLT(t, "testdata/committee.blt"), ScottishSTV)
	if err != nil {
		t.Fatal(err)
	}
	res.Rounds[0].Exhausted = Decimal{}
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"exhausted":"0.00000"`) || strings.Contains(string(raw), `"exhausted":"0"`) {
		t.Errorf("JSON exhausted not at five places:\n%s", raw)
	}
	if !strings.Contains(string(raw), `"votes":"5.99996"`) {
		t.Errorf("JSON lacks Ben Hart's 5.99996:\n%s", raw)
	}
}

// TestTieBrokenByEarlierRoundNamesIt: a tie for the lowest vote broken by
// an earlier round names that round by its number as the report heads it.
// B and C are tied at 5 after D's exclusion; in round 1 B had 4 and C 5.
func TestTieBrokenByEarlierRoundNamesIt(t *testing.T) {
	t.Parallel()
	e := &Election{Title: "Tie", Candidates: []string{"A", "B", "C", "D"}, Seats: 1}
	e.Ballots.Add(10, 0)
	e.Ballots.Add(4, 1)
	e.Ballots.Add(5, 2)
	e.Ballots.Add(1, 3, 1)
	for _, m := range []Method{ScottishSTV, IRV} {
		t.Run(string(m), func(t *testing.T) {
			res, err := Count(e, m)
			if err != nil {
				t.Fatal(err)
			}
			var detail string
			for _, rd := range res.Rounds {
				for _, ev := range rd.Events {
					if ev.Reason == ReasonTieEarlier {
						detail = ev.Detail
					}
				}
			}
			if !strings.Contains(detail, "at the end of round 1,") {
				t.Fatalf("tie-break %q, want it to name round 1", detail)
			}
			if b, c := res.Rounds[0].Tallies[1], res.Rounds[0].Tallies[2]; b.Cmp(c) == 0 {
				t.Errorf("round 1 has B %s and C %s: not the round where they differed", b, c)
			}
			var buf bytes.Buffer
			if err := WriteText(&buf, res); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "Round 1\n") {
				t.Errorf("the report has no round 1 for the tie-break to name:\n%s", buf.String())
			}
		})
	}
}
