// Package search is Momentum's full-text index: one table of documents
// (threads, comments, knowledge-base documents, decisions, events, groups)
// searched with SQLite FTS5 or PostgreSQL's tsvector, whichever the node
// runs on. It knows nothing of the domain: each capability turns its
// records into Docs and calls Put and Delete inside the transaction that
// writes the record, so the index is never behind or ahead of the data.
//
// Permission is part of the query: every Doc carries who may see it
// (Visibility and GroupID) and Search is given the asker's Scope, so a
// result the asker may not see is never read, counted or ranked.
package search

import (
	"context"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Visibility says who may find a Doc.
type Visibility string

// The visibilities, from widest to narrowest.
const (
	// Public: anyone, signed in or not.
	Public Visibility = "public"
	// Members: signed-in members of the network (role member or admin),
	// and the members of the Doc's group when it has one.
	Members Visibility = "members"
	// Group: the members of the Doc's group only (GroupID is required).
	Group Visibility = "group"
)

// The kinds of Doc the capabilities index. Kind is free text to this
// package; these names are shared so filters and pages agree.
const (
	KindThread   = "thread"
	KindComment  = "comment"
	KindDocument = "document"
	KindDecision = "decision"
	KindEvent    = "event"
	KindGroup    = "group"
	KindAction   = "action" // issue 14: open petitions and forms
)

// Doc is one searchable item.
type Doc struct {
	Kind string // one of the Kind constants
	ID   string // the record's id (with Kind, the key)
	// GroupID is the group the item belongs to; "" for network-wide.
	GroupID    string
	Visibility Visibility
	Title      string // may be empty (a comment): the page shows its thread's title
	// Body is the searchable text: plain text or Markdown (marks are
	// ignored by the tokenisers). A comment's body includes nothing of its
	// thread; put the thread's title in Context.
	Body string
	// Context is shown with a hit, e.g. "in Housing campaign › Rent strike
	// thread"; it is searched too, with a low weight.
	Context string
	URL     string    // the path of the item's page, e.g. "/talk/t/ID#c-ID"
	At      time.Time // when it was written or happened (date filter, order)
}

// Put adds or replaces a Doc, in the caller's transaction.
func Put(ctx context.Context, tx *db.Tx, d Doc) error { return put(ctx, tx, d) }

// Delete removes a Doc (e.g. a hidden comment, a deleted document), in the
// caller's transaction. Deleting what is not there is not an error.
func Delete(ctx context.Context, tx *db.Tx, kind, id string) error { return del(ctx, tx, kind, id) }

// Scope is who is asking, as the search page's service worked it out from
// the policy: never taken from the request.
type Scope struct {
	// All sees everything (admins, the system).
	All bool
	// Members sees Members Docs network-wide (a signed-in member).
	Members bool
	// GroupIDs are the groups whose Group and Members Docs the asker sees
	// (the groups they belong to).
	GroupIDs []string
}

// Query is what the search box and its filters ask for.
type Query struct {
	Text    string
	Kinds   []string // empty: every kind
	GroupID string   // "" any group (and the network)
	From    time.Time
	To      time.Time // zero: no bound
	Limit   int       // 1–100; 0 means 20
	Offset  int
}

// Hit is one result.
type Hit struct {
	Doc
	// Snippet is the best passage of the body, HTML-escaped, with the
	// matched words wrapped in <mark></mark>: safe to show as HTML.
	Snippet string
	// TitleHTML is Title, HTML-escaped, with the matched words in
	// <mark></mark> (issue 13: added by the search helper).
	TitleHTML string
	Rank      float64 // higher is better; for ordering only
}

// Results is one page of hits.
type Results struct {
	Hits  []Hit
	Total int // matches the asker may see (may be capped, see Capped)
	// Capped is true when Total stopped counting at a cap.
	Capped bool
	// DidYouMean is the query with near-miss words replaced by indexed
	// words ("housng" → "housing"), when that finds more; "" otherwise.
	DidYouMean string
}

// Search runs a query for an asker. Errors: errs.Invalid for a query the
// engine cannot run, naming the field.
func Search(ctx context.Context, q db.Querier, s Scope, query Query) (*Results, error) {
	return search(ctx, q, s, query)
}

// Recent lists the newest Docs of a group (or of the network, groupID "")
// the asker may see, optionally of some kinds: the feeds and "recent
// activity" read it. No text query.
func Recent(ctx context.Context, q db.Querier, s Scope, groupID string, kinds []string, limit int) ([]Doc, error) {
	return recent(ctx, q, s, groupID, kinds, limit)
}

// Source is a capability whose records are indexed: it emits a Doc for
// every record it indexes, so the whole index can be rebuilt (momentum
// search reindex, and on first start after an upgrade). Each capability's
// Service implements it; build passes them all to the reindexer.
type Source interface {
	SearchDocs(ctx context.Context, q db.Querier, emit func(Doc) error) error
}
