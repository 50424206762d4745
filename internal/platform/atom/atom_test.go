package atom

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// TestWriteEscapesAndParses: titles and summaries with markup and control
// characters come out as text of a well-formed feed, with RFC 3339 dates
// and the newest entry's time as the feed's.
func TestWriteEscapesAndParses(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 30, 0, 0, time.FixedZone("X", 3600))
	f := Feed{ID: TagID("https://act.example.org/", "decisions/log"), Title: "Log <&>", Self: "https://act.example.org/decisions/log.atom",
		Author: "Momentum", Entries: []Entry{{ID: UUID("01A25250-3D4D-7E7D-800A-ADF3B3BF00C0"), Title: `<script>alert("x")</script>`,
			Link: "https://act.example.org/d/1?a=1&b=2", Updated: at, Summary: "a\x01b ]]> </summary>"}}}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "<script>") || strings.Contains(out, "\x01") {
		t.Errorf("unescaped:\n%s", out)
	}
	var got struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entry   struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.ID != "tag:act.example.org,2026:decisions/log" || got.Title != "Log <&>" || got.Updated != "2026-03-10T08:30:00Z" {
		t.Errorf("feed %+v", got)
	}
	if got.Entry.ID != "urn:uuid:01a25250-3d4d-7e7d-800a-adf3b3bf00c0" || got.Entry.Title != `<script>alert("x")</script>` ||
		got.Entry.Link.Href != "https://act.example.org/d/1?a=1&b=2" || !strings.Contains(got.Entry.Summary, "]]> </summary>") {
		t.Errorf("entry %+v", got.Entry)
	}
}
