package actionsweb

import (
	"html"
	"net/url"
)

// shareLink is one "share this" link: plain links, no third-party script.
type shareLink struct{ Label, URL string }

// shareLinks are the sharing links of a page at u titled title.
func shareLinks(title, u string) []shareLink {
	q := url.QueryEscape
	return []shareLink{
		{"WhatsApp", "https://wa.me/?text=" + q(title+" "+u)},
		{"X (Twitter)", "https://twitter.com/intent/tweet?text=" + q(title) + "&url=" + q(u)},
		{"Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + q(u)},
		{"Bluesky", "https://bsky.app/intent/compose?text=" + q(title+" "+u)},
		{"Email", "mailto:?subject=" + url.PathEscape(title) + "&body=" + url.PathEscape(u)},
	}
}

// htmlAttr escapes s for an attribute of the embed code organisers copy.
func htmlAttr(s string) string { return html.EscapeString(s) }
