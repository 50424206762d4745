package mail

import (
	"html"
	"strings"
)

// HeaderKind is the header every service mail carries with the value
// KindTransactional, so that filters, providers and tests can tell it from
// a broadcast without reading the body.
const (
	HeaderKind        = "X-Momentum-Kind"
	KindTransactional = "transactional"
)

// WithWhy returns text and htmlBody with the why-line appended as their
// footer: in the text after a "-- " separator line (which mail clients
// show dimmed, as a signature), in the HTML as a small paragraph before
// </body> (or at the end). An empty why changes nothing. Queue calls it for
// every service mail; Templates.Render calls it so that a template's test
// sees the mail as the person reads it.
func WithWhy(text, htmlBody, why string) (string, string) {
	why = strings.TrimSpace(why)
	if why == "" {
		return text, htmlBody
	}
	text = strings.TrimRight(text, "\n") + "\n\n-- \n" + why + "\n"
	if htmlBody != "" {
		p := `<p style="color:#555;font-size:small;border-top:1px solid #ccc;padding-top:0.5em">` + html.EscapeString(why) + "</p>"
		if i := strings.LastIndex(strings.ToLower(htmlBody), "</body>"); i >= 0 {
			htmlBody = htmlBody[:i] + p + htmlBody[i:]
		} else {
			htmlBody += p
		}
	}
	return text, htmlBody
}
