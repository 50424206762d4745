package web

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// HTTPStatus is the one place an error code becomes an HTTP status. Anything
// unknown, including Internal, is 500.
func HTTPStatus(code errs.Code) int {
	switch code {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.TooMany:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}
