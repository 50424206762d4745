package files

import (
	"mime"
	"net/http"
	"testing"
)

func TestDownloadName(t *testing.T) {
	for _, c := range []struct{ name, ct, want string }{
		{"guide.pdf", TypePDF, "guide.pdf"},
		{"Guide.PDF", TypePDF, "Guide.PDF"},
		{"photo.jpeg", TypeJPEG, "photo.jpeg"},
		{"photo.png", TypeJPEG, "photo.png.jpg"},
		{"notes.exe", "text/plain; charset=utf-8", "notes.exe.txt"},
		{`C:\Users\olive\budget.xlsx`, TypeXLSX, "budget.xlsx"},
		{"../../etc/passwd", TypeText, "passwd.txt"},
		{"a\"b;c\r\nd.csv", "text/csv; charset=utf-8", "a_b_c__d.csv"},
		{"evil\u202egpj.exe", TypePDF, "evil_gpj.exe.pdf"},
		{"...", TypePDF, "file.pdf"},
		{"", TypeODT, "file.odt"},
		{"Réunion de Hackney.md", "text/markdown; charset=utf-8", "Réunion de Hackney.md"},
	} {
		if got := DownloadName(c.name, c.ct); got != c.want {
			t.Errorf("DownloadName(%q, %q) = %q, want %q", c.name, c.ct, got, c.want)
		}
	}
}

func TestServeHeaders(t *testing.T) {
	h := http.Header{}
	ServeHeaders(h, "Réunion.pdf", TypePDF, 1234)
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") != TypePDF || h.Get("Content-Length") != "1234" {
		t.Fatalf("headers %v", h)
	}
	disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "Réunion.pdf" {
		t.Fatalf("Content-Disposition %q: %v %v", h.Get("Content-Disposition"), params, err)
	}
	h = http.Header{}
	ServeHeaders(h, "logo.png", TypePNG, 10)
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp != "inline" {
		t.Fatalf("an image is %q, want inline", disp)
	}
}
