package decisionsweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/timebound"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// logPageSize is how many entries a page of the decision log shows.
const logPageSize = 20

// maxLogPage bounds ?page= (20,000 entries deep; the filters narrow more).
const maxLogPage = 1000

// logEntry is one decision as the log shows it.
type logEntry struct {
	ID, Title, Group, GroupID, Topic, Kind, Method string
	Closed                                         string
	Published                                      bool
	Public                                         bool
	Statement                                      string
	Summary                                        string
	Winners                                        []string
	Turnout                                        string
}

type logPage struct {
	Entries []logEntry
	Choices *decisions.LogChoices
	Page    int
	// PrevURL and NextURL page through the same filters ("": none).
	PrevURL, NextURL string
	Filtered         bool
}

// logFilter reads the log's filters from the query: ?group=&topic=&from=&to=&page=.
// Dates are days in the network's zone; to includes its day.
func (h *Handler) logFilter(q url.Values) (decisions.LogFilter, int, map[string]string) {
	bad := map[string]string{}
	f := decisions.LogFilter{GroupID: strings.TrimSpace(q.Get("group")), Topic: strings.Join(strings.Fields(q.Get("topic")), " "),
		Limit: logPageSize}
	if len(f.GroupID) > 64 {
		bad["group"] = "Choose a group from the list."
	}
	if utf8.RuneCountInString(f.Topic) > decisions.MaxTopicLen {
		bad["topic"] = fmt.Sprintf("A topic has at most %d characters.", decisions.MaxTopicLen)
	}
	day := func(field string) time.Time {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", v, h.zone)
		if err != nil {
			bad[field] = "Give the date as YYYY-MM-DD."
			return time.Time{}
		}
		if !timebound.Check(bad, field, t) {
			return time.Time{}
		}
		return t
	}
	f.From = day("from")
	if f.To = day("to"); !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		bad["to"] = "The end date must not be before the start date."
	}
	page := 1
	if v := strings.TrimSpace(q.Get("page")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLogPage {
			bad["page"] = fmt.Sprintf("Pages are numbered from 1 to %d.", maxLogPage)
		} else {
			page = n
		}
	}
	f.Offset = (page - 1) * logPageSize
	return f, page, bad
}

// handleLog serves GET /decisions/log: the closed and published decisions
// the viewer may see (public records for everyone), newest first, filtered
// by group, topic and date.
func (h *Handler) handleLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, page, bad := h.logFilter(q)
	form := web.NewForm(url.Values{"group": {f.GroupID}, "topic": {f.Topic}, "from": {q.Get("from")}, "to": {q.Get("to")}})
	choices, err := h.svc.LogChoices(r.Context())
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := logPage{Choices: choices, Page: page, Filtered: f.GroupID != "" || f.Topic != "" || !f.From.IsZero() || !f.To.IsZero()}
	if len(bad) > 0 {
		form = web.FormWithError(form.Values, errs.Fields(bad))
		h.rend.Page(w, r, http.StatusUnprocessableEntity, "decisions/log", web.Page{Title: "Decision log", Data: p, Form: form})
		return
	}
	entries, more, err := h.svc.Log(r.Context(), f)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	for _, e := range entries {
		p.Entries = append(p.Entries, h.logEntry(e))
	}
	keep := url.Values{}
	for _, k := range []string{"group", "topic", "from", "to"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			keep.Set(k, v)
		}
	}
	at := func(n int) string {
		keep.Set("page", strconv.Itoa(n))
		return "/decisions/log?" + keep.Encode()
	}
	if page > 1 {
		p.PrevURL = at(page - 1)
	}
	if more && page < maxLogPage {
		p.NextURL = at(page + 1)
	}
	h.rend.Page(w, r, http.StatusOK, "decisions/log", web.Page{Title: "Decision log", Data: p, Form: form})
}

func (h *Handler) logEntry(e decisions.LogEntry) logEntry {
	d := e.Decision
	le := logEntry{ID: d.ID, Title: d.Title, Group: d.GroupName, GroupID: d.GroupID, Topic: d.Topic,
		Kind: decisions.KindName(d.Kind), Method: string(d.Method), Closed: h.local(d.ClosedAt),
		Published: d.Status == decisions.StatusPublished, Public: d.PublicRecord, Statement: d.Outcome}
	if le.Group == "" {
		le.Group = "Whole network"
	}
	if res := e.Result; res != nil {
		le.Summary, le.Winners = res.Summary, res.Winners
		le.Turnout = fmt.Sprintf("%s of %s voted (%s)", web.Number(res.Turnout), web.Number(res.Electorate), percent(res.Turnout, res.Electorate))
	}
	return le
}
