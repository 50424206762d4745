package tally

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func decimalStrings(ds []Decimal) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

func namesOf(r *Result, groups [][]int) [][]string {
	var out [][]string
	for _, g := range groups {
		var names []string
		for _, c := range g {
			names = append(names, r.Candidates[c])
		}
		out = append(out, names)
	}
	return out
}

func TestCountDots(t *testing.T) {
	t.Parallel()
	options := []string{"Rent strike", "Petition", "March", "Social"}
	ballots := []DotBallot{
		{Dots: []int{3, 0, 2, 0}, Count: 4}, // several dots on one option
		{Dots: []int{0, 5, 0, 0}, Count: 2},
		{Dots: []int{1, 1, 1, 1}, Count: 3}, // fewer than the five dots allowed
		{Dots: []int{0, 0, 0, 0}, Count: 1},
	}
	res, err := CountDots("Next action", options, 2, 5, ballots)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := decimalStrings(res.Rounds[0].Tallies), []string{"15", "13", "11", "3"}; !slices.Equal(got, want) {
		t.Errorf("totals %v, want %v", got, want)
	}
	if got := res.ElectedNames(); !slices.Equal(got, []string{"Rent strike", "Petition"}) {
		t.Errorf("chosen %v", got)
	}
	if res.Ballots != 10 || res.Method != Dots || len(res.Order) != 4 {
		t.Errorf("ballots %d, method %s, order %v", res.Ballots, res.Method, res.Order)
	}
	if ev := res.Rounds[0].Events[0]; ev.Kind != EventElected || ev.Detail != "Rent strike is chosen with 15 dots" {
		t.Errorf("first event %+v", ev)
	}

	errs := []struct {
		name    string
		ballots []DotBallot
		want    string
	}{
		{"TooManyDots", []DotBallot{{Dots: []int{3, 3, 0, 0}, Count: 1}}, "dot ballot 1 places 6 dots; each voter has 5"},
		{"Negative", []DotBallot{{Dots: []int{6, -1, 0, 0}, Count: 1}}, "places -1 dots on Petition"},
		{"WrongLength", []DotBallot{{Dots: []int{1}, Count: 1}}, "for each of the 4 options"},
		{"ZeroCount", []DotBallot{{Dots: []int{1, 0, 0, 0}}}, "count at least once"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CountDots("x", options, 1, 5, tt.ballots)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want an *InputError saying %q", err, tt.want)
			}
		})
	}
}

func TestCountMeetingTime(t *testing.T) {
	t.Parallel()
	const y, m, n = Available, IfNeedBe, Unavailable
	options := []string{"Mon 19:00", "Tue 18:00", "Wed 19:30"}
	tests := []struct {
		name    string
		ballots []MeetingTimeBallot
		chosen  string
		tie     Reason // "" for no tie-break event
		detail  string // the tie-break's or the choice's explanation
		order   [][]string
	}{
		{"MostYes", []MeetingTimeBallot{{[]Availability{y, n, m}, 3}, {[]Availability{n, y, y}, 2}, {[]Availability{y, m, ""}, 1}},
			"Mon 19:00", "", "Mon 19:00 is chosen: 4 can come, 0 more if need be, 2 cannot",
			[][]string{{"Mon 19:00"}, {"Wed 19:30"}, {"Tue 18:00"}}},
		{"IfNeedBeBreaksYesTie", []MeetingTimeBallot{{[]Availability{y, y, n}, 2}, {[]Availability{n, m, y}, 1}, {[]Availability{m, m, n}, 1}},
			"Tue 18:00", ReasonMostIfNeedBe, "Tue 18:00, Mon 19:00 have the most yes marks (2 each); Tue 18:00 is chosen because the most can come if need be (2, against 1 for the next)",
			[][]string{{"Tue 18:00"}, {"Mon 19:00"}, {"Wed 19:30"}}},
		{"FirstListedBreaksFullTie", []MeetingTimeBallot{{[]Availability{n, y, y}, 2}, {[]Availability{y, m, m}, 1}},
			"Tue 18:00", ReasonFirstListed, "Tue 18:00, Wed 19:30 tie with 2 yes and 1 if-need-be marks each; Tue 18:00 is chosen because it is listed first",
			[][]string{{"Tue 18:00", "Wed 19:30"}, {"Mon 19:00"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := CountMeetingTime("Planning meeting", options, tt.ballots)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.ElectedNames(); !slices.Equal(got, []string{tt.chosen}) {
				t.Errorf("chosen %v, want %s", got, tt.chosen)
			}
			evs := res.Rounds[0].Events
			last := evs[len(evs)-1]
			if last.Kind != EventElected || last.Reason != ReasonMostYes {
				t.Errorf("last event %+v, want the choice", last)
			}
			if tt.tie == "" {
				if len(evs) != 1 || last.Detail != tt.detail {
					t.Errorf("events %+v, want only %q", evs, tt.detail)
				}
			} else if evs[0].Kind != EventTie || evs[0].Reason != tt.tie || evs[0].Detail != tt.detail {
				t.Errorf("tie-break %+v, want %s %q", evs[0], tt.tie, tt.detail)
			}
			if got := namesOf(res, res.Order); !slices.EqualFunc(got, tt.order, slices.Equal) {
				t.Errorf("order %v, want %v", got, tt.order)
			}
		})
	}
	t.Run("IfNeedBeTallies", func(t *testing.T) {
		res, err := CountMeetingTime("x", options, tests[0].ballots)
		if err != nil {
			t.Fatal(err)
		}
		if got := decimalStrings(res.Rounds[0].IfNeedBe); !slices.Equal(got, []string{"0", "1", "3"}) {
			t.Errorf("if-need-be marks %v, want [0 1 3]", got)
		}
	})
	t.Run("UnknownMark", func(t *testing.T) {
		_, err := CountMeetingTime("x", options, []MeetingTimeBallot{{[]Availability{y, "maybe", n}, 1}})
		var ie *InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), `marks Tue 18:00 "maybe"`) {
			t.Errorf("error %v, want an *InputError naming the mark", err)
		}
	})
}
