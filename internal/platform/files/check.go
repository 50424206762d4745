package files

import (
	"bytes"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// SniffLen is how many first bytes of an upload Check needs (all that
// http.DetectContentType reads).
const SniffLen = 512

// DefaultMaxBytes is MOMENTUM_ATTACHMENT_MAX_BYTES's default: 10 MiB.
const DefaultMaxBytes = 10 << 20

// The content types Check can name. The office formats are zip archives
// that the sniffer calls application/zip; their extension tells them apart.
const (
	TypePDF      = "application/pdf"
	TypePNG      = "image/png"
	TypeJPEG     = "image/jpeg"
	TypeGIF      = "image/gif"
	TypeWebP     = "image/webp"
	TypeText     = "text/plain"
	TypeCSV      = "text/csv"
	TypeMarkdown = "text/markdown"
	TypeDOCX     = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX     = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeODT      = "application/vnd.oasis.opendocument.text"
	TypeODS      = "application/vnd.oasis.opendocument.spreadsheet"
)

// DefaultTypes are the types a knowledge base takes when Limits.Types is
// empty: documents, images and text, nothing a browser would run.
var DefaultTypes = []string{TypePDF, TypePNG, TypeJPEG, TypeGIF, TypeWebP, TypeText, TypeCSV, TypeMarkdown,
	TypeDOCX, TypeXLSX, TypePPTX, TypeODT, TypeODS}

// DefaultLimits are the default types with a size limit.
func DefaultLimits(maxBytes int64) Limits {
	return Limits{MaxBytes: maxBytes, Types: DefaultTypes}
}

// labels name types the way a member knows them, in messages.
var labels = map[string]string{
	TypePDF: "PDF", TypePNG: "PNG", TypeJPEG: "JPEG", TypeGIF: "GIF", TypeWebP: "WebP",
	TypeText: "plain text", TypeCSV: "CSV", TypeMarkdown: "Markdown",
	TypeDOCX: "Word (.docx)", TypeXLSX: "Excel (.xlsx)", TypePPTX: "PowerPoint (.pptx)",
	TypeODT: "OpenDocument text (.odt)", TypeODS: "OpenDocument spreadsheet (.ods)",
	"application/zip": "ZIP archive", "application/x-gzip": "gzip archive", "application/x-rar-compressed": "RAR archive",
	"text/xml": "XML", "application/ogg": "Ogg", "audio/mpeg": "MP3", "audio/wave": "WAV", "audio/aiff": "AIFF",
	"video/mp4": "MP4 video", "video/webm": "WebM video", "video/avi": "AVI video", "image/bmp": "BMP",
	"image/x-icon": "icon", "application/vnd.ms-fontobject": "font", "font/ttf": "font", "font/otf": "font",
	"font/woff": "font", "font/woff2": "font", "application/postscript": "PostScript", "application/wasm": "WebAssembly",
	"text/javascript": "JavaScript", "application/json": "JSON",
}

// zipTypes are the office formats by extension: all zip inside.
var zipTypes = map[string]string{
	".docx": TypeDOCX, ".xlsx": TypeXLSX, ".pptx": TypePPTX, ".odt": TypeODT, ".ods": TypeODS,
}

// sniffable are extensions whose type the sniffer recognises by content:
// a file named so whose content is something else is not what it claims.
var sniffable = map[string]string{
	".pdf": TypePDF, ".png": TypePNG, ".jpg": TypeJPEG, ".jpeg": TypeJPEG, ".gif": TypeGIF, ".webp": TypeWebP,
	".docx": TypeDOCX, ".xlsx": TypeXLSX, ".pptx": TypePPTX, ".odt": TypeODT, ".ods": TypeODS,
}

// scriptable are names a browser or a desktop would run or render with
// script, refused whatever the content: a text file called report.html
// would be a web page once downloaded, and run.bat a program.
var scriptable = map[string]string{
	".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".mht": "html", ".mhtml": "html",
	".svg": "svg", ".svgz": "svg",
	".exe": "program", ".com": "program", ".bat": "program", ".cmd": "program", ".scr": "program",
	".msi": "program", ".ps1": "program", ".vbs": "program", ".vbe": "program", ".js": "program",
	".jse": "program", ".wsf": "program", ".hta": "program", ".jar": "program", ".sh": "program",
	".app": "program", ".dll": "program", ".lnk": "program", ".apk": "program", ".dmg": "program",
}

// Check sniffs an upload's type from its first bytes and name and checks
// it against the limits; the error (errs.Invalid, field "file") says what
// is wrong in words a member understands. It returns the content type to
// store and serve. head is the upload's first SniffLen bytes (or all of
// it, when shorter) and size its whole length.
//
// SVG and HTML are refused whatever the limits allow: served from our
// origin they could run script in a member's session.
func Check(name string, head []byte, size int64, l Limits) (contentType string, err error) {
	if len(head) > SniffLen {
		head = head[:SniffLen]
	}
	if size <= 0 || len(head) == 0 {
		return "", invalid("This file is empty.")
	}
	max := l.MaxBytes
	if max <= 0 { // a zero Limits is the default, never "no limit"
		max = DefaultMaxBytes
	}
	if size > max {
		return "", invalid("This file is " + sizeText(size, true) + "; the limit is " + sizeText(max, false) + ".")
	}
	types := l.Types
	if len(types) == 0 {
		types = DefaultTypes
	}
	ext := extOf(name)
	switch scriptable[ext] {
	case "html":
		return "", invalid(htmlRefused)
	case "svg":
		return "", invalid(svgRefused)
	case "program":
		return "", invalid("Programs and scripts (" + strings.ToUpper(ext[1:]) + ") cannot be attached; allowed: " + allowedText(types) + ".")
	}
	sniffed := http.DetectContentType(head)
	base, params, _ := strings.Cut(sniffed, ";")
	base = strings.TrimSpace(base)
	if looksLikeSVG(head) {
		return "", invalid(svgRefused)
	}
	if base == "text/html" || looksLikeDoctype(head) {
		return "", invalid(htmlRefused)
	}
	ct := base
	switch {
	case base == "application/zip" && zipTypes[ext] != "":
		ct = zipTypes[ext]
	case base == TypeText:
		switch ext {
		case ".csv":
			ct = TypeCSV
		case ".md", ".markdown":
			ct = TypeMarkdown
		}
	}
	if want, ok := sniffable[ext]; ok && want != ct && !(isImage(want) && isImage(ct)) {
		// A PNG named .jpg is still an image we take (and serve as PNG);
		// a program named .pdf is not a PDF.
		return "", invalid("This file's name ends in " + ext + ", but it is not " + article(labels[want]) + " inside.")
	}
	if !contains(types, ct) {
		what := labels[ct]
		if what == "" && ext != "" {
			what = strings.ToUpper(ext[1:])
		}
		if what == "" {
			what = "unknown"
		}
		return "", invalid("Files of type " + what + " cannot be attached; allowed: " + allowedText(types) + ".")
	}
	if params = strings.TrimSpace(params); strings.HasPrefix(ct, "text/") && params != "" {
		ct += "; " + params
	}
	return ct, nil
}

const (
	htmlRefused = "Web pages (HTML) cannot be attached: they can carry scripts. Save the page as PDF and attach that."
	svgRefused  = "SVG images cannot be attached: they can carry scripts. Export the image as PNG or PDF and attach that."
)

func invalid(msg string) error {
	return &errs.Error{Code: errs.Invalid, Message: msg, Fields: map[string]string{"file": msg}}
}

// extOf is the lower-cased extension of the last element of a name that
// may come from Windows ("C:\Users\x\report.PDF") or end in dots and
// spaces (which Windows drops, so "x.html. " is a web page there).
func extOf(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimRight(name, ". \t")
	return strings.ToLower(path.Ext(name))
}

// looksLikeSVG reports an SVG document the sniffer calls XML or text: a
// head that begins with markup and has an <svg element in it.
func looksLikeSVG(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n\f")
	if len(t) == 0 || t[0] != '<' {
		return false
	}
	return bytes.Contains(bytes.ToLower(t), []byte("<svg"))
}

// looksLikeDoctype reports markup the sniffer does not call HTML, such
// as "<!DOCTYPE svg …" with the <svg element beyond the first bytes.
func looksLikeDoctype(head []byte) bool {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n\f")
	return len(t) >= 9 && bytes.EqualFold(t[:9], []byte("<!doctype"))
}

func isImage(ct string) bool { return strings.HasPrefix(ct, "image/") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func article(s string) string {
	if s == "" {
		return "that kind of file"
	}
	if strings.ContainsRune("AEIOU", rune(s[0])) && !strings.HasPrefix(s, "Open") || s == "MP3" {
		return "an " + s
	}
	return "a " + s
}

// allowedText names the allowed types for a message: "PDF, images (PNG,
// JPEG, GIF, WebP), plain text, CSV, …".
func allowedText(types []string) string {
	var out, images []string
	imagesAt := -1
	for _, t := range types {
		label := labels[t]
		if label == "" {
			label = t
		}
		if isImage(t) {
			if imagesAt < 0 {
				imagesAt = len(out)
				out = append(out, "")
			}
			images = append(images, label)
			continue
		}
		out = append(out, label)
	}
	if imagesAt >= 0 {
		out[imagesAt] = "images (" + strings.Join(images, ", ") + ")"
	}
	return strings.Join(out, ", ")
}

// sizeText writes a size as a member reads it: "14.2 MB", "800 KB". MB
// here are MiB, as file managers show them; a file's size rounds up so
// that it never reads as equal to the limit it exceeds.
func sizeText(n int64, up bool) string {
	unit, div := "bytes", 1.0
	switch {
	case n >= 1<<30:
		unit, div = "GB", 1<<30
	case n >= 1<<20:
		unit, div = "MB", 1<<20
	case n >= 1<<10:
		unit, div = "KB", 1<<10
	}
	x := float64(n) / div
	if up {
		x = math.Ceil(x*10) / 10
	} else {
		x = math.Round(x*10) / 10
	}
	s := strconv.FormatFloat(x, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + unit
}
