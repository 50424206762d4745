package tally

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// namedWomenElection is womenElection with names a report reader expects.
func namedWomenElection(t *testing.T) *Election {
	t.Helper()
	e := womenElection(t, 2)
	e.Title = "National committee"
	e.Candidates = []string{"Alan", "Bill", "Colin", "Dora", "Erin", "Fay"}
	return e
}

func meetingTimePoll(t *testing.T) *Result {
	t.Helper()
	const y, m, n = Available, IfNeedBe, Unavailable
	res, err := CountMeetingTime("Planning meeting", []string{"Mon 19:00", "Tue 18:00", "Wed 19:30"},
		[]MeetingTimeBallot{{[]Availability{y, y, n}, 2}, {[]Availability{n, m, y}, 1}, {[]Availability{m, m, n}, 1}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestNewReportsGolden pins the readable reports of a count with seats
// reserved for women (both methods that apply the rule), a dot vote and a
// meeting-time poll; run with -update after a deliberate change and
// review the diff.
func TestNewReportsGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		count func(t *testing.T) *Result
	}{
		{"reserved-scottish-stv", func(t *testing.T) *Result { return mustCount(t, namedWomenElection(t), ScottishSTV) }},
		{"reserved-meek", func(t *testing.T) *Result { return mustCount(t, namedWomenElection(t), Meek) }},
		{"dots", func(t *testing.T) *Result {
			res, err := CountDots("Next action", []string{"Rent strike", "Petition", "March"}, 1, 3,
				[]DotBallot{{[]int{3, 0, 0}, 2}, {[]int{0, 2, 1}, 3}, {[]int{1, 1, 1}, 1}})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}},
		{"meeting-time", meetingTimePoll},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteText(&buf, tt.count(t)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".txt")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("report differs from %s:\n%s", golden, buf.String())
			}
		})
	}
}

func mustCount(t *testing.T, e *Election, m Method) *Result {
	t.Helper()
	res, err := Count(e, m)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestNewJSON checks that JSON readers see the reserved seats, the events
// that applied them, and a meeting-time poll's if-need-be marks.
func TestNewJSON(t *testing.T) {
	t.Parallel()
	t.Run("Reserved", func(t *testing.T) {
		raw, err := json.Marshal(mustCount(t, namedWomenElection(t), ScottishSTV))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Reserved []struct {
				Category   string   `json:"category"`
				Seats      int      `json:"seats"`
				Candidates []string `json:"candidates"`
				Elected    []string `json:"elected"`
			} `json:"min_representation"`
			Rounds []struct {
				Events []struct {
					Candidate string `json:"candidate"`
					Reason    Reason `json:"reason"`
				} `json:"events"`
			} `json:"rounds"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Reserved) != 1 || got.Reserved[0].Category != "women" || got.Reserved[0].Seats != 2 ||
			!slices.Equal(got.Reserved[0].Candidates, []string{"Dora", "Erin", "Fay"}) ||
			!slices.Equal(got.Reserved[0].Elected, []string{"Dora", "Erin"}) {
			t.Errorf("min_representation %+v", got.Reserved)
		}
		var reserved []string
		for _, rd := range got.Rounds {
			for _, ev := range rd.Events {
				if ev.Reason == ReasonReserved {
					reserved = append(reserved, ev.Candidate)
				}
			}
		}
		// Each excluded man: the exclusion, then the transfer of his ballots.
		if want := []string{"Colin", "Bill", "Colin", "Bill"}; !slices.Equal(reserved, want) {
			t.Errorf("events for reserved seats concern %v, want %v", reserved, want)
		}
	})
	t.Run("MeetingTime", func(t *testing.T) {
		raw, err := json.Marshal(meetingTimePoll(t))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Method Method `json:"method"`
			Rounds []struct {
				Tallies []struct {
					Candidate string `json:"candidate"`
					Votes     string `json:"votes"`
					IfNeedBe  string `json:"if_need_be"`
				} `json:"tallies"`
			} `json:"rounds"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if got.Method != MeetingTime || len(got.Rounds) != 1 {
			t.Fatalf("method %s with %d rounds", got.Method, len(got.Rounds))
		}
		var marks []string
		for _, tl := range got.Rounds[0].Tallies {
			marks = append(marks, tl.Candidate+" "+tl.Votes+"/"+tl.IfNeedBe)
		}
		if want := []string{"Mon 19:00 2/1", "Tue 18:00 2/2", "Wed 19:30 1/0"}; !slices.Equal(marks, want) {
			t.Errorf("yes/if-need-be %v, want %v", marks, want)
		}
	})
}
