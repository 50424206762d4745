// Package build makes every service of Momentum, once, in dependency order,
// each given every collaborator it needs in its constructor: the first tier
// (platform, people, groups) through package core, then the importer,
// events, decisions and the site. app.New, the command line (import, export) and
// the tests of the web and API packages all build through here, so none of
// them wires a service by hand or copies an adapter.
//
// Where two capabilities need each other, one side takes a hook.Hook that
// is set here once both exist; New checks that every hook is set before it
// returns. The River client is made first, without workers, so services can
// enqueue through it; each service registers its own workers (RegisterJobs)
// once all exist, before the jobs start (see internal/platform/jobs).
//
// It imports the capabilities and the platform, never app.
package build

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/momentum-movement/momentum/internal/actions"
	"github.com/momentum-movement/momentum/internal/actions/webhooks"
	"github.com/momentum-movement/momentum/internal/app/build/core"
	"github.com/momentum-movement/momentum/internal/decisions"
	"github.com/momentum-movement/momentum/internal/events"
	"github.com/momentum-movement/momentum/internal/groups"
	"github.com/momentum-movement/momentum/internal/library"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/messaging/sms"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/people/peopleio"
	"github.com/momentum-movement/momentum/internal/platform/files"
	"github.com/momentum-movement/momentum/internal/platform/web"
	"github.com/momentum-movement/momentum/internal/site"
	"github.com/momentum-movement/momentum/internal/site/searchweb"
	"github.com/momentum-movement/momentum/internal/talk"
)

// Options are what New builds from; see core.Options.
type Options = core.Options

// Services is every service of a node, built and wired.
type Services struct {
	*core.Services
	Events *events.Service
	// Decisions holds proposals, ballots and elections.
	Decisions *decisions.Service
	// Importer imports people from CSV files (CLI, web wizard, demo).
	Importer *peopleio.Importer
	Site     *site.Service
	// SMS (issue 12): the provider (sms.Disabled when not configured), the
	// rate-limited sender SMS broadcasts go through, and the inbox that
	// acts on STOP and START (build/sms.go).
	SMS       sms.Provider
	SMSSender *sms.Sender
	SMSInbox  *sms.Inbox
	// Messaging sends broadcasts (issue 12).
	Messaging *messaging.Service
	// Feedback is what comes back from broadcasts: unsubscribe links,
	// providers' bounces and complaints, suppressions, opens and clicks.
	Feedback *messaging.Feedback
	// Notices delivers events' and decisions' notices as each person
	// chose (instant, daily digest, off): issue 12.
	Notices *notices.Service
	// Talk is discussion: threads, comments, mentions, moderation (issue 13).
	Talk *talk.Service
	// Library is the knowledge base (issue 13): documents with
	// revisions, attachments in Files, learning paths.
	Library *library.Service
	// Files keeps the library's attachments: on disk under DataDir, or
	// in S3-compatible storage when MOMENTUM_S3_* is set (issue 13).
	Files files.Store
	// Search answers the search page (issue 13: build/search.go).
	Search *searchweb.Service
	// Actions are petitions and forms (issue 14).
	Actions *actions.Service
	// Webhooks turns the outbox into signed deliveries to the endpoints
	// admins register (issue 14: build/webhooks.go).
	Webhooks *webhooks.Service
}

// New builds every service. It migrates River's tables (ours must be
// migrated already), registers every worker, and fails if any service or
// hook is missing a collaborator. The caller must Close the Services.
func New(ctx context.Context, o Options) (_ *Services, err error) {
	// The network's time zone: times in mail, on the dashboard and on
	// pages, and the zone of events given none.
	zone, err := o.Config.Location()
	if err != nil {
		return nil, fmt.Errorf("MOMENTUM_TIME_ZONE: %w", err)
	}
	// The ballot key lives outside the database (docs/SECURITY.md,
	// "Ballot secrecy"); it is made on first start.
	key, err := decisions.LoadBallotKey(o.Config.BallotKeyPath())
	if err != nil {
		return nil, err
	}
	c, err := core.New(ctx, o)
	if err != nil {
		return nil, err
	}
	s := &Services{Services: c}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	base := o.Config.PublicURL()
	s.Policy.AddRules(peopleio.Rules()...)
	s.Policy.AddRules(events.Rules()...)
	s.Policy.AddRules(decisions.Rules()...)
	s.Policy.AddRules(messaging.Rules()...) // issue 12: messaging
	s.Policy.AddRules(talk.Rules()...)      // issue 13: talk

	if err := s.buildSMS(o); err != nil { // SMS (issue 12)
		return nil, err
	}
	if s.Importer, err = peopleio.New(peopleio.Deps{DB: s.DB, Policy: s.Policy, Log: s.Log, Now: o.Now, Groups: s.Groups,
		Jobs: s.Jobs, Dir: filepath.Join(o.Config.DataDir, "imports")}); err != nil {
		return nil, err
	}
	// Notification preferences (issue 12): events and decisions hand
	// their notices to it, each kind declared by its capability.
	s.Policy.AddRules(notices.Rules()...)
	digestHour, digestMinute, err := o.Config.DigestAt()
	if err != nil {
		return nil, fmt.Errorf("MOMENTUM_DIGEST_TIME: %w", err)
	}
	if s.Notices, err = notices.New(notices.Deps{DB: s.DB, Policy: s.Policy, Mail: s.Mail, Log: s.Log, Now: o.Now,
		Kinds:    slices.Concat(events.NoticeKinds(), decisions.NoticeKinds(), talk.NoticeKinds()), // talk: issue 13
		SiteName: o.Config.SiteName, BaseURL: base, Zone: zone, DigestHour: digestHour, DigestMinute: digestMinute}); err != nil {
		return nil, err
	}
	if s.Events, err = events.New(events.Deps{DB: s.DB, Policy: s.Policy, Log: s.Log, Now: o.Now, People: s.People,
		Recorder: s.People, Notifier: events.NewMailNotifier(s.Notices, s.People, base),
		Guests: events.PeopleGuests{People: s.People}, BaseURL: base, Zone: zone}); err != nil {
		return nil, err
	}
	reminder, err := decisions.NewMailReminder(s.Notices, base, zone)
	if err != nil {
		return nil, err
	}
	if s.Decisions, err = decisions.New(decisions.Deps{DB: s.DB, Policy: s.Policy, Log: s.Log, Now: o.Now,
		Live: s.Live, Reminder: reminder, Key: key, Zone: zone /* issue 16 */}); err != nil {
		return nil, err
	}
	// A node whose key is not the one this database's ballots were sealed
	// with refuses to start.
	if err := s.Decisions.CheckBallotKey(ctx); err != nil {
		return nil, err
	}
	// Messaging (issue 12): broadcasts to people, events' attendees and
	// decisions' electorates, through adapters (build/messaging.go).
	if s.Messaging, err = messaging.New(messaging.Deps{DB: s.DB, Policy: s.Policy, Jobs: s.Jobs, Mail: s.Mail, Live: s.Live,
		Log: s.Log, Now: o.Now, People: s.People, Events: messagingEvents{s.Events},
		Decisions: messagingDecisions{s.Decisions}, BaseURL: base, SiteName: o.Config.SiteName, Zone: zone,
		SMS: s.SMSSender}); err != nil {
		return nil, err
	}
	// issue 13: talk, with decisions and events as the subjects of
	// attached threads (build/talk.go). Its rows belong to accounts, not
	// person records, so it is no PersonMover.
	if s.Talk, err = talk.New(talk.Deps{DB: s.DB, Policy: s.Policy, Log: s.Log, Now: o.Now,
		Subjects: talkSubjects{decisions: s.Decisions, events: s.Events}, Notices: s.Notices, People: s.People,
		Groups:  s.Groups, // issue 13: a new thread or comment is activity in its group
		BaseURL: base}); err != nil {
		return nil, err
	}
	// issue 14: petitions and forms, their responses signing people up
	// through People, with mail, live counts and the outbox.
	s.Policy.AddRules(actions.Rules()...)
	if s.Actions, err = actions.New(actions.Deps{DB: s.DB, Policy: s.Policy, People: s.People, Mail: s.Mail,
		Live: s.Live, DoubleOptIn: o.Config.DoubleOptIn, BaseURL: base, SiteName: o.Config.SiteName,
		Log: s.Log, Now: o.Now}); err != nil {
		return nil, err
	}
	// Their rows about a person follow the person through a merge.
	s.Movers.Set([]people.PersonMover{s.Decisions, s.Events, s.Notices, s.Actions}) // Notices: issue 12; Actions: issue 14
	// issue 13: a group page's Discussions (groupTalkPanel), its library
	// (groupLibraryPanel; s.Library is built below, before any page asks)
	// and its decision log (groupDecisionsPanel).
	s.GroupPanels.Set([]groups.PanelFunc{s.groupEventsPanel, s.groupTalkPanel, s.groupLibraryPanel,
		s.groupDecisionsPanel,
		s.groupActionsPanel}) // issue 14 (actionsweb): the group's petitions and forms, for its organisers

	// issue 16: the viewer's groups resolved once per dashboard, the
	// network counted from people, and what needs the viewer now
	// (build/panels_attention.go); the urgent ones are shown first.
	if s.Site, err = site.New(site.Deps{DB: s.DB, Auth: s.Auth, Policy: s.Policy, Memberships: s.siteMemberships, Figures: s.siteFigures, Panels: []site.PanelFunc{
		s.requestsPanel, s.decisionsWaitingPanel, s.moderationPanel, s.quietGroupsPanel,
		s.comingPanel, s.newMembersPanel, s.scheduledPanel, // issue 16
		s.myGroupsPanel, s.myEventsPanel, s.votesPanel(zone), s.figuresPanel,
		s.messagesPanel,
		s.talkPanel, // issue 13: discussions with something new
	}}); err != nil {
		return nil, err
	}
	// Broadcast feedback (issue 12): one-click unsubscribe, delivery
	// webhooks, suppressions, opens and clicks (messaging/feedback.go).
	s.Policy.AddRules(messaging.FeedbackRules()...)
	if s.Feedback, err = messaging.NewFeedback(messaging.FeedbackDeps{DB: s.DB, Policy: s.Policy, People: s.People,
		Log: s.Log, Now: o.Now, BaseURL: base, SiteName: cmp.Or(o.Config.SiteName, "Momentum")}); err != nil {
		return nil, err
	}
	// issue 13: the knowledge base, its attachments where the config says.
	s.Policy.AddRules(library.Rules()...)
	if s.Files, err = files.FromConfig(o.Config); err != nil {
		return nil, err
	}
	if s.Library, err = library.New(library.Deps{DB: s.DB, Policy: s.Policy, Files: s.Files,
		Limits: files.LimitsFromConfig(o.Config), Log: s.Log, Now: o.Now}); err != nil {
		return nil, err
	}
	if err := s.buildSearch(ctx); err != nil { // issue 13: search (build/search.go)
		return nil, err
	}
	if err := s.buildWebhooks(o); err != nil { // issue 14: webhooks (build/webhooks.go)
		return nil, err
	}
	if err := s.Check(); err != nil {
		return nil, err
	}
	if err := s.Importer.RegisterJobs(s.Jobs); err != nil {
		return nil, err
	}
	if err := s.Events.RegisterJobs(s.Jobs); err != nil {
		return nil, err
	}
	if err := s.Decisions.RegisterJobs(s.Jobs); err != nil {
		return nil, err
	}
	if err := s.Messaging.RegisterJobs(s.Jobs); err != nil {
		return nil, err
	}
	if err := s.Notices.RegisterJobs(s.Jobs); err != nil { // the daily digest (issue 12)
		return nil, err
	}
	if err := s.Webhooks.RegisterJobs(s.Jobs); err != nil { // issue 14: dispatch and deliver
		return nil, err
	}
	return s, nil
}

// groupLibraryPanel (issue 13) is a group page's "Library": the documents
// saved last that the viewer may read, and a link to the group's library.
func (s *Services) groupLibraryPanel(ctx context.Context, g *groups.Group) (*groups.Panel, error) {
	ds, err := s.Library.Recent(ctx, g.ID, 5)
	if err != nil {
		return nil, err
	}
	panel := &groups.Panel{Title: "Library", Empty: "No documents yet.",
		MoreURL: "/groups/" + g.Slug + "/library", More: "Open the group's library"}
	for _, d := range ds {
		panel.Items = append(panel.Items, groups.PanelItem{Text: d.Title, URL: "/library/d/" + d.ID,
			Note: "saved " + web.Date(d.UpdatedAt, s.Events.Zone())}) // issue 16
	}
	return panel, nil
}
