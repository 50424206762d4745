package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// maxCheckedJSON is how much of a JSON body CleanInput reads to check; the
// API's decoders refuse bodies over 1 MB anyway, and a larger body is passed
// on unread for them to refuse.
const maxCheckedJSON = 1 << 20

// maxForm bounds an urlencoded body, which CleanInput reads whole (Go's
// own bound is 10 MB): the longest of our forms, a decision's or an event's
// text, percent-encoded, is a few hundred KB.
const maxForm = 1 << 20

// CleanInput refuses text no store can keep, before any handler sees it:
// bytes that are not UTF-8 and NUL characters, in the path, the query, an
// urlencoded form or a JSON body. PostgreSQL refuses both in text columns,
// so without this check they reached users as a 500 on that engine only.
// A bad path is a 404 (no record has such an id); anything else is
// errs.Invalid naming the field, answered by onBad (which picks a page or
// JSON). Multipart bodies (file uploads) are left to their handlers.
func CleanInput(onBad func(http.ResponseWriter, *http.Request, error)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !storable(r.URL.Path) {
				onBad(w, r, errs.E(errs.NotFound, "We could not find that page. It may have moved, or the link may be mistyped."))
				return
			}
			if err := CheckValues(r.URL.Query()); err != nil {
				onBad(w, r, err)
				return
			}
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			switch {
			case ct == "application/x-www-form-urlencoded":
				r.Body = http.MaxBytesReader(w, r.Body, maxForm)
				if err := r.ParseForm(); err != nil {
					msg := "The form could not be read: send it again."
					if errors.As(err, new(*http.MaxBytesError)) {
						msg = "The form is larger than 1 MB: shorten its text."
					}
					onBad(w, r, errs.Fields(map[string]string{"body": msg}))
					return
				}
				if err := CheckValues(r.PostForm); err != nil {
					onBad(w, r, err)
					return
				}
			case strings.HasSuffix(ct, "json") && r.Body != nil:
				buf, err := io.ReadAll(io.LimitReader(r.Body, maxCheckedJSON+1))
				if err != nil {
					onBad(w, r, errs.Fields(map[string]string{"body": "The body could not be read: send it again."}))
					return
				}
				if len(buf) <= maxCheckedJSON {
					if err := checkJSON(buf); err != nil {
						onBad(w, r, err)
						return
					}
				}
				r.Body = struct {
					io.Reader
					io.Closer
				}{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// storable reports whether s is text every store keeps: UTF-8 without NUL.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

// unstorable is the message for a field holding such bytes.
const unstorable = "This holds characters that cannot be stored (a NUL character, or bytes that are not UTF-8 text)."

// CheckValues returns errs.Invalid naming the fields whose name or value
// cannot be stored (a NUL, or bytes that are not UTF-8), or nil. CleanInput
// applies it to every query and urlencoded form; a handler that reads a
// multipart form, which CleanInput leaves alone, applies it to the form's
// values.
func CheckValues(v map[string][]string) error {
	bad := map[string]string{}
	for k, vs := range v {
		if !storable(k) {
			bad["field name "+strconv.Quote(k)] = unstorable
			continue
		}
		for _, s := range vs {
			if !storable(s) {
				bad[k] = unstorable
			}
		}
	}
	return fieldsError(bad)
}

// checkJSON refuses a body that is not UTF-8, or whose strings hold a NUL
// (written \u0000), naming the field. A body that is not JSON at all is
// left to the decoder, which says where.
func checkJSON(b []byte) error {
	if !utf8.Valid(b) {
		return fieldsError(map[string]string{"body": "The body is not UTF-8 text."})
	}
	if !bytes.Contains(b, []byte(`\u0000`)) {
		return nil
	}
	var doc any
	if json.Unmarshal(b, &doc) != nil {
		return nil
	}
	bad := map[string]string{}
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				p := k
				if path != "" {
					p = path + "." + k
				}
				if !storable(k) {
					bad[path] = unstorable
				}
				walk(p, e)
			}
		case []any:
			for i, e := range x {
				walk(path+"["+strconv.Itoa(i)+"]", e)
			}
		case string:
			if !storable(x) {
				if path == "" {
					path = "body"
				}
				bad[path] = unstorable
			}
		}
	}
	walk("", doc)
	if len(bad) == 0 {
		bad["body"] = unstorable
	}
	return fieldsError(bad)
}

// fieldsError is errs.Fields with a message that names the fields, for
// pages that show only the message.
func fieldsError(bad map[string]string) error {
	if len(bad) == 0 {
		return nil
	}
	names := make([]string, 0, len(bad))
	for k := range bad {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) > 5 {
		names = append(names[:5], "…")
	}
	return &errs.Error{Code: errs.Invalid, Fields: bad,
		Message: "Some of what was sent cannot be stored (a NUL character, or bytes that are not UTF-8 text), in: " + strings.Join(names, ", ") + "."}
}
