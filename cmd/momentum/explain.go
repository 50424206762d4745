package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// explain turns a domain error into a message for the terminal, listing
// each field problem.
func explain(err error) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Code == errs.Internal {
		return err
	}
	if len(e.Fields) == 0 {
		return errors.New(e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  --%s: %s", k, e.Fields[k])
	}
	return fmt.Errorf("these values are not valid:%s", b.String())
}
