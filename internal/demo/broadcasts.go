package demo

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/app"
	"github.com/momentum-movement/momentum/internal/messaging"
	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/db"
)

// demoBroadcast is one of the demo's broadcasts. Sent ones happened in the
// month before the demo began; one is scheduled for next week; one is a
// draft.
type demoBroadcast struct {
	subject, body string
	// group is "" for the network's, else "largest" or "second": the local
	// group with the most members, or the next.
	group  string
	target messaging.Target // for a group's broadcast, its group (filled in)
	// daysAgo is when it was sent (0: not sent). track: opens and clicks
	// were counted (the network had the setting on then).
	daysAgo int
	track   bool
	// bounce is the share of hard bounces, in tenths of a percent.
	bounce int
	// scheduled: sent by the scheduler next week (through the service).
	scheduled bool
}

var demoBroadcasts = []demoBroadcast{
	{subject: "We did it: 100,000 signatures for our NHS", daysAgo: 38, bounce: 14,
		target: messaging.Target{Kind: messaging.TargetTag, Name: "petition-nhs"},
		body: "Dear {{first_name}},\n\nThank you. Our petition to keep the NHS public passed **100,000 signatures** " +
			"on Saturday, and Parliament must now consider it for debate.\n\nThe next step is to be there: {{next_event}}."},
	{subject: "Your new National Committee", daysAgo: 24, bounce: 9,
		target: messaging.Target{Kind: messaging.TargetFilter, Query: "membership_status=member"},
		body: "Dear {{first_name}},\n\nThe count is published: five members were elected to the National Committee " +
			"by the single transferable vote. You can see every round of the count on the decisions page.\n\n" +
			"Thank you to everyone who stood, and to everyone who voted."},
	{subject: "The monthly bulletin: rent, rallies and a new branch", daysAgo: 11, bounce: 6, track: true,
		target: messaging.Target{Kind: messaging.TargetTag, Name: "newsletter"},
		body: "Hello {{first_name}},\n\n- The tenants' union's rent strike enters its third week.\n" +
			"- Rallies for the NHS in twelve towns this month.\n- A new branch in your region.\n\nSee you at {{next_event}}."},
	{subject: "Canvassing this Saturday: meet at 11", group: "largest", daysAgo: 16, bounce: 11,
		body: "Hi {{first_name}},\n\nWe are knocking on doors this Saturday. Meet at 11 outside the library; " +
			"we pair newcomers with someone who has done it before. Boots and a warm coat recommended."},
	{subject: "Branch meeting moved to Thursday", group: "second", daysAgo: 6, bounce: 5,
		body: "Hi {{first_name}},\n\nThis month's branch meeting is on **Thursday** at 7pm, not Tuesday: " +
			"the hall was double-booked. Same place, same agenda."},
	{subject: "Day of action for renters: join us", scheduled: true,
		target: messaging.Target{Kind: messaging.TargetTag, Name: "tenant"},
		body: "Dear {{first_name}},\n\nNext Saturday, renters' unions across the country take to the streets. " +
			"Find your nearest action: {{next_event}}."},
	{subject: "December bulletin (draft)",
		target: messaging.Target{Kind: messaging.TargetTag, Name: "newsletter"},
		body:   "Hello {{first_name}},\n\nNotes for December: the winter appeal, the carol singing, the AGM."},
}

// loadBroadcasts adds the demo's broadcasts: three network broadcasts and
// two group broadcasts sent last month with their figures, one scheduled
// for next week and one draft. Each is written by the messaging service
// (Create; Schedule for the scheduled one). The sent ones' history is
// written directly (docs/PERFORMANCE.md, "Loading the demo's broadcasts"): their
// recipients, chosen as the service chooses them (email consent granted,
// an address, not suppressed), each with its outcome — accepted, a hard
// bounce (0.5–1.5 %, then suppressed), a complaint or a refusal now and
// then, an unsubscribe (about 0.2 %, written to the person's consent) —
// and opens and clicks only where tracking was on. Sending them through
// the service would send ten thousand mails to the demo's made-up people
// and take minutes; a demo must load in seconds.
//
// Broadcasts are found by subject, so a run killed half-way carries on:
// one sent broadcast's figures are written in one transaction with its
// status, so it is either done or still a draft.
func loadBroadcasts(ctx context.Context, a *app.App, nw Network, began time.Time) error {
	groupIDs, err := largestGroups(ctx, a.DB, 2)
	if err != nil {
		return err
	}
	existing, err := broadcastsBySubject(ctx, a.DB)
	if err != nil {
		return err
	}
	for i, d := range demoBroadcasts {
		if d.group != "" {
			k := map[string]int{"largest": 0, "second": 1}[d.group]
			if k >= len(groupIDs) {
				continue // a demo too small to have two groups with members
			}
			d.target = messaging.Target{Kind: messaging.TargetGroup, ID: groupIDs[k]}
		}
		in := messaging.Input{Channel: messaging.ChannelEmail, Subject: d.subject, Body: d.body, Targets: []messaging.Target{d.target}}
		if d.target.Kind == messaging.TargetGroup {
			in.GroupID = d.target.ID
		}
		b := existing[d.subject]
		if b.id == "" {
			created, err := a.Messaging.Create(ctx, in)
			if err != nil {
				return fmt.Errorf("demo broadcast %q: %w", d.subject, err)
			}
			b = broadcastRow{id: created.ID, status: created.Status}
		}
		if b.status != messaging.StatusDraft {
			continue // done by a previous run
		}
		switch {
		case d.scheduled:
			// Next week from today: a killed run finished days later
			// still schedules it in the future.
			day := latest(began, time.Now()).In(a.Zone).AddDate(0, 0, 7)
			at := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, a.Zone)
			if _, err := a.Messaging.Schedule(ctx, b.id, at); err != nil {
				return fmt.Errorf("demo broadcast %q: %w", d.subject, err)
			}
		case d.daysAgo > 0:
			r := rand.New(rand.NewPCG(nw.Seed, 12<<16|uint64(i)))
			if err := writeSent(ctx, a, b.id, d, in.GroupID, began, r); err != nil {
				return fmt.Errorf("demo broadcast %q: %w", d.subject, err)
			}
		}
	}
	return nil
}

// broadcastRow is a broadcast a previous run made.
type broadcastRow struct{ id, status string }

func broadcastsBySubject(ctx context.Context, d *db.DB) (map[string]broadcastRow, error) {
	rows, err := d.Q().Query(ctx, `SELECT id, subject, status FROM broadcasts`)
	if err != nil {
		return nil, fmt.Errorf("demo broadcasts: %w", err)
	}
	defer rows.Close()
	out := map[string]broadcastRow{}
	for rows.Next() {
		var b broadcastRow
		var subject string
		if err := rows.Scan(&b.id, &subject, &b.status); err != nil {
			return nil, err
		}
		out[subject] = b
	}
	return out, rows.Err()
}

// largestGroups returns the ids of the n local groups with the most active
// members, largest first.
func largestGroups(ctx context.Context, d *db.DB, n int) ([]string, error) {
	rows, err := d.Q().Query(ctx, `SELECT g.id FROM groups g JOIN group_members m ON m.group_id = g.id AND m.status = 'active'
		WHERE g.kind = 'local' GROUP BY g.id ORDER BY COUNT(*) DESC, g.id LIMIT `+fmt.Sprint(n))
	if err != nil {
		return nil, fmt.Errorf("demo broadcasts: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// segment is the SQL condition (on people p) for a demo broadcast's target.
func segment(t messaging.Target) (string, []any) {
	switch t.Kind {
	case messaging.TargetTag:
		return `EXISTS (SELECT 1 FROM person_tags pt JOIN tags tg ON tg.id = pt.tag_id WHERE pt.person_id = p.id AND tg.name_key = ?)`,
			[]any{strings.ToLower(t.Name)}
	case messaging.TargetGroup:
		return `EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = ? AND gm.person_id = p.id AND gm.status = 'active')`, []any{t.ID}
	}
	return `p.membership_status = 'member'`, nil // the one filter the demo uses
}

// recipient is one row of a sent demo broadcast.
type recipient struct {
	person, address, status, errText string
	code                             int
	sent, opened, clicked, unsub     time.Time
}

// writeSent writes a sent broadcast's recipients and figures, and the
// suppressions and consent withdrawals they caused, in one transaction.
func writeSent(ctx context.Context, a *app.App, id string, d demoBroadcast, groupID string, began time.Time, r *rand.Rand) error {
	day := began.In(a.Zone).AddDate(0, 0, -d.daysAgo)
	start := time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, a.Zone).UTC()
	cond, args := segment(d.target)
	return a.DB.InTx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT p.id, p.email FROM people p
			JOIN consents c ON c.person_id = p.id AND c.channel = 'email' AND c.status = 'granted'
			WHERE p.email IS NOT NULL AND p.email <> '' AND p.erased_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.address = p.email)
			AND `+cond+` ORDER BY p.id`, args...)
		if err != nil {
			return err
		}
		var rs []recipient
		for rows.Next() {
			var rc recipient
			if err := rows.Scan(&rc.person, &rc.address); err != nil {
				rows.Close()
				return err
			}
			rs = append(rs, rc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// About 600 mails a minute: a small server's rate.
		span := time.Duration(len(rs)/10+1) * time.Second
		var unsubs []recipient
		for i := range rs {
			rc := &rs[i]
			rc.sent = start.Add(span * time.Duration(i) / time.Duration(max(len(rs), 1))).Truncate(time.Microsecond)
			rc.status = messaging.RecipientSent
			switch x := r.IntN(1000); {
			case x < d.bounce:
				rc.status, rc.code, rc.errText = messaging.RecipientBounced, 550, "550 5.1.1 The email account that you tried to reach does not exist."
			case x < d.bounce+1:
				rc.status, rc.code, rc.errText = messaging.RecipientFailed, 552, "552 5.2.2 The recipient's mailbox is full."
				rc.sent = time.Time{}
			case x < d.bounce+2 && r.IntN(3) == 0:
				rc.status = messaging.RecipientComplained
			case x < d.bounce+4:
				rc.unsub = rc.sent.Add(time.Duration(1+r.IntN(48)) * time.Hour)
				unsubs = append(unsubs, *rc)
			}
			if d.track && rc.status == messaging.RecipientSent {
				if r.IntN(100) < 34 {
					rc.opened = rc.sent.Add(time.Duration(2+r.IntN(2000)) * time.Minute)
					if r.IntN(100) < 14 {
						rc.clicked = rc.opened.Add(time.Duration(10+r.IntN(300)) * time.Second)
					}
				}
			}
		}
		if err := insertRecipients(ctx, tx, id, rs); err != nil {
			return err
		}
		for _, rc := range rs {
			reason := map[string]string{messaging.RecipientBounced: "bounce", messaging.RecipientComplained: "complaint"}[rc.status]
			if reason == "" {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO suppressions (address, reason, source, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (address) DO NOTHING`, rc.address, reason, "demo: "+rc.errText, rc.sent.Add(time.Hour)); err != nil {
				return err
			}
		}
		// The demo's contacts were imported as it loaded, so their consent
		// dates from then: a withdrawal dated last month would be older than
		// the consent it withdraws. It is recorded as of now, naming the
		// broadcast it came from, so that it takes effect.
		for _, rc := range unsubs {
			if err := a.People.SetConsentTx(ctx, tx, rc.person, people.Consent{Channel: people.ChannelEmail,
				Status: people.ConsentWithdrawn, Source: "unsubscribe link: " + d.subject}); err != nil {
				return err
			}
		}
		finished := start.Add(span + time.Minute)
		created := start.Add(-26 * time.Hour)
		_, err = tx.Exec(ctx, `UPDATE broadcasts SET status = ?, track = ?, recipients = ?, created_at = ?, updated_at = ?,
			started_at = ?, finished_at = ? WHERE id = ?`,
			messaging.StatusSent, d.track, len(rs), created, finished, start, finished, id)
		return err
	})
}

// insertRecipients writes the rows in statements of 200.
func insertRecipients(ctx context.Context, tx *db.Tx, id string, rs []recipient) error {
	null := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	for from := 0; from < len(rs); from += 200 {
		batch := rs[from:min(from+200, len(rs))]
		var q strings.Builder
		q.WriteString(`INSERT INTO broadcast_recipients (broadcast_id, person_id, address, token, status, attempts, sent_at,
			error, smtp_code, opened_at, clicked_at, unsubscribed_at) VALUES `)
		args := make([]any, 0, len(batch)*12)
		for i, rc := range batch {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)")
			args = append(args, id, rc.person, rc.address, token(), rc.status, null(rc.sent), rc.errText, rc.code,
				null(rc.opened), null(rc.clicked), null(rc.unsub))
		}
		if _, err := tx.Exec(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("demo recipients: %w", err)
		}
	}
	return nil
}

// token is a recipient's unsubscribe token, as the service makes them:
// 128 random bits (not from the seed, since it is the key to their
// unsubscribe link), URL-safe.
func token() string {
	var b [16]byte
	crand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
