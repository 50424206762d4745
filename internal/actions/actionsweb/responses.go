package actionsweb

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"time"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// pageSize is how many responses the signer list shows at once.
const pageSize = 50

// responsesData is the signer list.
type responsesData struct {
	Action    *actions.Action
	Responses []actions.Response
	Keys      []string // the form's question keys, for the answer columns
	Next      string   // ?after= of the next page, "" on the last
}

func (h *Handler) handleResponses(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	after := r.URL.Query().Get("after")
	list, err := h.svc.Responses(r.Context(), a.ID, after, pageSize+1)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	d := responsesData{Action: a, Keys: questionKeys(a)}
	if len(list) > pageSize {
		list = list[:pageSize]
		d.Next = list[len(list)-1].ID
	}
	d.Responses = list
	title := "Signatures"
	if a.Kind == actions.KindForm {
		title = "Responses"
	}
	h.rend.Page(w, r, http.StatusOK, "actions/responses", web.Page{Title: title + ": " + a.Title, Data: d})
}

func questionKeys(a *actions.Action) []string {
	keys := make([]string, len(a.Questions))
	for i, q := range a.Questions {
		keys[i] = q.Key
	}
	return keys
}

// handleResponsesCSV sends every response, newest first, a page at a time
// from the service, as a spreadsheet.
func (h *Handler) handleResponsesCSV(w http.ResponseWriter, r *http.Request) {
	a, err := h.svc.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	// Read the first page before answering, so a refusal is still a page.
	const batch = 500
	first, err := h.svc.Responses(r.Context(), a.ID, "", batch)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+a.Slug+`-responses.csv"`)
	w.Header().Set("Cache-Control", "private, no-store")
	cw := csv.NewWriter(w)
	keys := questionKeys(a)
	head := []string{"id", "person_id", "name", "email", "comment"}
	for _, k := range keys {
		head = append(head, "answer_"+k)
	}
	cw.Write(append(head, "source", "referrer", "created_at", "confirmed_at"))
	page := first
	for {
		for _, x := range page {
			row := []string{x.ID, x.PersonID, safeCell(x.FullName), safeCell(x.Email), safeCell(x.Comment)}
			for _, k := range keys {
				row = append(row, safeCell(x.Answers[k]))
			}
			row = append(row, safeCell(x.Source), safeCell(x.Referrer), stamp(x.CreatedAt), stamp(x.ConfirmedAt))
			cw.Write(row)
		}
		if len(page) < batch {
			break
		}
		if page, err = h.svc.Responses(r.Context(), a.ID, page[len(page)-1].ID, batch); err != nil {
			// The header is sent: all that can be done is to stop.
			slog.ErrorContext(r.Context(), "responses csv", "err", err)
			break
		}
	}
	cw.Flush()
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// safeCell keeps a spreadsheet from running a cell as a formula.
func safeCell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
