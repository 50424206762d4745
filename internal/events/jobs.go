package events

import (
	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/jobs"
)

// RegisterJobs registers the events workers (reminders, follow-ups) and
// their periodic jobs; app calls it once every service exists, before the
// jobs start.
func (s *Service) RegisterJobs(j *jobs.Jobs) error {
	river.AddWorker(j.Workers(), &RemindWorker{Svc: s})
	river.AddWorker(j.Workers(), &FollowUpWorker{Svc: s})
	return j.AddPeriodic(RemindPeriodic(), FollowUpPeriodic())
}
