package roundchart

// The chart's colours, taken from app.css's custom properties and written
// as literal hex: inline SVG attributes cannot rely on CSS variables, and
// the Content-Security-Policy forbids a <style> element inside the SVG.
// Text colours reach 4.5:1 against white and bar colours 3:1 (WCAG 1.4.3
// and 1.4.11); palette_test.go checks both. Colour is never the only cue:
// elected rows also carry a ✓, bold type and the word "elected", excluded
// rows the word "excluded".
const (
	colText     = "#1b1f24" // --text: labels, the quota line
	colMuted    = "#4f5661" // --muted: legends, excluded names, abstentions, non-transferable
	colHopeful  = "#0b4fa3" // --link: a continuing candidate's bar
	colElected  = "#1d6b36" // --success: elected name and bars
	colDefeated = "#8a919c" // --border: bars from the round a candidate is out
	colAgainst  = "#a4161a" // --error: disagree, a failed outcome
	colBlock    = "#6a0f2a" // --brand-dark: block
	colHalo     = "#ffffff" // --bg: the halo that keeps the quota line visible over any bar
)

// textColours and barColours list which colours are used for text and
// which only for shapes, so the contrast test knows the ratio each needs.
var (
	textColours = []string{colText, colMuted, colElected, colAgainst}
	barColours  = []string{colHopeful, colElected, colDefeated, colMuted, colAgainst, colBlock}
)
