package web

import (
	"bytes"
	"html/template"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Markdown renders text written by members (an event's description, a
// proposal) as HTML for a page: CommonMark with autolinks, strikethrough
// and tables, raw HTML left out, and the result passed through
// bluemonday's policy for user content, with links marked nofollow and
// opened safely. It never fails: text that will not render is shown as
// escaped text.
func Markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitizer().SanitizeBytes(buf.Bytes()))
}

// markdown leaves raw HTML out (goldmark's default): members write
// Markdown, not HTML.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table))

var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
})
