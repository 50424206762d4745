package decisionsweb

import (
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/decisions/roundchart"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/tally"
)

// renderResults renders the results page of a closed election counted as
// res, through the real templates and the handler's countView.
func renderResults(t *testing.T, res *tally.Result, exhausted string) string {
	t.Helper()
	rend, err := web.NewRenderer(slog.New(slog.DiscardHandler), web.RendererOptions{SiteName: "Tenants United"})
	if err != nil {
		t.Fatal(err)
	}
	if err := rend.Add(Templates, "decisions"); err != nil {
		t.Fatal(err)
	}
	d := &decisions.Decision{ID: "d1", Title: res.Title, Kind: decisions.KindElection, Method: res.Method, Seats: res.Seats}
	p := resultsPage{D: d, KindName: decisions.KindName(d.Kind), Summary: "Elected: " + strings.Join(res.ElectedNames(), ", ") + ".",
		Ballots: int(res.Ballots), Exhausted: exhausted}
	if err := countView(&p, res, roundchart.Options{ID: "count"}); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	rend.Page(w, httptest.NewRequest("GET", "/decisions/d1/results", nil), 200, "decisions/results",
		web.Page{Title: "Results", Data: p, Form: web.NewForm(nil)})
	if w.Code != 200 {
		t.Fatalf("status %d:\n%s", w.Code, w.Body)
	}
	return w.Body.String()
}

// TestResultsPageRoundsAndFigures renders the committee election counted
// by Scottish STV, whose first surplus passes 0.99996 of a vote to Ben
// Hart: the table, the chart's labels, its tooltips and its description
// number the rounds from 1 and show his 5.99996 votes and the 0.99996
// non-transferable the same way, to the fifth place.
func TestResultsPageRoundsAndFigures(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("..", "..", "..", "tally", "testdata", "committee.blt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := tally.ReadBLT(f, "committee.blt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := tally.Count(e, tally.ScottishSTV)
	if err != nil {
		t.Fatal(err)
	}
	body := renderResults(t, res, tally.FormatVotes(res.Rounds[len(res.Rounds)-1].Exhausted, res.Places()))

	heads := regexp.MustCompile(`<th scope="col">Round (\d+)</th>`).FindAllStringSubmatch(body, -1)
	var rounds []string
	for _, h := range heads {
		rounds = append(rounds, h[1])
	}
	if strings.Join(rounds, " ") != "1 2 3 4" {
		t.Errorf("table heads rounds %v, want 1 2 3 4", rounds)
	}
	for _, want := range []string{
		// The table: Ben Hart's row, round 2, and the last round's exhausted.
		`<td>5.99996 <span class="muted">(&#43;0.99996)</span></td>`, // html/template writes + as &#43;
		`<tr><th scope="row">Quota</th><td>11.00000</td>`,
		`<td>0.99996</td></tr>`,
		`<li value="1"><strong>Round 1</strong>`,
		// The outcome facts.
		`<dd>0.99996</dd>`,
		// The chart: the row's note, a bar's tooltip and the description.
		`>5.99996 · excluded in round 4</text>`,
		`<title>Ben Hart, round 2: 5.99996 (hopeful)</title>`,
		`>0.99996</text>`,
		`Ben Hart in round 4 with 5.99996 votes`,
		`Non-transferable at the end: 0.99996 votes.`,
		`Elected: Ama Osei in round 1 with 11.00000 votes`,
		`rounds 1 to 4, top to bottom`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	for _, bad := range []string{"Round 0", "round 0", "5.99 ", "5.99<", "0.99 ", "0.99<", "11.00 ", "(+0.99996<"} {
		if strings.Contains(body, bad) {
			t.Errorf("results page shows %q", bad)
		}
	}
}
