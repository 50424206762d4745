package notices

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/jobs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// ActDigest is running the digest: the system (the job) and admins.
const ActDigest auth.Action = "notices.digest"

// SendDigests sends every person with waiting notices one mail listing
// them, and returns how many digests it queued. Each person's notices are
// claimed and their mail queued in one transaction, so a notice goes in
// exactly one digest however often, and on however many nodes, this runs.
// A person whose digest fails is logged and left for the next run.
//
// Errors: errs.Forbidden (the system and admins only).
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	if err := s.d.Policy.Can(ctx, auth.PrincipalFrom(ctx), ActDigest, auth.Resource{Kind: "notices"}); err != nil {
		return 0, err
	}
	cutoff := s.now()
	people, err := waitingPeople(ctx, s.d.DB.Q(), cutoff)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range people {
		ok, err := s.sendDigest(ctx, id, cutoff)
		if err != nil {
			s.log.Error("digest not sent", "person", id, "err", err)
			continue
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// sendDigest claims one person's waiting notices and queues their digest;
// false when another run claimed them first.
func (s *Service) sendDigest(ctx context.Context, personID string, cutoff time.Time) (bool, error) {
	queued := false
	err := s.d.DB.InTx(ctx, func(tx *db.Tx) error {
		ws, err := claim(ctx, tx, personID, cutoff)
		if err != nil || len(ws) == 0 {
			return err
		}
		slices.SortFunc(ws, func(a, b waiting) int { return strings.Compare(a.ID, b.ID) })
		m := s.digestMail(ws)
		if _, err := s.d.Mail.Queue(ctx, tx, m); err != nil {
			return fmt.Errorf("queue the digest of %s: %w", personID, err)
		}
		queued = true
		return nil
	})
	return queued, err
}

// digestMail is one person's digest: every notice with its subject as a
// heading, its text, and why it was sent; then where to change the choice.
func (s *Service) digestMail(ws []waiting) mail.Message {
	n := len(ws)
	updates := "updates"
	if n == 1 {
		updates = "update"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hello,\n\nHere is what happened for you on %s since your last digest: %d %s.\n", s.d.SiteName, n, updates)
	for i, w := range ws {
		fmt.Fprintf(&b, "\n\n%d. %s\n%s\n\n%s\n(%s)\n", i+1, w.Subject, strings.Repeat("=", min(len([]rune(w.Subject))+3, 70)),
			strings.TrimSpace(w.Text), w.Why)
	}
	fmt.Fprintf(&b, "\n\nChoose which notifications come at once, in this daily digest, or not at all:\n%s\n", s.PrefsURL())
	return mail.Message{
		To:      ws[len(ws)-1].To, // the latest address the person had
		Subject: fmt.Sprintf("Your day on %s: %d %s", s.d.SiteName, n, updates),
		Text:    b.String(),
		Kind:    mail.KindService,
		Related: "notices.digest",
		Why: fmt.Sprintf("You get this because you chose a daily digest for some notifications on %s; change it at %s.",
			s.d.SiteName, s.PrefsURL()),
	}
}

// DigestArgs is the daily digest job.
type DigestArgs struct{}

// Kind names the job in River.
func (DigestArgs) Kind() string { return "notices.digest" }

// DigestWorker runs DigestArgs. Running it twice is harmless: see
// SendDigests.
type DigestWorker struct {
	river.WorkerDefaults[DigestArgs]
	Svc *Service
}

// Work sends the digests, as the system.
func (w *DigestWorker) Work(ctx context.Context, _ *river.Job[DigestArgs]) error {
	n, err := w.Svc.SendDigests(auth.WithSystem(ctx))
	if n > 0 {
		w.Svc.log.Info("daily digests queued", "digests", n)
	}
	return err
}

// RegisterJobs adds the digest worker and its daily schedule.
func (s *Service) RegisterJobs(j *jobs.Jobs) error {
	river.AddWorker(j.Workers(), &DigestWorker{Svc: s})
	return j.AddPeriodic(river.NewPeriodicJob(DailyAt{Hour: s.d.DigestHour, Minute: s.d.DigestMinute, Zone: s.d.Zone},
		func() (river.JobArgs, *river.InsertOpts) { return DigestArgs{}, nil },
		&river.PeriodicJobOpts{ID: "notices.digest"}))
}

// DailyAt is a River schedule: every day at Hour:Minute in Zone, so the
// digest comes at the same local time through summer time changes.
type DailyAt struct {
	Hour, Minute int
	Zone         *time.Location
}

// Next is the first Hour:Minute in Zone after t. On a day when that time
// does not exist (a spring-forward gap), Go's time.Date moves it on by the
// gap.
func (d DailyAt) Next(t time.Time) time.Time {
	l := t.In(d.Zone)
	next := time.Date(l.Year(), l.Month(), l.Day(), d.Hour, d.Minute, 0, 0, d.Zone)
	if !next.After(t) {
		next = time.Date(l.Year(), l.Month(), l.Day()+1, d.Hour, d.Minute, 0, 0, d.Zone)
	}
	return next
}
