package files

import (
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// Heads of real files of each kind, enough for the sniffer.
var (
	headPDF  = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
	headPNG  = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
	headJPEG = "\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
	headGIF  = "GIF89a\x10\x00\x10\x00\x80\x00\x00"
	headWebP = "RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"
	headZip  = "PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00!\x00[Content_Types].xml"
	headODT  = "PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.text"
	headEXE  = "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00@\x00"
	headELF  = "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	headHTML = "<!DOCTYPE html>\n<html><head><script>alert(1)</script></head></html>"
	headSVG  = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"
	headSVG2 = "  <svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
	headText = "Minutes of the Hackney meeting\n\nPresent: Olive, Sam.\n"
	headCSV  = "name,email\nOlive,olive@example.org\n"
	headMD   = "# Organising guide\n\n- first step\n- second step\n"
)

func TestCheck(t *testing.T) {
	l := DefaultLimits(DefaultMaxBytes)
	ok := []struct {
		name, file, head, want string
	}{
		{"PDF", "guide.pdf", headPDF, TypePDF},
		{"PDFUpperCaseName", `C:\Users\olive\GUIDE.PDF`, headPDF, TypePDF},
		{"PNG", "logo.png", headPNG, TypePNG},
		{"JPEG", "photo.jpeg", headJPEG, TypeJPEG},
		{"JPG", "photo.jpg", headJPEG, TypeJPEG},
		{"PNGNamedJPG", "photo.jpg", headPNG, TypePNG}, // an image is an image; served as what it is
		{"GIF", "a.gif", headGIF, TypeGIF},
		{"WebP", "a.webp", headWebP, TypeWebP},
		{"Text", "minutes.txt", headText, "text/plain; charset=utf-8"},
		{"TextNoName", "", headText, "text/plain; charset=utf-8"},
		{"CSV", "people.csv", headCSV, "text/csv; charset=utf-8"},
		{"Markdown", "guide.md", headMD, "text/markdown; charset=utf-8"},
		{"MarkdownLong", "guide.markdown", headMD, "text/markdown; charset=utf-8"},
		{"DOCX", "letter.docx", headZip, TypeDOCX},
		{"XLSX", "budget.xlsx", headZip, TypeXLSX},
		{"PPTX", "talk.pptx", headZip, TypePPTX},
		{"ODT", "letter.odt", headODT, TypeODT},
		{"ODS", "budget.ods", headZip, TypeODS},
		{"PDFNoExtension", "guide", headPDF, TypePDF},
	}
	for _, c := range ok {
		t.Run(c.name, func(t *testing.T) {
			got, err := Check(c.file, []byte(c.head), 1234, l)
			if err != nil {
				t.Fatalf("Check(%q): %v", c.file, err)
			}
			if got != c.want {
				t.Fatalf("Check(%q) = %q, want %q", c.file, got, c.want)
			}
		})
	}

	bad := []struct {
		name, file, head string
		size             int64
		limits           Limits
		want             string // the message, or a part of it
	}{
		{"TooBig", "guide.pdf", headPDF, 14_889_779, l, "This file is 14.2 MB; the limit is 10 MB."},
		{"JustOverTheLimit", "guide.pdf", headPDF, 10<<20 + 1, l, "This file is 10.1 MB; the limit is 10 MB."},
		{"TooBigSmallLimit", "guide.pdf", headPDF, 3000, Limits{MaxBytes: 2048}, "This file is 3 KB; the limit is 2 KB."},
		{"Empty", "guide.pdf", "", 0, l, "This file is empty."},
		{"EmptyHeadOnly", "guide.pdf", "", 10, l, "This file is empty."},
		{"EXEAsPDF", "guide.pdf", headEXE, 5000, l, "This file's name ends in .pdf, but it is not a PDF inside."},
		{"ELFAsPNG", "cat.png", headELF, 5000, l, "This file's name ends in .png, but it is not a PNG inside."},
		{"HTMLAsPDF", "guide.pdf", headHTML, 5000, l, htmlRefused},
		{"HTMLAsTxt", "notes.txt", headHTML, 5000, l, htmlRefused},
		{"HTMLByName", "page.html", headText, 5000, l, htmlRefused},
		{"HTMLByNameTrailingDot", "page.html.", headText, 5000, l, htmlRefused},
		{"SVG", "logo.svg", headSVG, 5000, l, svgRefused},
		{"SVGAsPNG", "logo.png", headSVG, 5000, l, svgRefused},
		{"SVGAsTxt", "logo.txt", headSVG2, 5000, l, svgRefused},
		{"SVGAllowedByLimitsStillRefused", "logo.svg", headSVG, 5000, Limits{MaxBytes: 1 << 20, Types: []string{"image/svg+xml", "text/xml"}}, svgRefused},
		{"HTMLAllowedByLimitsStillRefused", "x", headHTML, 5000, Limits{MaxBytes: 1 << 20, Types: []string{"text/html"}}, htmlRefused},
		{"EXE", "setup.exe", headEXE, 5000, l, "Programs and scripts (EXE) cannot be attached; allowed: PDF, images (PNG, JPEG, GIF, WebP), plain text, CSV, Markdown, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), OpenDocument text (.odt), OpenDocument spreadsheet (.ods)."},
		{"ScriptAsText", "run.bat", headText, 5000, l, "Programs and scripts (BAT) cannot be attached"},
		{"EXENoName", "", headEXE, 5000, l, "Files of type unknown cannot be attached; allowed: PDF, images"},
		{"ZIP", "archive.zip", headZip, 5000, l, "Files of type ZIP archive cannot be attached; allowed: PDF"},
		{"ZIPAsPDF", "guide.pdf", headZip, 5000, l, "not a PDF inside"},
		{"OldWord", "letter.doc", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", 5000, l, "Files of type DOC cannot be attached"},
		{"NotInLimits", "logo.png", headPNG, 5000, Limits{MaxBytes: 1 << 20, Types: []string{TypePDF}}, "Files of type PNG cannot be attached; allowed: PDF."},
		{"SVGDoctype", "logo.txt", "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n" + strings.Repeat(" ", 600) + "<svg/>", 5000, l, htmlRefused},
		{"ZeroLimitsAreTheDefault", "guide.pdf", headPDF, 11 << 20, Limits{}, "This file is 11 MB; the limit is 10 MB."},
		{"XML", "data.xml", "<?xml version=\"1.0\"?><data/>", 5000, l, "Files of type XML cannot be attached"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			ct, err := Check(c.file, []byte(c.head), c.size, c.limits)
			if err == nil {
				t.Fatalf("Check(%q) = %q, want an error", c.file, ct)
			}
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("Check(%q): %v, want Invalid", c.file, err)
			}
			msg := errs.FieldsOf(err)["file"]
			if !strings.Contains(msg, c.want) {
				t.Fatalf("Check(%q) says %q, want %q", c.file, msg, c.want)
			}
			if errs.MessageOf(err) != msg {
				t.Fatalf("message %q differs from the field's %q", errs.MessageOf(err), msg)
			}
		})
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{
		500: "500 bytes", 1024: "1 KB", 1536: "1.5 KB", 10 << 20: "10 MB", 1 << 30: "1 GB", 14_889_779: "14.2 MB",
	} {
		if got := sizeText(n, false); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}
