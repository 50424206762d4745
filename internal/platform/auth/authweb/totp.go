package authweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/web"
)

// totpData is the two-factor page. Secret and URL are set while enrolling:
// right after BeginTOTP, and again when a wrong code redraws the page (they
// come back in hidden fields, only to be shown again as text; the service
// checks codes against the secret it stored).
type totpData struct {
	Enabled    bool
	Secret     string
	OTPAuthURL string
	Enrolling  bool
	MustEnrol  bool
}

func (h *Handler) renderTOTP(w http.ResponseWriter, r *http.Request, status int, d totpData, form *web.Form) {
	a := accountFrom(r.Context())
	d.Enabled = a.user.TOTPEnabled
	d.MustEnrol = a.session.MustEnrolTOTP
	d.Enrolling = !d.Enabled && d.Secret != ""
	h.rend.Page(w, r, status, "auth/totp", web.Page{Title: "Two-step login", Data: d, Form: form})
}

func (h *Handler) handleTOTP(w http.ResponseWriter, r *http.Request) {
	h.renderTOTP(w, r, http.StatusOK, totpData{}, nil)
}

// handleTOTPBegin makes a new secret and shows it with the code form. It is
// a POST because each call replaces the secret: reloading a GET would
// silently invalidate what the person just typed into their app.
func (h *Handler) handleTOTPBegin(w http.ResponseWriter, r *http.Request) {
	a := accountFrom(r.Context())
	secret, otpURL, err := h.svc.BeginTOTP(r.Context(), a.user.ID)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	h.renderTOTP(w, r, http.StatusOK, totpData{Secret: secret, OTPAuthURL: otpURL}, nil)
}

func (h *Handler) handleTOTPConfirm(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	a := accountFrom(r.Context())
	if err := h.svc.ConfirmTOTP(r.Context(), a.user.ID, r.PostForm.Get("code")); err != nil {
		if form, status, ok := formError(withoutSecrets(r.PostForm, "code"), err, nil, "code"); ok {
			d := totpData{Secret: r.PostForm.Get("secret"), OTPAuthURL: r.PostForm.Get("otpauth")}
			h.renderTOTP(w, r, status, d, form)
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/account", "Two-step login is on. You will be asked for a code each time you log in.")
}

func (h *Handler) handleTOTPDisable(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	a := accountFrom(r.Context())
	if err := h.svc.DisableTOTP(r.Context(), a.user.ID, r.PostForm.Get("code")); err != nil {
		if form, status, ok := formError(withoutSecrets(r.PostForm, "code"), err, nil, "code"); ok {
			h.renderTOTP(w, r, status, totpData{}, form)
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/account", "Two-step login is off.")
}
