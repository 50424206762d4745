package hook

import (
	"fmt"
	"reflect"
	"strings"
)

// Need is what a constructor calls on its Deps: it returns an error naming
// every collaborator that is missing (nil, or a nil pointer, func, map or
// slice inside an interface), so a service cannot be built half-wired.
// pairs alternate a field's name and its value:
//
//	hook.Need("people.NewService", "DB", d.DB, "Policy", d.Policy)
func Need(service string, pairs ...any) error {
	var missing []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if isNil(pairs[i+1]) {
			missing = append(missing, fmt.Sprint(pairs[i]))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s: missing %s", service, strings.Join(missing, ", "))
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan:
		return rv.IsNil()
	}
	return false
}
