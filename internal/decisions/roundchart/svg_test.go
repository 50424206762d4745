package roundchart

import (
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/tally"
)

// element is one element of a parsed chart: its attributes and its own
// text, without the text of a <title> nested in it (a tooltip).
type element struct {
	name  string
	attrs map[string]string
	text  string
	tip   string // the text of a <title> child
}

// parseSVG reads svg through encoding/xml's strict decoder to the end,
// failing the test on any error, and returns its elements in order.
func parseSVG(t *testing.T, svg string) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	var out []element
	var stack []int // indexes into out
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			i := stack[len(stack)-1]
			if out[i].name == "title" && len(stack) > 1 && out[stack[len(stack)-2]].name != "svg" {
				out[stack[len(stack)-2]].tip += string(tok)
			}
			out[i].text += string(tok)
		}
	}
	if len(out) == 0 || out[0].name != "svg" {
		t.Fatalf("the chart does not start with <svg>:\n%s", svg)
	}
	return out
}

// find returns the elements named name with the given class ("" for any).
func find(els []element, name, class string) []element {
	var out []element
	for _, e := range els {
		if e.name == name && (class == "" || e.attrs["class"] == class) {
			out = append(out, e)
		}
	}
	return out
}

// rootText returns the text of the <svg>'s own <title> or <desc>.
func rootText(t *testing.T, els []element, name string) string {
	t.Helper()
	for _, e := range els {
		if e.name == name && e.attrs["id"] != "" {
			return e.text
		}
	}
	t.Fatalf("the chart has no <%s> with an id", name)
	return ""
}

// counted are the counts every structural test runs over: each method, a
// withdrawn candidate and an election nobody voted in.
func counted(t *testing.T) map[string]*tally.Result {
	t.Helper()
	out := map[string]*tally.Result{}
	for _, m := range []tally.Method{tally.ScottishSTV, tally.Meek, tally.WIGM, tally.Approval, tally.Score, tally.Plurality, tally.Schulze} {
		out[string(m)] = mustCount(t, committee(t), m, 0)
	}
	out["irv"] = mustCount(t, committee(t), tally.IRV, 1)
	w := committee(t)
	w.Withdrawn = []bool{false, false, false, true, false}
	out["withdrawn"] = mustCount(t, w, tally.ScottishSTV, 0)
	empty := &tally.Election{Title: "Nobody voted", Candidates: []string{"Ann", "Bo"}, Seats: 1}
	out["empty"] = mustCount(t, empty, tally.Plurality, 0)
	return out
}

func TestChartStructure(t *testing.T) {
	t.Parallel()
	hasQuota := []string{"scottish-stv", "meek", "wigm", "irv", "withdrawn"}
	for name, res := range counted(t) {
		t.Run(name, func(t *testing.T) {
			els := parseSVG(t, mustRender(t, res, Options{ID: "c1"}))
			root := els[0].attrs
			for attr, want := range map[string]string{"role": "img", "width": "100%", "aria-labelledby": "c1-title", "aria-describedby": "c1-desc"} {
				if root[attr] != want {
					t.Errorf("<svg %s=%q>, want %q", attr, root[attr], want)
				}
			}
			if root["height"] != "" || !strings.HasPrefix(root["viewBox"], "0 0 360 ") {
				t.Errorf("the chart must scale by its viewBox: height=%q viewBox=%q", root["height"], root["viewBox"])
			}
			labels := find(els, "text", "name")
			for _, cand := range res.Candidates {
				n := 0
				for _, l := range labels {
					if strings.TrimPrefix(l.text, "✓ ") == cand {
						n++
					}
				}
				if n != 1 {
					t.Errorf("%d name labels for %s, want 1", n, cand)
				}
			}
			quota := find(els, "path", "quota")
			if want := slices.Contains(hasQuota, name); (len(quota) > 0) != want || (len(find(els, "text", "quota-label")) > 0) != want {
				t.Errorf("quota line drawn: %v, want %v", len(quota) > 0, want)
			}
			for _, e := range els {
				if e.name == "style" || e.name == "script" || e.name == "a" || e.name == "image" || e.attrs["style"] != "" || e.attrs["href"] != "" {
					t.Errorf("<%s> %v would break the page's CSP or reach outside the page", e.name, e.attrs)
				}
			}
			if rootText(t, els, "title") == "" || rootText(t, els, "desc") == "" {
				t.Error("the chart needs a title and a description")
			}
		})
	}
}

// TestChartMarksOutcome checks what a reader sees of the Scottish STV
// count: who is marked elected, who is greyed and from which round, and
// what the description says.
func TestChartMarksOutcome(t *testing.T) {
	t.Parallel()
	res := mustCount(t, committee(t), tally.ScottishSTV, 0)
	els := parseSVG(t, mustRender(t, res, Options{}))
	names := find(els, "text", "name")
	var order []string
	for _, l := range names {
		order = append(order, l.text)
	}
	if want := []string{"✓ Ama Osei", "✓ Cara Lind", "Eve Quinn", "Ben Hart", "Dev Rao", "Non-transferable"}; !slices.Equal(order, want) {
		t.Errorf("rows %q, want %q", order, want)
	}
	for _, l := range names[:2] {
		if l.attrs["font-weight"] != "bold" || l.attrs["fill"] != colElected {
			t.Errorf("elected %q drawn %v, want bold in %s", l.text, l.attrs, colElected)
		}
	}
	bars := map[string]string{}
	for _, b := range find(els, "rect", "bar") {
		bars[b.tip] = b.attrs["fill"]
	}
	for tip, want := range map[string]string{
		"Eve Quinn, round 3: 8.00000 (hopeful)":  colHopeful,
		"Eve Quinn, round 4: 8.00000 (defeated)": colDefeated,
		"Cara Lind, round 3: 6.00000 (hopeful)":  colHopeful,
		"Cara Lind, round 4: 11.00000 (elected)": colElected,
	} {
		if bars[tip] != want {
			t.Errorf("bar %q filled %q, want %q", tip, bars[tip], want)
		}
	}
	desc := rootText(t, els, "desc")
	for _, want := range []string{
		"quota 11.00000.",
		"Elected: Ama Osei in round 1 with 11.00000 votes and Cara Lind in round 4 with 11.00000 votes.",
		"Excluded: Dev Rao in round 3 with 4.00000 votes and Ben Hart in round 4 with 5.99996 votes.",
		"Not elected: Eve Quinn with 8.00000 votes.",
		"Non-transferable at the end: 0.99996 votes.",
		"Dev Rao was chosen by lot",
	} {
		if !strings.Contains(desc, want) {
			t.Errorf("desc lacks %q:\n%s", want, desc)
		}
	}
}

func TestLongNamesAreCutInTheDrawingOnly(t *testing.T) {
	t.Parallel()
	long := "Alexandra Konstantinopoulou-Featherstonehaugh of the Upper Clapton Tenants' Association"
	e := committee(t)
	e.Candidates[2] = long // Cara Lind, elected: bold and marked, the widest case
	res := mustCount(t, e, tally.ScottishSTV, 0)
	els := parseSVG(t, mustRender(t, res, Options{}))
	var drawn *element
	for i, l := range find(els, "text", "name") {
		if strings.HasPrefix(l.text, "✓ Alexandra") {
			drawn = &find(els, "text", "name")[i]
		}
	}
	if drawn == nil {
		t.Fatal("no label for the long name")
	}
	if !strings.HasSuffix(drawn.text, "…") || len(drawn.text) >= len(long) {
		t.Errorf("drawn %q, want the name cut with an ellipsis", drawn.text)
	}
	if cut := strings.TrimSuffix(strings.TrimPrefix(drawn.text, "✓ "), "…"); !strings.HasPrefix(long, cut) {
		t.Errorf("drawn %q is not the start of the name", drawn.text)
	}
	if drawn.tip != "✓ "+long {
		t.Errorf("label tooltip %q, want the whole name", drawn.tip)
	}
	if w := textWidth(drawn.text, nameSize, true); w > span-textWidth("11.00000 · elected in round 4", noteSize, false)-labelGap {
		t.Errorf("cut name is %.0f units wide and runs into the note", w)
	}
	if desc := rootText(t, els, "desc"); !strings.Contains(desc, long+" in round 4") {
		t.Errorf("desc lacks the whole name:\n%s", desc)
	}
	for _, l := range find(els, "text", "name") {
		if l.tip != "" && l.text != drawn.text {
			t.Errorf("short name %q was cut", l.text)
		}
	}
}

// TestMeekFiguresInFull: Meek's votes are shown to its eighteen places, as
// its report shows them; the notes then take a line of their own below
// the names, so that no name is cut to make room, and the moving quota's
// label stays inside the drawing.
func TestMeekFiguresInFull(t *testing.T) {
	t.Parallel()
	res := mustCount(t, committee(t), tally.Meek, 0)
	els := parseSVG(t, mustRender(t, res, Options{}))
	names, notes := find(els, "text", "name"), find(els, "text", "note")
	for _, n := range names {
		if n.tip != "" {
			t.Errorf("name %q was cut beside an eighteen-place note", n.text)
		}
	}
	below := 0
	for _, n := range notes {
		for _, nm := range names {
			if n.attrs["y"] != nm.attrs["y"] && strings.HasPrefix(n.text, "10.666666666666666667 · elected in round ") {
				below++
				break
			}
		}
	}
	if below == 0 {
		t.Errorf("no note reads 10.666666666666666667 on its own line: %v", notes)
	}
	for _, l := range find(els, "text", "quota-label") {
		w := textWidth(l.text, noteSize, false)
		x := parseNum(t, l.attrs["x"])
		left, right := x, x+w
		if l.attrs["text-anchor"] == "end" {
			left, right = x-w, x
		}
		if left < pad-0.01 || right > width-pad+0.01 {
			t.Errorf("quota label %q spans %.0f to %.0f, outside the drawing", l.text, left, right)
		}
	}
	if desc := rootText(t, els, "desc"); !strings.Contains(desc, "quota 10.333333333333333333 in round 1 and 9.666666666666666667 in round 5") {
		t.Errorf("desc lacks the quota in full:\n%s", desc)
	}
}

func parseNum(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
