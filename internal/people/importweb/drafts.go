package importweb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/people/peoplecsv"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// A draft is an uploaded file on its way through the wizard: its columns
// are checked and a dry run shown before anything is imported. It lives in
// a folder of the data directory (<id>.csv and <id>.json), belongs to the
// person who uploaded it, and is deleted when imported (the JSON stays a
// day, to send a second click to the run) or after a day untouched. Only
// Start hands it to peopleio.Importer.Stage, which records the run and
// queues its job.
type draft struct {
	ID             string            `json:"id"`
	FileName       string            `json:"file_name"`
	Tags           []string          `json:"tags"`
	GroupID        string            `json:"group_id"`
	ConsentWording string            `json:"consent_wording"`
	Mapping        map[string]string `json:"mapping"` // peoplecsv spec; the detected one at first
	CreatedBy      string            `json:"created_by"`
	CreatedAt      time.Time         `json:"created_at"`
	// RunID is set once the draft is imported: its page is the run's.
	RunID string `json:"run_id,omitempty"`
}

// draftTTL is how long an untouched draft (personal data) is kept.
const draftTTL = 24 * time.Hour

// drafts keeps the wizard's drafts in dir. It decides who may touch them
// through the policy, as the importer does.
type drafts struct {
	dir    string
	policy *auth.Policy
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func (ds *drafts) path(id, ext string) string { return filepath.Join(ds.dir, id+ext) }

// can asks the policy whether the signed-in person may import for groupID
// (empty: the whole network). Errors: errs.Unauthorized, errs.Forbidden.
func (ds *drafts) can(ctx context.Context, groupID string) error {
	return ds.policy.Can(ctx, auth.PrincipalFrom(ctx), peopleio.ActImport,
		auth.Resource{Kind: "people_import", GroupID: groupID})
}

// create makes the uploaded file at upload (received by receive) a new
// draft with d's options, moving it into place. It reads the whole file
// once, as a stream, and refuses one that is not CSV or holds a header or
// row too long to import, with errs.Fields naming "file" (the message
// peoplecsv writes, which names the line).
func (ds *drafts) create(ctx context.Context, upload string, d *draft) error {
	if err := ds.can(ctx, d.GroupID); err != nil {
		return err
	}
	ds.sweep(db.Now())
	header, err := checkFile(upload)
	if fe := (*peoplecsv.FormatError)(nil); errors.As(err, &fe) {
		return errs.Fields(map[string]string{"file": fe.Message})
	}
	if err != nil {
		return fmt.Errorf("import draft: %w", err)
	}
	d.ID, d.CreatedBy, d.CreatedAt = db.NewID(), auth.PrincipalFrom(ctx).UserID, db.Now()
	path := ds.path(d.ID, ".csv")
	if err := os.Rename(upload, path); err != nil {
		return fmt.Errorf("import draft: %w", err)
	}
	d.Mapping = peoplecsv.DetectMapping(header).Spec()
	if err := ds.save(d); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

// checkFile reads the file at path to its end as CSV and returns its
// header; a row the CSV syntax does not allow is the dry run's to list.
func checkFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rd, err := peoplecsv.NewReader(f)
	if err != nil {
		return nil, err
	}
	for {
		_, err := rd.Read()
		switch {
		case errors.Is(err, io.EOF):
			return rd.Header(), nil
		case err != nil && !errors.As(err, new(*peoplecsv.RowError)):
			return nil, err
		}
	}
}

// get returns the draft id of the signed-in person; found is false when
// there is no such draft (the id may name a run). A draft of someone else
// is not found.
func (ds *drafts) get(ctx context.Context, id string) (d *draft, found bool, err error) {
	if !idPattern.MatchString(id) {
		return nil, false, nil
	}
	b, err := os.ReadFile(ds.path(id, ".json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("import draft %s: %w", id, err)
	}
	d = &draft{}
	if err := json.Unmarshal(b, d); err != nil {
		return nil, false, fmt.Errorf("import draft %s: %w", id, err)
	}
	if err := ds.can(ctx, d.GroupID); err != nil {
		return nil, false, err
	}
	if d.CreatedBy != auth.PrincipalFrom(ctx).UserID {
		return nil, false, errs.E(errs.NotFound, "There is no such import.")
	}
	return d, true, nil
}

// save writes d's options.
func (ds *drafts) save(d *draft) error {
	b, _ := json.Marshal(d)
	tmp := ds.path(d.ID, ".json.tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("import draft: %w", err)
	}
	if err := os.Rename(tmp, ds.path(d.ID, ".json")); err != nil {
		return fmt.Errorf("import draft: %w", err)
	}
	return nil
}

// open opens d's file. Errors: errs.NotFound once it has been imported.
func (ds *drafts) open(d *draft) (*os.File, error) {
	f, err := os.Open(ds.path(d.ID, ".csv"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.E(errs.NotFound, "The uploaded file is no longer here: upload it again.")
	}
	return f, err
}

// claim makes sure only one request imports d: the first gets true.
func (ds *drafts) claim(d *draft) bool {
	f, err := os.OpenFile(ds.path(d.ID, ".lock"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// release undoes claim after a failed import, so it can be tried again.
func (ds *drafts) release(d *draft) { os.Remove(ds.path(d.ID, ".lock")) }

// imported records d's run and deletes its file.
func (ds *drafts) imported(d *draft, runID string) error {
	d.RunID = runID
	err := ds.save(d)
	os.Remove(ds.path(d.ID, ".csv"))
	return err
}

// sweep deletes drafts untouched for draftTTL.
func (ds *drafts) sweep(now time.Time) {
	entries, err := os.ReadDir(ds.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		id, _, _ := strings.Cut(e.Name(), ".")
		if !idPattern.MatchString(id) && !strings.HasPrefix(e.Name(), "upload-") { // an upload cut off by a crash
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > draftTTL {
			os.Remove(filepath.Join(ds.dir, e.Name()))
		}
	}
}

// sample returns the header of d's file and its first n rows that are not
// blank.
func (ds *drafts) sample(d *draft, n int) ([]string, [][]string, error) {
	f, err := ds.open(d)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	rd, err := peoplecsv.NewReader(f)
	if err != nil {
		return nil, nil, fmt.Errorf("import draft %s: %w", d.ID, err)
	}
	var rows [][]string
	for len(rows) < n {
		row, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if _, ok := err.(*peoplecsv.RowError); ok {
				continue // the dry run lists it
			}
			if fe := (*peoplecsv.FormatError)(nil); errors.As(err, &fe) {
				return nil, nil, errs.E(errs.Invalid, "%s", fe.Message)
			}
			return nil, nil, fmt.Errorf("import draft %s: %w", d.ID, err)
		}
		if strings.TrimSpace(strings.Join(row.Fields, "")) != "" {
			rows = append(rows, row.Fields)
		}
	}
	return rd.Header(), rows, nil
}

// options are the importer's options for d.
func (d *draft) options() (peopleio.Options, error) {
	m, err := peoplecsv.ParseMapping(d.Mapping)
	if err != nil {
		return peopleio.Options{}, fmt.Errorf("import draft %s: %w", d.ID, err)
	}
	return peopleio.Options{FileName: d.FileName, Tags: d.Tags, Mapping: &m, GroupID: d.GroupID,
		ConsentWording: d.ConsentWording}, nil
}
