package files

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// FuzzCheck: whatever name, bytes and size come in, Check neither panics
// nor lets through a type outside the limits, a web page or an SVG, and
// every refusal is Invalid with a message on the "file" field.
func FuzzCheck(f *testing.F) {
	for _, s := range []struct {
		name, head string
		size       int64
	}{
		{"guide.pdf", headPDF, 1000}, {"logo.png", headPNG, 1000}, {"photo.jpg", headJPEG, 1000},
		{"a.gif", headGIF, 1000}, {"a.webp", headWebP, 1000}, {"letter.docx", headZip, 1000},
		{"letter.odt", headODT, 1000}, {"budget.ods", headZip, 1000}, {"notes.txt", headText, 1000},
		{"people.csv", headCSV, 1000}, {"guide.md", headMD, 1000}, {"guide.pdf", headEXE, 1000},
		{"cat.png", headELF, 1000}, {"guide.pdf", headHTML, 1000}, {"page.html", headText, 1000},
		{"logo.svg", headSVG, 1000}, {"logo.txt", headSVG2, 1000}, {"x.html. ", headText, 1000},
		{"setup.exe", headEXE, 1000}, {"archive.zip", headZip, 1000}, {"", headText, 1000},
		{"guide.pdf", headPDF, 0}, {"guide.pdf", "", 10}, {"guide.pdf", headPDF, 1 << 40},
		{"guide.pdf", headPDF, -1}, {`C:\a\b.PDF`, headPDF, 1000}, {"\xff\xfe.txt", "\xff\xfeh\x00i\x00", 4},
		{"x.md", "\xef\xbb\xbf<svg onload=alert(1)>", 100}, {"x.txt", "\n\n  <!DOCTYPE html><p>", 100},
		{"x.txt", "<?xml version='1.0'?><!DOCTYPE svg><svg/>", 100}, {"x.csv", "a,b\n<script>", 100},
		{"x.txt", "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">", 100},
	} {
		f.Add(s.name, []byte(s.head), s.size)
	}
	l := DefaultLimits(DefaultMaxBytes)
	f.Fuzz(func(t *testing.T, name string, head []byte, size int64) {
		ct, err := Check(name, head, size, l)
		if err != nil {
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)["file"] == "" {
				t.Fatalf("Check(%q): %v, want Invalid on the file field", name, err)
			}
			return
		}
		base, _, _ := strings.Cut(ct, ";")
		if !contains(l.Types, base) {
			t.Fatalf("Check(%q) = %q, not an allowed type", name, ct)
		}
		if base == "text/html" || strings.Contains(ct, "svg") || size <= 0 || size > l.MaxBytes {
			t.Fatalf("Check(%q, size %d) let %q through", name, size, ct)
		}
		if len(head) > SniffLen {
			head = head[:SniffLen]
		}
		if looksLikeSVG(head) || looksLikeDoctype(head) {
			t.Fatalf("Check(%q) let an SVG through as %q", name, ct)
		}
	})
}
