package decisions

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// The decision log (issue 13) is a view over decisions, not a copy: every
// closed or published decision is in it the moment it closes, with its
// outcome statement and the results stored at the close. Who sees an entry
// is who sees the decision (canView): its group's members, every member for
// network-wide ones, its electorate, admins; and everyone, signed in or not,
// for a published decision whose record is public.

// LogFilter selects entries of the decision log. Zero values filter
// nothing.
type LogFilter struct {
	GroupID string
	Topic   string    // exact topic, as the entries' links give it
	From    time.Time // closed at or after
	To      time.Time // closed before
	// PublicOnly keeps public records only, whoever asks (feeds and open
	// data are fetched without a session).
	PublicOnly bool
	Offset     int
	Limit      int // default 20, at most 500
}

// LogEntry is one decision in the log: the decision and its stored results.
type LogEntry struct {
	Decision
	// Result is nil only for a closed decision whose results were not
	// stored (none today: the close stores them).
	Result *LogResult
}

// LogResult is the stored outcome of a decision, as the log and the open
// data show it.
type LogResult struct {
	Decided    bool
	Summary    string
	Winners    []string
	Turnout    int
	Electorate int
	Ballots    int
	// Options holds the votes per option where a count has one round
	// (plurality, approval, score, dot and meeting-time polls, and a
	// ranked count decided on first preferences) or per position for a
	// proposal (agree, abstain, disagree, block); nil otherwise.
	Options []OptionResult
}

// OptionResult is one option's (or position's) votes, as an exact decimal.
type OptionResult struct {
	Option string `json:"option"`
	Votes  string `json:"votes"`
}

// Log returns a page of the decision log the viewer may see, newest close
// first, and whether there is a further page. Errors: errs.Invalid (a bad
// date range).
func (s *Service) Log(ctx context.Context, f LogFilter) ([]LogEntry, bool, error) {
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		return nil, false, errs.Fields(map[string]string{"to": "The end date must be after the start date."})
	}
	f.Limit = min(max(f.Limit, 0), 500)
	if f.Limit == 0 {
		f.Limit = 20
	}
	f.Offset = max(f.Offset, 0)
	v, err := s.logViewer(ctx, f.PublicOnly)
	if err != nil {
		return nil, false, err
	}
	ds, results, err := listLog(ctx, s.db.Q(), f, v)
	if err != nil {
		return nil, false, err
	}
	more := len(ds) > f.Limit
	if more {
		ds = ds[:f.Limit]
	}
	out := make([]LogEntry, len(ds))
	for i, d := range ds {
		out[i].Decision = d
		if results[i] != "" {
			if out[i].Result, err = decodeLogResult(d, results[i]); err != nil {
				return nil, false, err
			}
		}
	}
	return out, more, nil
}

// EachPublicRecord calls fn with every public record, newest close first,
// reading them a page at a time (the open-data export streams them).
// Anyone may; fn's error stops the walk and is returned.
func (s *Service) EachPublicRecord(ctx context.Context, fn func(LogEntry) error) error {
	f := LogFilter{PublicOnly: true, Limit: 500}
	for {
		page, more, err := s.Log(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if !more {
			return nil
		}
		f.Offset += len(page)
	}
}

// LogChoices are what the log's filters offer the viewer: the groups and
// topics of the entries they may see.
type LogChoices struct {
	Groups []LogGroup
	Topics []string
}

// LogGroup is a group with entries in the log.
type LogGroup struct{ ID, Name string }

// LogChoices returns the groups and topics the viewer's log holds (at most
// 200 of each, by name).
func (s *Service) LogChoices(ctx context.Context) (*LogChoices, error) {
	v, err := s.logViewer(ctx, false)
	if err != nil {
		return nil, err
	}
	return logChoices(ctx, s.db.Q(), v)
}

// logViewer is who asks, as the log's query needs it.
type logViewer struct {
	all      bool   // admins and the system: every entry
	network  bool   // may see network-wide decisions
	personID string // "" for visitors: public records only
	public   bool   // public records only
}

func (s *Service) logViewer(ctx context.Context, publicOnly bool) (logViewer, error) {
	if publicOnly {
		return logViewer{public: true}, nil
	}
	p := auth.PrincipalFrom(ctx)
	if p == nil {
		return logViewer{public: true}, nil
	}
	if s.can(ctx, ActAdvance, &Decision{}) == nil {
		return logViewer{all: true}, nil
	}
	v := logViewer{network: s.can(ctx, ActViewNetwork, &Decision{}) == nil}
	if p.UserID != "" {
		person, err := personOfUser(ctx, s.db.Q(), p.UserID)
		if err != nil {
			return v, err
		}
		v.personID = person
	}
	return v, nil
}

// storedRecord is the part of the JSON stored at the close the log reads.
type storedRecord struct {
	Decided    bool     `json:"decided"`
	Summary    string   `json:"summary"`
	Winners    []string `json:"winners"`
	Turnout    int      `json:"turnout"`
	Electorate int      `json:"electorate"`
	Ballots    int      `json:"ballots"`
	Count      *struct {
		Rounds []struct {
			Tallies []struct {
				Candidate string          `json:"candidate"`
				Votes     json.RawMessage `json:"votes"`
			} `json:"tallies"`
		} `json:"rounds"`
	} `json:"count"`
	Proposal *struct {
		Votes struct{ Agree, Abstain, Disagree, Block int }
	} `json:"proposal"`
}

func decodeLogResult(d Decision, js string) (*LogResult, error) {
	var st storedRecord
	if err := json.Unmarshal([]byte(js), &st); err != nil {
		return nil, fmt.Errorf("stored results of %s: %w", d.ID, err)
	}
	r := &LogResult{Decided: st.Decided, Summary: st.Summary, Winners: st.Winners, Turnout: st.Turnout,
		Electorate: st.Electorate, Ballots: st.Ballots}
	switch {
	case st.Proposal != nil:
		v := st.Proposal.Votes
		for _, o := range []struct {
			name string
			n    int
		}{{"agree", v.Agree}, {"abstain", v.Abstain}, {"disagree", v.Disagree}, {"block", v.Block}} {
			r.Options = append(r.Options, OptionResult{Option: o.name, Votes: fmt.Sprint(o.n)})
		}
	case st.Count != nil && len(st.Count.Rounds) == 1:
		for _, t := range st.Count.Rounds[0].Tallies {
			var votes string
			if err := json.Unmarshal(t.Votes, &votes); err != nil {
				votes = string(t.Votes) // a bare number
			}
			r.Options = append(r.Options, OptionResult{Option: t.Candidate, Votes: votes})
		}
	}
	return r, nil
}
