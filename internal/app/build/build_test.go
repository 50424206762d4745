package build_test

import (
	"context"
	"testing"

	"github.com/riverqueue/river"

	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/app/build"
	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// TestNewRegistersEveryWorker builds every service as serve does and
// checks that a job of each kind the services enqueue is accepted: River
// refuses a kind with no worker, so a worker left unregistered fails here
// rather than on the first insert in production.
func TestNewRegistersEveryWorker(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		s, err := build.New(context.Background(), build.Options{DB: d, Config: config.Config{TimeZone: "Europe/London", DataDir: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, args := range []river.JobArgs{mail.SendArgs{}, core.PurgeArgs{}, core.LadderArgs{}, groups.DormantArgs{},
			peopleio.ImportArgs{}, events.RemindArgs{}, events.FollowUpArgs{}, decisions.AdvanceArgs{}, decisions.RemindArgs{},
			messaging.SendArgs{BroadcastID: "none"}, messaging.ScheduleArgs{}, // messaging: issue 12
			webhooks.DispatchArgs{}, webhooks.DeliverArgs{EndpointID: "none"}, webhooks.PurgeArgs{}} { // issue 14
			if _, err := s.Jobs.Insert(context.Background(), args, nil); err != nil {
				t.Errorf("insert %s: %v", args.Kind(), err)
			}
		}
		if _, err := s.Jobs.Insert(context.Background(), unknownArgs{}, nil); err == nil {
			t.Error("a job kind with no worker was accepted: the check above proves nothing")
		}
	})
}

type unknownArgs struct{}

func (unknownArgs) Kind() string { return "test.unknown" }

// TestNewWithoutDatabase: no database, no services.
func TestNewWithoutDatabase(t *testing.T) {
	if _, err := build.New(context.Background(), build.Options{}); err == nil {
		t.Fatal("build.New without a database succeeded")
	}
}
