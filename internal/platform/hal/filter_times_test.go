package hal

import (
	"testing"
	"time"
)

func TestMatchTimes(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 30, 0, 0, time.UTC)
	times := map[string]time.Time{"created_date": at, "modified_date": at.Add(48 * time.Hour)}
	for filter, want := range map[string]bool{
		"":                                       true,
		"created_date eq '2026-11-26'":           true, // a date alone is the whole day
		"created_date ne '2026-11-26'":           false,
		"created_date gt '2026-11-26T09:00:00Z'": true,
		"created_date lt '2026-11-26'":           false,
		"created_date le '2026-11-26T09:30:00Z'": true,
		"created_date ge '2026-11-27' or modified_date gt '2026-11-27'":  true,
		"created_date ge '2026-11-27' and modified_date gt '2026-11-27'": false,
	} {
		alts, err := ParseAlternatives(filter, "created_date", "modified_date")
		if err != nil {
			t.Fatalf("%q: %v", filter, err)
		}
		if got, err := alts.MatchTimes(times); err != nil || got != want {
			t.Errorf("%q: MatchTimes = %v, %v; want %v", filter, got, err, want)
		}
	}
	alts, _ := ParseAlternatives("created_date eq 'soon'", "created_date")
	if _, err := alts.MatchTimes(times); err == nil {
		t.Error("a value that is not a date matched")
	}
}
