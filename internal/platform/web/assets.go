package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// Assets serves static files under content-hashed URLs, so browsers may cache
// them for a year and still see a new version the moment it ships.
type Assets struct {
	urls  map[string]string // "app.css" -> "/static/app.3f2a91c0.css"
	files map[string]asset  // "app.3f2a91c0.css" -> content
}

type asset struct {
	data        []byte
	contentType string
}

// NewAssets loads web's embedded static folder (app.css, app.js).
func NewAssets() (*Assets, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	return NewAssetsFS(sub)
}

// NewAssetsFS loads every file at the top of fsys.
func NewAssetsFS(fsys fs.FS) (*Assets, error) {
	a := &Assets{urls: map[string]string{}, files: map[string]asset{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read asset %s: %w", name, err)
		}
		a.Add(name, data)
	}
	return a, nil
}

// Add serves data as name, under a hashed URL like the embedded files (issue
// 16: the brand's stylesheet and logo, made at start). Call it while building
// the server, before serving.
func (a *Assets) Add(name string, data []byte) {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
	ctype := mime.TypeByExtension(ext)
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	a.urls[name] = "/static/" + hashed
	a.files[hashed] = asset{data: data, contentType: ctype}
}

// URL returns the hashed URL of a static file, e.g. "/static/app.3f2a91c0.css".
// An unknown name gives an unhashed URL that will 404, so the mistake shows
// in the browser and in tests rather than breaking the whole page.
func (a *Assets) URL(name string) string {
	if u, ok := a.urls[name]; ok {
		return u
	}
	return "/static/" + name
}

// Handler serves the hashed files. Mount it as
// mux.Handle("GET /static/{file}", assets.Handler()). Any name that is not a
// current hashed name is 404: stale hashes must not be cached as immutable.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "" {
			name = strings.TrimPrefix(r.URL.Path, "/static/")
		}
		f, ok := a.files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
	})
}
