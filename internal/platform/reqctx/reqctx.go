// Package reqctx carries the two facts every layer needs about the request it
// serves — its id and who is acting — through a context.Context. It imports
// nothing from Momentum, so the web layer, services, jobs and the audit log can
// all read it without importing one another.
package reqctx

import "context"

type key int

const (
	requestIDKey key = iota
	actorKey
)

// Actor is whoever causes a write: a signed-in user, an API token, or the
// system (a job or the CLI). The zero Actor is the system.
type Actor struct {
	ID    string // the user's id; empty for the system
	Label string // shown in the audit log: an email, "token:<name>", "system"
}

// System is the actor of jobs and command-line maintenance.
var System = Actor{Label: "system"}

// WithRequestID returns ctx carrying the request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey, id)
}

// RequestID returns the request id in ctx, or "" outside a request.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// WithActor returns ctx carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFrom returns the actor in ctx, or System.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey).(Actor); ok {
		return a
	}
	return System
}
