package peopleio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// UnderWayError refuses a second import of a file while a job imports it
// (staged and not finished) for the same group, or for the whole network:
// the two would race to add the same people. Run is the import under way;
// its page is /imports/{Run.ID}.
type UnderWayError struct{ Run *Run }

func (e *UnderWayError) Error() string {
	done := ""
	if e.Run.Total > 0 {
		done = fmt.Sprintf(", %d%% done", min(100, e.Run.Processed*100/e.Run.Total))
	}
	return fmt.Sprintf("This file is already being imported (%s, started %s%s): follow it at /imports/%s, "+
		"or cancel its job on /admin/jobs before importing it again.",
		e.Run.FileName, web.DateTime(e.Run.StartedAt, time.UTC), done, e.Run.ID) // issue 16: the one format
}

// underWay wraps an UnderWayError as the errs.Conflict handlers show.
func underWay(r *Run) error {
	e := &UnderWayError{Run: r}
	return &errs.Error{Code: errs.Conflict, Message: e.Error(), Err: e}
}

// errUnderWay is insertRun's answer when import_runs_one_active refuses
// the run: another node staged the same file at the same moment.
var errUnderWay = errors.New("an import of this file is under way")

// UnderWay returns the import of the file with this SHA-256 (hex) that a
// job has under way for groupID (empty: the network), or nil: the wizard
// asks it as soon as a file is uploaded.
//
// Errors: errs.Forbidden.
func (im *Importer) UnderWay(ctx context.Context, sha, groupID string) (*Run, error) {
	if err := im.can(ctx, groupID); err != nil {
		return nil, err
	}
	return activeRun(ctx, im.db.Q(), sha, groupID)
}

// JobEnded is the jobs.EndFunc of the import job: when its job is
// cancelled (or given up) without the worker seeing it, as when an admin
// cancels the job of a node that died, the run is marked failed, so its
// page stops waiting and the file can be imported again.
func (im *Importer) JobEnded(ctx context.Context, args []byte, state string) error {
	var a ImportArgs
	if err := json.Unmarshal(args, &a); err != nil {
		return fmt.Errorf("import job ended (%s): %w", state, err)
	}
	return stopRun(ctx, im.db.Q(), a.RunID, im.now())
}
