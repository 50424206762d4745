package files

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// extensions are the names' endings for each type Check returns; the
// first is the one DownloadName adds.
var extensions = map[string][]string{
	TypePDF: {".pdf"}, TypePNG: {".png"}, TypeJPEG: {".jpg", ".jpeg"}, TypeGIF: {".gif"}, TypeWebP: {".webp"},
	TypeText: {".txt", ".text", ".log"}, TypeCSV: {".csv"}, TypeMarkdown: {".md", ".markdown"},
	TypeDOCX: {".docx"}, TypeXLSX: {".xlsx"}, TypePPTX: {".pptx"}, TypeODT: {".odt"}, TypeODS: {".ods"},
}

// maxName bounds a download's name, in runes before the extension.
const maxName = 100

// DownloadName is the name to give a browser for a stored file: the last
// element of the name the member uploaded, without control characters,
// quotes or path separators, and ending in the extension of its
// (checked) content type, so that a text file uploaded as "notes.exe"
// downloads as "notes.exe.txt" and opens as text, never as a program.
func DownloadName(name, contentType string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune("\"'`<>:|?*;%", r),
			unicode.Is(unicode.Bidi_Control, r), unicode.In(r, unicode.Cf):
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	name = strings.Trim(b.String(), ". \t")
	if r := []rune(name); len(r) > maxName {
		name = string(r[:maxName])
	}
	if name == "" {
		name = "file"
	}
	base, _, _ := strings.Cut(contentType, ";")
	exts := extensions[strings.TrimSpace(base)]
	if len(exts) == 0 {
		return name
	}
	ext := extOf(name)
	for _, e := range exts {
		if ext == e {
			return name
		}
	}
	return name + exts[0]
}

// ServeHeaders sets the headers a stored file is served with: its checked
// type, never sniffed again by the browser; downloaded rather than shown,
// except images; and, should a browser show it anyway, in a sandbox with
// no script and nothing loaded. Cached only by the member's own browser,
// since who may read it is checked on every request.
func ServeHeaders(h http.Header, name, contentType string, size int64) {
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	h.Set("Cache-Control", "private, max-age=0, must-revalidate")
	disposition := "attachment"
	if isImage(contentType) {
		disposition = "inline"
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": DownloadName(name, contentType)}))
	if size > 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
}
