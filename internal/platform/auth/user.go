package auth

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is a person's network-wide role. Group roles are a separate matter (see
// GroupRoles).
type Role string

// The network roles, from most to least trusted.
const (
	RoleAdmin     Role = "admin"
	RoleMember    Role = "member"
	RoleSupporter Role = "supporter"
)

// Valid reports whether r is one of the known roles.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleMember || r == RoleSupporter
}

// rank orders roles so that a rule can say "member or above".
func (r Role) rank() int {
	switch r {
	case RoleAdmin:
		return 3
	case RoleMember:
		return 2
	case RoleSupporter:
		return 1
	}
	return 0
}

// User is an account as the rest of Momentum sees it: no hashes, no secrets.
type User struct {
	ID            string
	Email         string
	Name          string
	Role          Role
	EmailVerified bool
	TOTPEnabled   bool
	CreatedAt     time.Time
}

// Limits on what people type.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
	maxNameLen     = 200
	maxEmailLen    = 254
)

// Messages shown beside form fields. Handlers show them as they are.
const (
	msgNameRequired  = "Enter your name."
	msgNameTooLong   = "Use at most 200 characters for your name."
	msgEmailInvalid  = "Enter an email address like name@example.org"
	msgEmailTaken    = "An account with this email already exists. Log in or reset your password."
	msgPasswordShort = "Use at least 10 characters for your password."
	msgPasswordLong  = "Use at most 256 characters for your password."
)

// NormalizeEmail trims and lowercases an address, the form in which it is
// stored and looked up.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// validEmail accepts a bare address (no display name) whose domain has a dot.
// It expects a normalised address.
func validEmail(s string) bool {
	if s == "" || len(s) > maxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return false
	}
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

// passwordProblem returns what is wrong with a new password, or "".
// Length is the rule (NIST SP 800-63B): no composition rules, long
// passphrases welcome up to a bound that keeps hashing cheap to refuse.
func passwordProblem(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return msgPasswordShort
	case n > MaxPasswordLen:
		return msgPasswordLong
	}
	return ""
}

// validateName trims a display name and reports a problem, if any.
func validateName(name string) (string, string) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return name, msgNameRequired
	case utf8.RuneCountInString(name) > maxNameLen:
		return name, msgNameTooLong
	}
	return name, ""
}
