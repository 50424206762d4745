package authweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// accountData is the account page. It holds two forms, each with its own
// values and errors, so a mistake in one is shown beside that one.
type accountData struct {
	User         *auth.User
	PasswordForm *web.Form
	EmailForm    *web.Form
}

// The names the service may give its field errors, mapped to the fields of
// the account page's two forms (whose names differ, as they share a page).
var (
	passwordFields = map[string]string{"current": "current_password", "password": "new_password",
		"next": "new_password", "new": "new_password"}
	emailFields = map[string]string{"email": "new_email", "new_email": "new_email",
		"password": "email_password", "current": "email_password", "current_password": "email_password"}
)

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, d accountData) {
	d.User = accountFrom(r.Context()).user
	h.rend.Page(w, r, status, "auth/account", web.Page{Title: "Your account", Data: d})
}

func (h *Handler) handleAccount(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, accountData{})
}

func (h *Handler) handlePasswordChange(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	a := accountFrom(r.Context())
	err := h.svc.ChangePassword(r.Context(), a.user.ID, r.PostForm.Get("current_password"), r.PostForm.Get("new_password"))
	if err != nil {
		if form, status, ok := formError(r.PostForm, err, passwordFields, "current_password", "new_password"); ok {
			h.renderAccount(w, r, status, accountData{PasswordForm: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/account", "Your password has been changed. Your other devices have been logged out.")
}

func (h *Handler) handleEmailChange(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	a := accountFrom(r.Context())
	newEmail := r.PostForm.Get("new_email")
	err := h.svc.RequestEmailChange(r.Context(), a.user.ID, newEmail, r.PostForm.Get("email_password"))
	if err != nil {
		if form, status, ok := formError(r.PostForm, err, emailFields, "new_email", "email_password"); ok {
			h.renderAccount(w, r, status, accountData{EmailForm: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, "/account", "We have sent a link to "+auth.NormalizeEmail(newEmail)+
		". Open it to confirm the change; until then your address stays as it is.")
}

// handleEmailConfirmForm shows a button; the change happens on POST, so a
// scanner fetching the link changes nothing.
func (h *Handler) handleEmailConfirmForm(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/email_confirm", web.Page{Title: "Confirm your new email address",
		Data: r.PathValue("token")})
}

func (h *Handler) handleEmailConfirm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := h.svc.ConfirmEmailChange(r.Context(), token)
	if err != nil {
		if form, status, ok := formError(nil, err, nil); ok {
			h.rend.Page(w, r, status, "auth/email_confirm", web.Page{Title: "Confirm your new email address",
				Data: token, Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	to := "/login"
	if web.ViewerFrom(r.Context()) != nil {
		to = "/account"
	}
	web.Redirect(w, r, to, "Your email address is now "+u.Email+".")
}
