// Package errs defines the one error type that crosses the boundary between
// services and the web: an error with a code, a message that is safe to show a
// user, and optional per-field messages for forms. It imports nothing from the
// rest of Momentum.
//
// The idea comes from WTF Dial: services return *errs.Error for anything the
// user can act on, and wrap everything else; the web layer turns the code into
// a status and never shows the text of an internal error.
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an error. Each code maps to one HTTP status in the web layer.
type Code string

const (
	Invalid      Code = "invalid"      // 400/422: the input is wrong; Fields says where
	Unauthorized Code = "unauthorized" // 401: not signed in
	Forbidden    Code = "forbidden"    // 403: signed in but not allowed
	NotFound     Code = "not_found"    // 404
	Conflict     Code = "conflict"     // 409: e.g. an email already taken
	TooMany      Code = "too_many"     // 429: rate limited
	Internal     Code = "internal"     // 500: never shown in detail
)

// Error is a domain error. Message is written for the person using Momentum.
type Error struct {
	Code    Code
	Message string
	// Fields maps a form field name to what is wrong with it.
	Fields map[string]string
	// Err is the cause, for logs only.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error with a code and a formatted, user-safe message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Fields builds an Invalid error from per-field messages. It returns nil when
// fields is empty, so a validator can end with `return errs.Fields(problems)`.
func Fields(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Please correct the highlighted fields.", Fields: fields}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns a message that is safe to show a user: the domain message
// of an *Error, or a generic sentence for anything else.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Something went wrong on our side. It has been logged; please try again."
}

// FieldsOf returns the per-field messages of an Invalid error, or nil.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Is reports whether err carries the given code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
