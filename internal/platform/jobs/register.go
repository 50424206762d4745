package jobs

import (
	"fmt"

	"github.com/riverqueue/river"
)

// Registering workers
//
// One pattern for every capability: the River client is built first, with
// no workers, so that services can take the Jobs they enqueue through in
// their constructors; each service then registers its own workers, built
// around the service itself, with a RegisterJobs(*jobs.Jobs) method that
// app calls once every service exists and before Start:
//
//	func (s *Service) RegisterJobs(j *jobs.Jobs) error {
//		river.AddWorker(j.Workers(), &RemindWorker{Svc: s})
//		return j.AddPeriodic(RemindPeriodic())
//	}
//
// River allows this: the client keeps the Workers bundle it was given and
// reads it when it starts working (its producer's comment in v0.51: "Workers
// can be registered after the client is constructed"), and periodic jobs
// can be added to a client at any time.

// Workers is the bundle to register workers in, before Start. On
// PostgreSQL the insert-only client shares it, so inserting a job of a kind
// with no worker fails on both clients alike.
func (j *Jobs) Workers() *river.Workers { return j.workers }

// AddPeriodic adds periodic jobs; the leader node enqueues them on their
// schedule. Call it before Start. It fails on a periodic job whose ID is
// already taken.
func (j *Jobs) AddPeriodic(pjs ...*river.PeriodicJob) error {
	if _, err := j.client.PeriodicJobs().AddManySafely(pjs); err != nil {
		return fmt.Errorf("add periodic jobs: %w", err)
	}
	return nil
}

// OnEnded tells kind's owner, through fn, when Jobs ends a job of that kind
// that no worker finished (its node died and an admin cancelled it, or it
// ran out of attempts): an import marks its run failed. Call it before
// Start, as services do in RegisterJobs.
func (j *Jobs) OnEnded(kind string, fn EndFunc) { j.onEnd[kind] = fn }
