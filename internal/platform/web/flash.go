package web

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// Flash is a one-shot message shown on the next page after a redirect.
// Kind is "success", "info" or "error"; templates use it as a class suffix.
type Flash struct {
	Kind    string
	Message string
}

const (
	flashCookie     = "momentum_flash"
	flashMaxAge     = 60   // seconds: long enough to follow one redirect
	flashMaxMessage = 1000 // bytes: keep the cookie well under browser limits
)

// SetFlash stores a message for the next page render in a short-lived cookie
// (HttpOnly, SameSite=Lax, Path=/). An unknown kind becomes "info". Call it
// before writing the response.
func SetFlash(w http.ResponseWriter, kind, message string) {
	if message == "" {
		return
	}
	if len(message) > flashMaxMessage {
		message = strings.ToValidUTF8(message[:flashMaxMessage], "")
	}
	http.SetCookie(w, &http.Cookie{
		Name:     flashCookie,
		Value:    base64.RawURLEncoding.EncodeToString([]byte(validKind(kind) + "\n" + message)),
		Path:     "/",
		MaxAge:   flashMaxAge,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// Redirect answers 303 See Other to url (a local path: do not pass user
// input; see SafeNext). A non-empty flashMessage is shown, as a success, on
// the page the browser lands on.
func Redirect(w http.ResponseWriter, r *http.Request, url, flashMessage string) {
	SetFlash(w, "success", flashMessage)
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// SafeNext returns next if it is a path on this site, and fallback otherwise.
// Use it for ?next= after login, so the parameter cannot send people to
// another site.
func SafeNext(next, fallback string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") ||
		strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n\t") {
		return fallback
	}
	return next
}

// takeFlash reads the flash cookie and asks the browser to delete it. The
// message is shown escaped like any text, and an unknown kind is coerced, so a
// forged cookie can at worst show its own text to whoever planted it.
func takeFlash(w http.ResponseWriter, r *http.Request) *Flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	kind, msg, ok := strings.Cut(string(raw), "\n")
	if !ok || msg == "" {
		return nil
	}
	return &Flash{Kind: validKind(kind), Message: msg}
}

func validKind(kind string) string {
	switch kind {
	case "success", "info", "error":
		return kind
	}
	return "info"
}
