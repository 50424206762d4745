package roundchart

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Options tune a chart.
type Options struct {
	// ID prefixes the ids of the chart's <title> and <desc>, which the
	// <svg> names in aria-labelledby and aria-describedby; it must be
	// unique in the page (letters, digits, '-' and '_', starting with a
	// letter). Empty means "roundchart".
	ID string
	// Title names the chart in its <title>. Empty means the count's own
	// title (tally.Result.Title), or a generic one.
	Title string
	// Poll words the chart for a poll's options rather than an
	// election's candidates: "chosen" for "elected", "to choose" for
	// "seats". Dot votes and meeting-time polls are always worded so.
	Poll bool
}

// Geometry of the drawing, in SVG user units. The viewBox is as wide as a
// phone's content area (390 px less the page's padding), so text drawn at
// 14 units reads at about 14 px on a phone; the <svg> is width="100%" and
// its height follows the viewBox.
const (
	width    = 360.0
	pad      = 8.0
	span     = width - 2*pad // the width of a full-length bar
	nameSize = 14.0
	noteSize = 12.0
	labelGap = 12.0 // the least space between a name and the note at its right
)

var idPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

func (o Options) withDefaults() (Options, error) {
	if o.ID == "" {
		o.ID = "roundchart"
	}
	if !idPattern.MatchString(o.ID) {
		return o, errs.E(errs.Internal, "chart id %q must start with a letter and hold only letters, digits, '-' and '_'", o.ID)
	}
	return o, nil
}

// chart is a drawing reduced to the few shapes the template knows, laid
// out in Go so that the template stays a plain list.
type chart struct {
	ID, Title, Desc string
	Height          float64
	Texts           []label
	Rects           []bar
	Paths           []line
}

// label is one <text>.
type label struct {
	Class    string
	X, Y     float64
	Anchor   string // "" (start), "end" or "middle"
	Size     float64
	Bold     bool
	Fill     string
	Text     string
	FullText string // the uncut text, as a tooltip, when Text was cut
}

// bar is one <rect> with its tooltip.
type bar struct {
	X, Y, W, H float64
	Fill       string
	Stroke     string // an outline, for a segment drawn hollow
	Tip        string
}

// line is one <path>: the quota or a threshold, dashed.
type line struct {
	Class  string
	D      string
	Stroke string
	Width  float64
	Dash   string
}

// svgTemplate holds every attribute literally or through html/template's
// contextual escaping; names never reach the output any other way. No
// style element or attribute: the page's CSP would refuse them.
var svgTemplate = template.Must(template.New("svg").Funcs(template.FuncMap{"n": num}).Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" class="roundchart" role="img" width="100%" viewBox="0 0 {{n .Width}} {{n .Height}}"` +
		` aria-labelledby="{{.ID}}-title" aria-describedby="{{.ID}}-desc"` +
		` font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" font-size="14">` + "\n" +
		`<title id="{{.ID}}-title">{{.Title}}</title>` + "\n" +
		`<desc id="{{.ID}}-desc">{{.Desc}}</desc>` + "\n" +
		`{{range .Rects}}<rect class="bar" x="{{n .X}}" y="{{n .Y}}" width="{{n .W}}" height="{{n .H}}" fill="{{.Fill}}"{{if .Stroke}} stroke="{{.Stroke}}" stroke-width="1.5"{{end}}><title>{{.Tip}}</title></rect>` + "\n{{end}}" +
		`{{range .Paths}}<path class="{{.Class}}" d="{{.D}}" fill="none" stroke="{{.Stroke}}" stroke-width="{{n .Width}}"{{if .Dash}} stroke-dasharray="{{.Dash}}"{{end}}/>` + "\n{{end}}" +
		`{{range .Texts}}<text class="{{.Class}}" x="{{n .X}}" y="{{n .Y}}"{{if .Anchor}} text-anchor="{{.Anchor}}"{{end}} font-size="{{n .Size}}"{{if .Bold}} font-weight="bold"{{end}} fill="{{.Fill}}">` +
		`{{if .FullText}}<title>{{.FullText}}</title>{{end}}{{.Text}}</text>` + "\n{{end}}" +
		`</svg>`))

// Width is the viewBox's width, for the template.
func (c *chart) Width() float64 { return width }

func (c *chart) render() (template.HTML, error) {
	var b bytes.Buffer
	if err := svgTemplate.Execute(&b, c); err != nil {
		return "", &errs.Error{Code: errs.Internal, Message: "The chart could not be drawn.", Err: err}
	}
	// The template escaped every value it was given; the result is safe
	// to place in a page as it stands.
	return template.HTML(b.String()), nil
}

// add appends a label, cutting its text to maxWidth (if positive) and
// keeping the whole text as its tooltip when it had to be cut.
func (c *chart) add(l label, maxWidth float64) {
	if maxWidth > 0 {
		if cut := fit(l.Text, maxWidth, l.Size, l.Bold); cut != l.Text {
			l.FullText, l.Text = l.Text, cut
		}
	}
	c.Texts = append(c.Texts, l)
}
