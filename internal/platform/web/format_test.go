package web

import (
	"bytes"
	htmltemplate "html/template"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	texttemplate "text/template"
	"time"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestZoneLabel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ zone, want string }{
		{"Europe/London", "London time"},
		{"America/New_York", "New York time"},
		{"America/Argentina/Buenos_Aires", "Buenos Aires time"},
		{"UTC", "UTC"},
		{"Etc/UTC", "UTC"},
		{"Etc/GMT+5", "GMT+5"},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			if got := ZoneLabel(mustZone(t, tc.zone)); got != tc.want {
				t.Errorf("ZoneLabel(%s) = %q, want %q", tc.zone, got, tc.want)
			}
		})
	}
	if got := ZoneLabel(nil); got != "UTC" {
		t.Errorf("ZoneLabel(nil) = %q, want UTC", got)
	}
}

func TestDatesAndTimes(t *testing.T) {
	t.Parallel()
	london, newYork := mustZone(t, "Europe/London"), mustZone(t, "America/New_York")
	winter := time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)
	summer := time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC) // 19:00 BST
	lateUTC := time.Date(2026, 12, 8, 2, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"DateTimeWinter", DateTime(winter, london), "Mon 7 Dec 2026, 19:00 London time"},
		{"DateTimeSummerDST", DateTime(summer, london), "Wed 1 Jul 2026, 19:00 London time"},
		{"DateTimeNewYork", DateTime(winter, newYork), "Mon 7 Dec 2026, 14:00 New York time"},
		{"DateTimeUTC", DateTime(winter, time.UTC), "Mon 7 Dec 2026, 19:00 UTC"},
		{"DateTimeOwnZone", DateTime(summer.In(london), nil), "Wed 1 Jul 2026, 19:00 London time"},
		{"DateTimeZero", DateTime(time.Time{}, london), ""},
		{"DayTime", DayTime(summer, london), "Wed 1 Jul 2026, 19:00"},
		{"ClockDST", Clock(summer, london), "19:00"},
		{"ClockNewYork", Clock(summer, newYork), "14:00"},
		{"ClockZero", Clock(time.Time{}, london), ""},
		{"Date", Date(winter, london), "7 Dec 2026"},
		{"DateCrossesMidnightInZone", Date(lateUTC, newYork), "7 Dec 2026"},
		{"DateCrossesMidnightDST", Date(time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC), london), "2 Jul 2026"},
		// A calendar date (midnight UTC) stays on its day, also west of UTC.
		{"CalendarDateWestOfUTC", Date(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), newYork), "1 Mar 2026"},
		{"DateZero", Date(time.Time{}, london), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

type decimalString string

func (d decimalString) String() string { return string(d) }

func TestNumbers(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"Zero", Number(0), "0"},
		{"Hundreds", Number(999), "999"},
		{"Thousands", Number(10986), "10,986"},
		{"Millions", Number(int64(1234567)), "1,234,567"},
		{"Negative", Number(-7975), "-7,975"},
		{"Unsigned", Number(uint32(1041)), "1,041"},
		{"VotesDecimal", Votes(decimalString("10986.50000")), "10,986.50000"},
		{"VotesKeepsPlaces", Votes(decimalString("927.98248")), "927.98248"},
		{"VotesNeverRounds", Votes(decimalString("10.99996")), "10.99996"},
		{"VotesInteger", Votes(2500), "2,500"},
		{"VotesNegative", Votes(decimalString("-1234.5")), "-1,234.5"},
		{"PercentTwoOfThree", Percent(2, 3), "67%"},
		{"PercentOneOfThree", Percent(1, 3), "33%"},
		{"PercentHalfUp", Percent(1, 8), "13%"},
		{"PercentHalf", Percent(1, 2), "50%"},
		{"PercentAll", Percent(3, 3), "100%"},
		{"PercentNone", Percent(0, 3), "0%"},
		{"PercentZeroOfZero", Percent(0, 0), "—"},
		{"PercentOverGoal", Percent(150, 100), "150%"},
		{"PercentMixedTypes", Percent(int64(7975), 10986), "73%"},
		{"PercentNotIntegers", Percent("a", 3), "—"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %q, want %q", tc.got, tc.want)
			}
		})
	}
}

// TestFormatFuncs runs the functions as pages (html/template, the network's
// zone) and mails (text/template, each time's own zone) call them.
func TestFormatFuncs(t *testing.T) {
	t.Parallel()
	london := mustZone(t, "Europe/London")
	data := map[string]any{"At": time.Date(2026, 7, 1, 18, 0, 0, 0, time.UTC), "N": 10986, "Came": 2, "Yes": 3, "None": 0}
	const src = `{{datetime .At}}|{{date .At}}|{{time .At}}|{{zone}}|{{number .N}}|{{percent .Came .Yes}}|{{percent .None .None}}`
	h := htmltemplate.Must(htmltemplate.New("p").Funcs(FormatFuncs(london)).Parse(src))
	var b bytes.Buffer
	if err := h.Execute(&b, data); err != nil {
		t.Fatal(err)
	}
	if want := "Wed 1 Jul 2026, 19:00 London time|1 Jul 2026|19:00|London time|10,986|67%|—"; b.String() != want {
		t.Errorf("page: got %q, want %q", b.String(), want)
	}
	b.Reset()
	m := texttemplate.Must(texttemplate.New("m").Funcs(FormatFuncs(nil)).Parse(`{{datetime .At}}`))
	if err := m.Execute(&b, map[string]any{"At": time.Date(2026, 7, 1, 14, 0, 0, 0, mustZone(t, "America/New_York"))}); err != nil {
		t.Fatal(err)
	}
	if want := "Wed 1 Jul 2026, 14:00 New York time"; b.String() != want {
		t.Errorf("mail: got %q, want %q", b.String(), want)
	}
}

// TestTemplatesUseTheFormatLayer fails when a page or mail template under
// internal/ formats a time with a layout of its own or computes a
// percentage itself, instead of calling date, datetime, time, number or
// percent.
func TestTemplatesUseTheFormatLayer(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	bad := []*regexp.Regexp{
		regexp.MustCompile(`\.Format\s+"[^2]`),               // {{.Start.Format "15:04"}}; "2006-01-02" for a form value is allowed
		regexp.MustCompile(`printf\s+"[^"]*%[-\d.]*[dfv]%%`), // {{printf "%d%%" .N}}
		regexp.MustCompile(`\}\}\s*%`),                       // {{.Percent}}%
		regexp.MustCompile(`\(UTC\)|\bUTC\}\}|\}\} UTC\b`),   // a zone said by hand
	}
	var checked int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		ext := filepath.Ext(path)
		if d.IsDir() || (ext != ".html" && ext != ".tmpl") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(src), "\n") {
			for _, re := range bad {
				if m := re.FindString(line); m != "" {
					t.Errorf("%s:%d formats by itself (%q); use date, datetime, time, number or percent (web/format.go)", path, i+1, m)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked %d templates under internal/; the walk went wrong", checked)
	}
}

// TestRendererShowsTimesInTheNetworkZone: a page's date functions use the
// zone the renderer was given (MOMENTUM_TIME_ZONE), and say it.
func TestRendererShowsTimesInTheNetworkZone(t *testing.T) {
	t.Parallel()
	pages := fstest.MapFS{"when.html": {Data: []byte(`{{define "content"}}<p id="when">{{datetime .Data.At}}</p>` +
		`<p id="day">{{date .Data.At}}</p><p id="zone">{{zone}}</p><p id="share">{{percent .Data.N .Data.D}}</p>{{end}}`)}}
	for _, tc := range []struct {
		zone *time.Location
		want []string
	}{
		{mustZone(t, "America/New_York"), []string{"Mon 7 Dec 2026, 21:30 New York time", "7 Dec 2026", "New York time", "67%"}},
		{mustZone(t, "Europe/London"), []string{"Tue 8 Dec 2026, 02:30 London time", "8 Dec 2026", "London time"}},
		{nil, []string{"Tue 8 Dec 2026, 02:30 UTC"}},
	} {
		t.Run(ZoneLabel(tc.zone), func(t *testing.T) {
			r, err := NewRenderer(slog.New(slog.DiscardHandler), RendererOptions{Zone: tc.zone})
			if err != nil {
				t.Fatal(err)
			}
			if err := r.Add(pages, "t"); err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			r.Page(rec, httptest.NewRequest("GET", "/", nil), 200, "t/when",
				Page{Data: map[string]any{"At": time.Date(2026, 12, 8, 2, 30, 0, 0, time.UTC), "N": 2, "D": 3}})
			mustContain(t, rec.Body.String(), tc.want...)
		})
	}
}
