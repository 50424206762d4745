package importweb

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// mappingPage is the data of step 2.
type mappingPage struct {
	Draft   *draft
	Columns []column
	// Fields are the choices of every column's select, after "ignore".
	Fields []peoplecsv.FieldInfo
	// Rows are the first rows of the file, each cell cut to cellMax runes.
	Rows [][]string
}

// column is one column of the file with the field it is mapped to.
type column struct {
	// Key names the column in the form: "#1" for the first.
	Key    string
	Header string
	Field  string
	// Custom is the label of a custom field mapped here, not in Fields.
	Custom string
	// Examples are the first values of the column in the file.
	Examples []string
}

const cellMax = 60

// mapping renders step 2. form carries the submitted mapping and its error
// after a failed save; nil shows the draft's current mapping.
func (h *Handler) mapping(w http.ResponseWriter, r *http.Request, status int, d *draft, form *web.Form) {
	header, rows, err := h.drafts.sample(d, previewRows)
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	current, _ := peoplecsv.ParseMapping(d.Mapping)
	resolved, _ := peoplecsv.Resolve(header, &current) // an error leaves columns ignored: the page says so
	p := mappingPage{Draft: d, Fields: peoplecsv.KnownFields()}
	for _, row := range rows {
		cells := make([]string, len(header))
		for i := range cells {
			if i < len(row) {
				cells[i] = errs.Clip(row[i], cellMax)
			}
		}
		p.Rows = append(p.Rows, cells)
	}
	values := url.Values{}
	for i, hd := range header {
		f := resolved.Field(i)
		c := column{Key: "#" + strconv.Itoa(i+1), Header: errs.Clip(hd, errs.EchoMax), Field: string(f)}
		if _, ok := f.CustomKey(); ok {
			c.Custom = f.Label()
		}
		for _, row := range p.Rows {
			if row[i] != "" && len(c.Examples) < 3 {
				c.Examples = append(c.Examples, row[i])
			}
		}
		values.Set(c.Key, c.Field)
		p.Columns = append(p.Columns, c)
	}
	switch {
	case form == nil:
		form = web.NewForm(values)
	case len(form.Values) == 0: // an error from the dry run: show the saved mapping
		form.Values = values
	}
	h.rend.Page(w, r, status, "import/mapping", web.Page{Title: "Columns of " + d.FileName, Data: p, Form: form})
}

// draft resolves the {id} of the path to a draft of the signed-in person
// that is not imported yet, or answers: the run's page once imported, the
// error page when there is no such draft.
func (h *Handler) draft(w http.ResponseWriter, r *http.Request) (*draft, bool) {
	d, found, err := h.drafts.get(r.Context(), r.PathValue("id"))
	switch {
	case err != nil:
		h.rend.Error(w, r, err)
	case !found:
		h.rend.Error(w, r, errs.E(errs.NotFound, "There is no such import: upload the file again."))
	case d.RunID != "":
		http.Redirect(w, r, runURL(d.RunID), http.StatusSeeOther)
	default:
		return d, true
	}
	return nil, false
}

func (h *Handler) handleMapping(w http.ResponseWriter, r *http.Request) {
	d, ok := h.draft(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		h.rend.Error(w, r, errs.E(errs.Invalid, "The form could not be read."))
		return
	}
	spec := map[string]string{}
	for k, v := range r.PostForm {
		if strings.HasPrefix(k, "#") && len(v) > 0 {
			spec[k] = v[0]
		}
	}
	if err := h.setMapping(d, spec); err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			h.mapping(w, r, http.StatusUnprocessableEntity, d, web.FormWithError(r.PostForm, err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, runURL(d.ID)+"/preview", "Columns saved. Here is what the import would do.")
}

// setMapping checks spec (column "#n" → field) against the file's header
// and saves it. Errors: errs.Invalid when it names no field or a column
// the file lacks.
func (h *Handler) setMapping(d *draft, spec map[string]string) error {
	m, err := peoplecsv.ParseMapping(spec)
	if err != nil {
		return errs.E(errs.Invalid, "%s", err.Error())
	}
	header, _, err := h.drafts.sample(d, 0)
	if err != nil {
		return err
	}
	resolved, err := peoplecsv.Resolve(header, &m)
	switch {
	case err != nil && len(resolved.Fields()) == 0:
		return errs.E(errs.Invalid, "Choose what at least one column holds: every column is set to Ignore.")
	case err != nil:
		return errs.E(errs.Invalid, "%s", err.Error())
	}
	d.Mapping = resolved.Spec()
	return h.drafts.save(d)
}

// previewPage is the data of step 3, the dry run.
type previewPage struct {
	Draft  *draft
	Result *peopleio.Result
	// Unlisted is how many rejected rows are not listed (beyond the first
	// 1,000).
	Unlisted int
}

func (h *Handler) handlePreview(w http.ResponseWriter, r *http.Request) {
	d, ok := h.draft(w, r)
	if !ok {
		return
	}
	res, err := h.dryRun(w, r, d)
	if errs.CodeOf(err) == errs.Invalid { // a mapping the importer refuses: back to step 2
		h.mapping(w, r, http.StatusUnprocessableEntity, d, formLevel(err))
		return
	}
	if err != nil {
		h.rend.Error(w, r, err)
		return
	}
	p := previewPage{Draft: d, Result: res, Unlisted: max(res.Rejected-len(res.Errors), 0)}
	h.rend.Page(w, r, http.StatusOK, "import/preview", web.Page{Title: "Check " + d.FileName, Data: p})
}

// dryRunTime is how long a dry run may take: it reads the whole file and
// looks everyone up (a million rows take a few tens of seconds).
const dryRunTime = 10 * time.Minute

func (h *Handler) dryRun(w http.ResponseWriter, r *http.Request, d *draft) (*peopleio.Result, error) {
	extendDeadlines(w, dryRunTime)
	o, err := d.options()
	if err != nil {
		return nil, err
	}
	f, err := h.drafts.open(d)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o.DryRun = true
	return h.imp.Import(r.Context(), f, o)
}

// handleStart hands the draft to the importer, which stores the file,
// records the run and queues its job.
func (h *Handler) handleStart(w http.ResponseWriter, r *http.Request) {
	d, ok := h.draft(w, r)
	if !ok {
		return
	}
	if !h.drafts.claim(d) { // a second click while the first is staging
		http.Redirect(w, r, runURL(d.ID), http.StatusSeeOther)
		return
	}
	extendDeadlines(w, dryRunTime) // the importer copies and reads the file once more
	run, err := h.stage(r, d)
	if uw := (*peopleio.UnderWayError)(nil); errors.As(err, &uw) {
		h.drafts.release(d)
		h.refuseUnderWay(w, r, url.Values{"tags": {strings.Join(d.Tags, ", ")}, "group_id": {d.GroupID},
			"consent_wording": {d.ConsentWording}}, uw.Run)
		return
	}
	if err != nil {
		h.drafts.release(d)
		if errs.CodeOf(err) == errs.Invalid {
			h.mapping(w, r, http.StatusUnprocessableEntity, d, formLevel(err))
			return
		}
		h.rend.Error(w, r, err)
		return
	}
	web.Redirect(w, r, runURL(run.ID), "The import has started. This page follows it.")
}

func (h *Handler) stage(r *http.Request, d *draft) (*peopleio.Run, error) {
	o, err := d.options()
	if err != nil {
		return nil, err
	}
	f, err := h.drafts.open(d)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	run, err := h.imp.Stage(r.Context(), f, o)
	if err != nil {
		return nil, err
	}
	return run, h.drafts.imported(d, run.ID)
}

// formLevel shows err at the top of a form that has none of its fields.
func formLevel(err error) *web.Form {
	f := web.NewForm(nil)
	msgs := []string{}
	for _, m := range errs.FieldsOf(err) {
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		msgs = append(msgs, errs.MessageOf(err))
	}
	f.Errors[""] = strings.Join(msgs, " ")
	return f
}
