package importweb

import (
	"net/http"

	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// handleRun shows a draft's column mapping (step 2) or, once imported, the
// run's progress (step 4).
func (h *Handler) handleRun(w http.ResponseWriter, r *http.Request) {
	d, found, err := h.drafts.get(r.Context(), r.PathValue("id"))
	switch {
	case err != nil:
		h.rend.Error(w, r, err)
	case found && d.RunID != "":
		http.Redirect(w, r, runURL(d.RunID), http.StatusSeeOther)
	case found:
		h.mapping(w, r, http.StatusOK, d, nil)
	default:
		h.progress(w, r)
	}
}

// progressPage is the data of step 4.
type progressPage struct {
	Run *peopleio.Run
	// Running is true until the run is done or failed: the page refreshes
	// itself meanwhile.
	Running  bool
	Percent  int
	Unlisted int
}

func (h *Handler) progress(w http.ResponseWriter, r *http.Request) {
	run, err := h.imp.Run(r.Context(), r.PathValue("id"))
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := progressPage{Run: run, Running: run.Status == peopleio.StatusPending || run.Status == peopleio.StatusRunning,
		Unlisted: max(run.Rejected-len(run.Errors), 0)}
	switch {
	case run.Status == peopleio.StatusDone:
		p.Percent = 100
	case run.Total > 0:
		p.Percent = min(100, run.Processed*100/run.Total)
	}
	h.rend.Page(w, r, http.StatusOK, "import/progress", web.Page{Title: "Importing " + run.FileName, Data: p})
}

// runsPage is the data of the list of past imports.
type runsPage struct {
	Runs    []peopleio.Run
	GroupID string
	Next    string
}

const runsPerPage = 50

func (h *Handler) handleRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := runsPage{GroupID: q.Get("group")}
	runs, err := h.runs.Runs(r.Context(), p.GroupID, q.Get("before"), runsPerPage)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p.Runs = runs
	if len(runs) == runsPerPage {
		p.Next = runs[len(runs)-1].ID
	}
	h.rend.Page(w, r, http.StatusOK, "import/runs", web.Page{Title: "Imports", Data: p})
}
