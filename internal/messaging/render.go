package messaging

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"

	"github.com/momentum-movement/momentum/internal/platform/geo"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// Rendering is done in two steps so that 100,000 recipients cost one
// Markdown conversion, not 100,000: compile turns a broadcast into its
// subject, text and HTML with every placeholder replaced by a marker,
// once; personalise then swaps the markers for one recipient's values
// (HTML-escaped in the HTML part) with one strings.Replacer pass.

//go:embed templates/broadcast.html
var templateFS embed.FS

var page = template.Must(template.ParseFS(templateFS, "templates/broadcast.html"))

// Placeholders a broadcast may use, each with the fallback used when the
// person has no value and the writer gave none ({{first_name|friend}}).
var placeholderDefaults = map[string]string{
	"first_name": "friend",
	"group":      "",
	"next_event": "",
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z_]+)\s*(?:\|([^{}]*))?\}\}`)

// placeholder is one use in a text: {{name}} or {{name|fallback}}.
type placeholder struct{ name, fallback string }

// parsePlaceholders returns the placeholders of s, or an error naming an
// unknown one.
func parsePlaceholders(s string) ([]placeholder, error) {
	var out []placeholder
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		name := strings.ToLower(m[1])
		if _, ok := placeholderDefaults[name]; !ok {
			return nil, fmt.Errorf("There is no {{%s}}: use {{first_name}}, {{group}} or {{next_event}}, with a fallback after | if you like ({{first_name|friend}}).", m[1])
		}
		out = append(out, placeholder{name: name, fallback: strings.TrimSpace(m[2])})
	}
	return out, nil
}

// marker is what placeholder i is while compiled: letters only, so
// Markdown and the sanitiser leave it alone.
func marker(i int) string { return fmt.Sprintf("QxMMPH%dXq", i) }

const unsubMarker = "QxMMUNSUBXq"

// compiled is a broadcast ready to personalise.
type compiled struct {
	phs                 []placeholder // marker i is phs[i]
	subject, text, html string        // with markers
}

// markers replaces each placeholder of s by its marker, adding new ones
// to c.phs.
func (c *compiled) markers(s string) string {
	return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		sm := placeholderRE.FindStringSubmatch(m)
		p := placeholder{name: strings.ToLower(sm[1]), fallback: strings.TrimSpace(sm[2])}
		for i, q := range c.phs {
			if q == p {
				return marker(i)
			}
		}
		c.phs = append(c.phs, p)
		return marker(len(c.phs) - 1)
	})
}

var sanitizer = bluemonday.UGCPolicy()

// compile renders b's Markdown once. why is the footer's sentence saying
// why the person gets the mail.
func compile(b *Broadcast, site, why string) (*compiled, error) {
	c := &compiled{}
	c.subject = c.markers(b.Subject)
	body := c.markers(b.Body)
	c.text = body + "\n\n-- \n" + why + "\nUnsubscribe with one click: " + unsubMarker + "\n"
	if b.Channel == ChannelSMS {
		c.text = body
		return c, nil
	}
	var md bytes.Buffer
	if err := goldmark.Convert([]byte(body), &md); err != nil {
		return nil, fmt.Errorf("render broadcast %s: %w", b.ID, err)
	}
	var out bytes.Buffer
	err := page.Execute(&out, map[string]any{
		"Subject":     c.subject,
		"Site":        site,
		"Body":        template.HTML(sanitizer.SanitizeBytes(md.Bytes())),
		"Why":         why,
		"Unsubscribe": template.URL(unsubMarker),
	})
	if err != nil {
		return nil, fmt.Errorf("render broadcast %s: %w", b.ID, err)
	}
	c.html = out.String()
	return c, nil
}

// values are one recipient's placeholder values ("" : use the fallback).
type values map[string]string

// personalise returns subject, text and HTML for one recipient.
func (c *compiled) personalise(v values, unsubscribe string) (subject, text, htmlPart string) {
	plain := make([]string, 0, 2*len(c.phs)+2)
	escaped := make([]string, 0, 2*len(c.phs)+2)
	for i, p := range c.phs {
		val := strings.TrimSpace(v[p.name])
		if val == "" {
			val = p.fallback
		}
		if val == "" {
			val = placeholderDefaults[p.name]
		}
		plain = append(plain, marker(i), val)
		escaped = append(escaped, marker(i), html.EscapeString(val))
	}
	plain = append(plain, unsubMarker, unsubscribe)
	escaped = append(escaped, unsubMarker, html.EscapeString(unsubscribe))
	rp, re := strings.NewReplacer(plain...), strings.NewReplacer(escaped...)
	subject = strings.Join(strings.Fields(rp.Replace(c.subject)), " ")
	text = rp.Replace(c.text)
	if c.html != "" {
		htmlPart = re.Replace(c.html)
	}
	return subject, text, htmlPart
}

// nextEvents answers {{next_event}}: fixed once per broadcast from the
// events coming up, then asked per recipient without a query.
type nextEvents struct {
	events []UpcomingEvent
	base   string
}

// withinKm is how far an event may be to count as someone's nearest.
const withinKm = 50

// For returns the text naming the person's next event: the nearest event
// within 50 km of their point if they have one, else the soonest of their
// group, else the soonest network event; "" when there is none.
func (n *nextEvents) For(pt *geo.Point, groupID string) string {
	var best *UpcomingEvent
	if pt != nil {
		bestKm := math.Inf(1)
		for i := range n.events {
			e := &n.events[i]
			if e.Point == nil {
				continue
			}
			if km := geo.DistanceKm(*pt, *e.Point); km <= withinKm && km < bestKm {
				best, bestKm = e, km
			}
		}
	}
	if best == nil && groupID != "" {
		best = n.soonest(groupID)
	}
	if best == nil {
		best = n.soonest("")
	}
	if best == nil {
		return ""
	}
	return describeEvent(best, n.base)
}

// soonest is the first event of a group ("" : a network event).
func (n *nextEvents) soonest(groupID string) *UpcomingEvent {
	for i := range n.events { // soonest first
		if n.events[i].GroupID == groupID {
			return &n.events[i]
		}
	}
	return nil
}

func describeEvent(e *UpcomingEvent, base string) string {
	s := e.Title + ", " + web.DateTime(e.Start, nil) // issue 16: in the event's zone, said
	if e.Place != "" {
		s += ", " + e.Place
	}
	return s + ": " + base + "/events/" + e.ID
}

// eventsHorizon is how far ahead {{next_event}} looks.
const eventsHorizon = 60 * 24 * time.Hour
