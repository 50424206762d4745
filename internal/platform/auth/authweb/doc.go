// Package authweb serves the account pages — sign up, verify, log in with a
// password or a mailed link, the TOTP step, log out, forgotten and changed
// passwords, email changes, two-factor set-up — and the middleware that turns
// a session cookie or an API token into the request's viewer and principal.
//
// Handlers parse, call one auth.Service method and render; every rule
// (throttling, token lifetimes, who may do what) lives in auth. Links that
// arrive by mail never act on GET, because mail scanners fetch them: GET
// shows a page with a button and POST does the work.
//
// It imports auth, web, errs and the standard library; never a domain package.
// Register its templates with rend.Add(authweb.Templates, "auth").
package authweb

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html
var templateFS embed.FS

// Templates are the account pages, ready for rend.Add(authweb.Templates, "auth").
var Templates fs.FS = mustSub(templateFS, "templates")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // only when the embed pattern above is wrong
	}
	return sub
}
