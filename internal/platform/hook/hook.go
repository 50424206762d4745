// Package hook holds the few collaborators that two parts of Momentum need
// from each other, so that one of them can only be given after both are
// built: the policy asks the groups capability for group roles while groups
// checks permission with the policy; a new account needs its person record
// while erasing a person needs the account service.
//
// Such a collaborator is a Hook: the service that needs it takes the Hook
// in its constructor, app/build sets it once both sides exist, and build.New
// refuses to finish (Check) while any Hook is empty. A Hook that is read
// before it is set panics, naming itself: that is a wiring bug, never a
// reason to skip work. Everything else a service needs goes into its
// constructor directly.
//
// Need checks a constructor's collaborators. It imports only the standard library.
package hook

import (
	"errors"
	"fmt"
	"sync/atomic"
)

// Hook is one collaborator set after construction, exactly once.
type Hook[T any] struct {
	name string
	v    atomic.Pointer[T]
}

// New returns an empty hook; name says who needs what ("people: group
// joiner"), for Check's error and Get's panic.
func New[T any](name string) *Hook[T] { return &Hook[T]{name: name} }

// Set fills the hook. Setting it twice panics: two wirings of one hook
// would mean one of them is silently lost.
func (h *Hook[T]) Set(v T) {
	if !h.v.CompareAndSwap(nil, &v) {
		panic(fmt.Sprintf("hook %s set twice", h.name))
	}
}

// Get returns what the hook holds. It panics when the hook was never set,
// which Check prevents in a built application.
func (h *Hook[T]) Get() T {
	p := h.v.Load()
	if p == nil {
		panic(fmt.Sprintf("hook %s used before it was set (app.New checks every hook: was the service built by hand?)", h.name))
	}
	return *p
}

// Name is the hook's name.
func (h *Hook[T]) Name() string { return h.name }

// IsSet reports whether the hook was set.
func (h *Hook[T]) IsSet() bool { return h.v.Load() != nil }

// Checker is any Hook, whatever it holds.
type Checker interface {
	Name() string
	IsSet() bool
}

// Check returns an error naming every hook that was not set, or nil.
func Check(hs ...Checker) error {
	var missing []error
	for _, h := range hs {
		if h == nil {
			missing = append(missing, errors.New("a nil hook"))
			continue
		}
		if !h.IsSet() {
			missing = append(missing, fmt.Errorf("hook %s is not set", h.Name()))
		}
	}
	return errors.Join(missing...)
}
