package authweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/web"
)

func (h *Handler) handleForgotForm(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/forgot", web.Page{Title: "Reset your password"})
}

// handleForgot mails a reset link. The answer is the same whether or not the
// address has an account.
func (h *Handler) handleForgot(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	if err := h.svc.RequestPasswordReset(r.Context(), r.PostForm.Get("email"), h.opts.ClientIP(r)); err != nil {
		if form, status, ok := formError(r.PostForm, err, nil, "email"); ok {
			h.rend.Page(w, r, status, "auth/forgot", web.Page{Title: "Reset your password", Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/forgot/sent", http.StatusSeeOther)
}

func (h *Handler) handleForgotSent(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/forgot_sent", web.Page{Title: "Check your inbox"})
}

// handleResetForm asks for the new password; the token is only used when
// the form is posted, so a scanner fetching the link spends nothing.
func (h *Handler) handleResetForm(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/reset", web.Page{Title: "Choose a new password", Data: r.PathValue("token")})
}

func (h *Handler) handleReset(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	token := r.PathValue("token")
	if err := h.svc.ResetPassword(r.Context(), token, r.PostForm.Get("password")); err != nil {
		if form, status, ok := formError(r.PostForm, err, nil, "password"); ok {
			h.rend.Page(w, r, status, "auth/reset", web.Page{Title: "Choose a new password", Data: token, Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	// Resetting ends every session, this browser's included.
	h.clearCookie(w, r, SessionCookie, "/")
	web.Redirect(w, r, "/login", "Your password has been changed. Log in with your new password.")
}
