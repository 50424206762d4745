package authweb

import (
	"net/http"
	"net/url"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// loginData is the login page: the password form is the page's Form; the
// "email me a link" form has its own.
type loginData struct {
	Next     string
	LinkForm *web.Form
}

func (h *Handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, form, linkForm *web.Form, next string) {
	h.rend.Page(w, r, status, "auth/login", web.Page{Title: "Log in", Form: form,
		Data: loginData{Next: web.SafeNext(next, ""), LinkForm: linkForm}})
}

func (h *Handler) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if web.ViewerFrom(r.Context()) != nil {
		http.Redirect(w, r, web.SafeNext(next, "/dashboard"), http.StatusSeeOther)
		return
	}
	h.renderLogin(w, r, http.StatusOK, nil, nil, next)
}

func (h *Handler) handleLogin(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	next := r.PostForm.Get("next")
	l, err := h.svc.Login(r.Context(), auth.LoginInput{
		Email:     r.PostForm.Get("email"),
		Password:  r.PostForm.Get("password"),
		IP:        h.opts.ClientIP(r),
		UserAgent: r.UserAgent(),
		Device:    deviceOf(r),
	})
	if err != nil {
		if form, status, ok := formError(r.PostForm, err, nil, "email", "password"); ok {
			h.renderLogin(w, r, status, form, nil, next)
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	h.finishLogin(w, r, l, next)
}

// handleLoginLinkRequest mails a login link. Whether or not the address has
// an account, the answer is the same, so the form cannot be used to find out
// who is a member.
func (h *Handler) handleLoginLinkRequest(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	err := h.svc.RequestLoginLink(r.Context(), r.PostForm.Get("link_email"), h.opts.ClientIP(r), deviceOf(r))
	if err != nil {
		if form, status, ok := formError(r.PostForm, err, map[string]string{"email": "link_email"}, "link_email"); ok {
			h.renderLogin(w, r, status, nil, form, r.PostForm.Get("next"))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/login/sent", http.StatusSeeOther)
}

func (h *Handler) handleLoginLinkSent(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/login_sent", web.Page{Title: "Check your inbox"})
}

// handleLoginLinkForm shows a button and does not log in: mail scanners
// fetch links, and a fetched link must not become someone's session.
func (h *Handler) handleLoginLinkForm(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/login_link", web.Page{Title: "Log in", Data: r.PathValue("token")})
}

func (h *Handler) handleLoginLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := h.svc.LoginWithLink(r.Context(), token, h.opts.ClientIP(r), deviceOf(r), r.UserAgent())
	if err != nil {
		if form, status, ok := formError(nil, err, nil); ok {
			h.rend.Page(w, r, status, "auth/login_link", web.Page{Title: "Log in", Data: token, Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	h.finishLogin(w, r, l, "/dashboard")
}

func (h *Handler) handleLoginTOTPForm(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(pendingCookie); err != nil || c.Value == "" {
		h.restartLogin(w, r, "Please log in first.")
		return
	}
	h.rend.Page(w, r, http.StatusOK, "auth/login_totp", web.Page{Title: "Enter your code",
		Data: web.SafeNext(r.URL.Query().Get("next"), "")})
}

func (h *Handler) handleLoginTOTP(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	next := r.PostForm.Get("next")
	c, err := r.Cookie(pendingCookie)
	if err != nil || c.Value == "" {
		h.restartLogin(w, r, "Your login has timed out. Please log in again.")
		return
	}
	l, err := h.svc.CompleteTOTP(r.Context(), c.Value, r.PostForm.Get("code"))
	if errs.Is(err, errs.Unauthorized) {
		// The pending session is over (expired, or never was): only a new
		// login helps.
		h.clearCookie(w, r, pendingCookie, pendingPath)
		h.restartLogin(w, r, errs.MessageOf(err))
		return
	}
	if err != nil {
		if form, status, ok := formError(withoutSecrets(r.PostForm, "code"), err, nil, "code"); ok {
			h.rend.Page(w, r, status, "auth/login_totp", web.Page{Title: "Enter your code",
				Data: web.SafeNext(next, ""), Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	h.clearCookie(w, r, pendingCookie, pendingPath)
	h.finishLogin(w, r, l, next)
}

// restartLogin sends someone back to the login page with a message.
func (h *Handler) restartLogin(w http.ResponseWriter, r *http.Request, msg string) {
	web.SetFlash(w, "error", msg)
	to := "/login"
	if next := web.SafeNext(r.FormValue("next"), ""); next != "" {
		to += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handler) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := h.svc.Logout(r.Context(), c.Value); err != nil {
			h.rend.Error(w, r, err)
			return
		}
	}
	h.clearCookie(w, r, SessionCookie, "/")
	web.Redirect(w, r, "/", "You have logged out.")
}
