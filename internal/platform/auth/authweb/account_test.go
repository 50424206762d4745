package authweb_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestForgotAndReset(t *testing.T) {
	e := newEnv(t, envOptions{})
	const email = "ann@example.org"
	e.mustSignUp(t, "Ann Organiser", email, "correct horse battery")
	mails := e.mail.count()

	same := []string{"If an account exists for that address"}
	e.run(t, scenario{Method: "POST", URL: "/forgot", Form: url.Values{"email": {"nobody@example.org"}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/forgot/sent"})
	if e.mail.count() != mails {
		t.Fatal("a reset link was mailed for an address with no account")
	}
	e.run(t, scenario{Method: "POST", URL: "/forgot", Form: url.Values{"email": {"x"}},
		ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{`aria-describedby="f-email-error"`, `value="x"`}})
	e.run(t, scenario{Method: "POST", URL: "/forgot", Form: url.Values{"email": {email}},
		ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/forgot/sent"})
	e.run(t, scenario{Method: "GET", URL: "/forgot/sent", ExpectedStatus: http.StatusOK, ExpectedContent: same})
	link := e.mail.link(t, email, "/reset/")

	for _, s := range []scenario{
		{Name: "GetShowsForm", Method: "GET", URL: link, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`action="` + link + `"`, `<label for="f-password">New password</label>`}},
		{Name: "ShortPassword", Method: "POST", URL: link, Form: url.Values{"password": {"short"}},
			ExpectedStatus:     http.StatusUnprocessableEntity,
			ExpectedContent:    []string{"Use at least 10 characters", `aria-describedby="f-password-hint f-password-error"`},
			NotExpectedContent: []string{`value="short"`}},
		{Name: "Reset", Method: "POST", URL: link, Form: url.Values{"password": {"a brand new passphrase"}},
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/login"},
		{Name: "UsedTwice", Method: "POST", URL: link, Form: url.Values{"password": {"another new passphrase"}},
			ExpectedStatus: http.StatusUnprocessableEntity, ExpectedContent: []string{"This link has expired or has already been used."}},
		{Name: "OldPasswordRefused", Method: "POST", URL: "/login",
			Form:           url.Values{"email": {email}, "password": {"correct horse battery"}},
			ExpectedStatus: http.StatusUnprocessableEntity},
		{Name: "NewPasswordWorks", Method: "POST", URL: "/login",
			Form:           url.Values{"email": {email}, "password": {"a brand new passphrase"}},
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/dashboard"},
	} {
		t.Run(s.Name, func(t *testing.T) { e.run(t, s) })
	}
}

func TestAccountChanges(t *testing.T) {
	e := newEnv(t, envOptions{})
	const email, pw = "ann@example.org", "correct horse battery"
	e.mustSignUp(t, "Ann Organiser", email, pw)
	e.mustLogIn(t, email, pw)

	for _, s := range []scenario{
		{Name: "Page", Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Ann Organiser", email, "Not confirmed yet",
				`<label for="f-current_password">Current password</label>`, `<label for="f-new_email">New email address</label>`}},
		{Name: "WrongCurrentPassword", Method: "POST", URL: "/account/password",
			Form:               url.Values{"current_password": {"not it at all"}, "new_password": {"a brand new passphrase"}},
			ExpectedStatus:     http.StatusUnprocessableEntity,
			ExpectedContent:    []string{"That is not your current password.", `aria-describedby="f-current_password-error"`},
			NotExpectedContent: []string{"not it at all", "a brand new passphrase", `id="f-new_email-error"`}},
		{Name: "ShortNewPassword", Method: "POST", URL: "/account/password",
			Form:            url.Values{"current_password": {pw}, "new_password": {"short"}},
			ExpectedStatus:  http.StatusUnprocessableEntity,
			ExpectedContent: []string{"Use at least 10 characters", `aria-describedby="f-new_password-hint f-new_password-error"`}},
		{Name: "ChangePassword", Method: "POST", URL: "/account/password",
			Form:           url.Values{"current_password": {pw}, "new_password": {"a brand new passphrase"}},
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"},
		{Name: "StillSignedIn", Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Your password has been changed."}},
		{Name: "EmailTaken", Method: "POST", URL: "/account/email",
			Form:           url.Values{"new_email": {email}, "email_password": {"a brand new passphrase"}},
			ExpectedStatus: http.StatusUnprocessableEntity,
			ExpectedContent: []string{"That is already your email address.", `aria-describedby="f-new_email-error"`,
				`value="ann@example.org"`}},
		{Name: "EmailWrongPassword", Method: "POST", URL: "/account/email",
			Form:            url.Values{"new_email": {"ann@new.example.org"}, "email_password": {"wrong again"}},
			ExpectedStatus:  http.StatusUnprocessableEntity,
			ExpectedContent: []string{"That is not your current password.", `aria-describedby="f-email_password-hint f-email_password-error"`, `value="ann@new.example.org"`}},
		{Name: "RequestEmailChange", Method: "POST", URL: "/account/email",
			Form:           url.Values{"new_email": {"ann@new.example.org"}, "email_password": {"a brand new passphrase"}},
			ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"},
		{Name: "Flash", Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"We have sent a link to ann@new.example.org"}},
	} {
		t.Run(s.Name, func(t *testing.T) { e.run(t, s) })
	}

	link := e.mail.link(t, "ann@new.example.org", "/account/email/")
	e.run(t, scenario{Method: "GET", URL: link, ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{`action="` + link + `"`, "Confirm my new address"}})
	e.run(t, scenario{Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"ann@example.org"}, NotExpectedContent: []string{"ann@new.example.org"}})
	e.run(t, scenario{Method: "POST", URL: link, ExpectedStatus: http.StatusSeeOther, ExpectedLocation: "/account"})
	e.run(t, scenario{Method: "GET", URL: "/account", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Your email address is now ann@new.example.org.", "Confirmed"}})
}
