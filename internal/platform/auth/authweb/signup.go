package authweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

func (h *Handler) handleSignupForm(w http.ResponseWriter, r *http.Request) {
	if web.ViewerFrom(r.Context()) != nil {
		http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
		return
	}
	h.rend.Page(w, r, http.StatusOK, "auth/signup", web.Page{Title: "Sign up", Data: h.opts.SiteName})
}

func (h *Handler) handleSignup(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.rend.Error(w, r, err)
		return
	}
	_, err := h.svc.SignUp(r.Context(), auth.SignUpInput{
		Name:     r.PostForm.Get("name"),
		Email:    r.PostForm.Get("email"),
		Password: r.PostForm.Get("password"),
		IP:       h.opts.ClientIP(r),
	})
	if err != nil {
		if form, status, ok := formError(r.PostForm, err, nil, "name", "email", "password"); ok {
			h.rend.Page(w, r, status, "auth/signup", web.Page{Title: "Sign up", Data: h.opts.SiteName, Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/signup/sent", http.StatusSeeOther)
}

func (h *Handler) handleSignupSent(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/signup_sent", web.Page{Title: "Check your inbox"})
}

// The verification link shows a button rather than acting on GET: mail
// scanners fetch every link, and an address someone typed by mistake (or on
// purpose) must not be confirmed by its owner's scanner.
func (h *Handler) handleVerifyForm(w http.ResponseWriter, r *http.Request) {
	h.rend.Page(w, r, http.StatusOK, "auth/verify", web.Page{Title: "Confirm your email address",
		Data: r.PathValue("token")})
}

// handleVerify confirms the address and signs the newcomer in, in this
// browser, whichever it is (issue 16): the token is spent as the session
// starts, so a reused link signs nobody in. A disabled account, or a used or
// expired link, redraws the page with the reason.
func (h *Handler) handleVerify(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	l, err := h.svc.ConfirmSignUp(r.Context(), auth.LinkInput{
		Token: token, IP: h.opts.ClientIP(r), UserAgent: r.UserAgent(), Device: deviceOf(r),
	})
	if err != nil {
		if form, status, ok := formError(nil, err, nil); ok {
			h.rend.Page(w, r, status, "auth/verify", web.Page{Title: "Confirm your email address",
				Data: token, Form: form})
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	h.finishLogin(w, r, l, "/dashboard")
}
