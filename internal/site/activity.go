package site

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// Activity is one line of a person's own trail.
type Activity struct {
	At   time.Time
	Text string
}

// recentActivity reads the person's latest audit entries with the title of
// what each was about (a decision, an event, a group), in one query. Only
// the person's own entries are read, so a title shows only for something
// they acted on themselves.
func recentActivity(ctx context.Context, q db.Querier, userID string, limit int) ([]Activity, error) {
	rows, err := q.Query(ctx, `SELECT a.at, a.action, a.target_type, COALESCE(CASE a.target_type
			WHEN 'decision' THEN (SELECT d.title FROM decisions d WHERE d.id = a.target_id)
			WHEN 'event' THEN (SELECT e.title FROM events e WHERE e.id = a.target_id)
			WHEN 'group' THEN (SELECT g.name FROM groups g WHERE g.id = a.target_id) END, '')
		FROM audit_log a WHERE a.actor_id = ? ORDER BY a.id DESC LIMIT `+fmt.Sprint(limit), userID)
	if err != nil {
		return nil, fmt.Errorf("recent activity: %w", err)
	}
	defer rows.Close()
	var out []Activity
	for rows.Next() {
		var at time.Time
		var action, kind, title string
		if err := rows.Scan(&at, &action, &kind, &title); err != nil {
			return nil, fmt.Errorf("recent activity: %w", err)
		}
		out = append(out, Activity{At: at.UTC(), Text: describe(action, kind, title)})
	}
	return out, rows.Err()
}

// describe turns an audit action into a sentence about oneself, naming what
// it was about where known ("You voted in ‘Rent strike ballot’."). An
// action missing from the table is still written in words, from its
// target's kind.
func describe(action, kind, title string) string {
	what := nouns[kind]
	if what == "" {
		what = "something"
	}
	if title != "" {
		what = "‘" + title + "’"
	}
	s, ok := activityText[action]
	if !ok {
		s = "You made a change to {}."
	}
	return strings.ReplaceAll(s, "{}", what)
}

// nouns name a target when its title is not known.
var nouns = map[string]string{
	"decision": "a decision", "event": "an event", "group": "a group", "person": "a person's record",
	"user": "an account", "broadcast": "a message", "thread": "a discussion", "comment": "a comment",
	"action": "a petition or form", "document": "a document", "webhook": "a webhook", "tag": "a tag",
	"session": "your session", "job": "a background job", "region": "a region",
}

// activityText is the sentence for each audit action; {} stands for what it
// was about.
var activityText = map[string]string{
	"user.signup":                   "You signed up.",
	"user.verify_email":             "You confirmed your email address.",
	"session.login":                 "You logged in with your password.",
	"session.login_link":            "You logged in with an emailed link.",
	"session.totp_verified":         "You completed two-factor sign-in.",
	"session.logout":                "You logged out.",
	"user.password_reset":           "You reset your password.",
	"user.password_changed":         "You changed your password.",
	"user.password_reset_requested": "You asked for a password reset link.",
	"user.email_change_requested":   "You asked to change your email address.",
	"user.login_link_sent":          "You asked for a log-in link.",
	"user.email_change":             "You changed your email address.",
	"user.totp_enabled":             "You turned on two-factor sign-in.",
	"user.totp_disabled":            "You turned off two-factor sign-in.",
	"user.role_changed":             "You changed someone's role in the network.",
	"user.created":                  "You created an account.",
	"user.admin_created":            "You created an account.",
	"user.delete":                   "You deleted an account.",
	"live.announce":                 "You sent an announcement.",
	"api_token.created":             "You created an API token.",
	"api_token.revoked":             "You revoked an API token.",
	"group.joined":                  "You joined {}.",
	"group.join_requested":          "You asked to join {}.",
	"group.left":                    "You left {}.",
	"group.accepted":                "You accepted an invitation to {}.",
	"group.request_approved":        "You approved a request to join {}.",
	"group.request_rejected":        "You turned down a request to join {}.",
	"group.invited":                 "You invited someone to {}.",
	"group.show_name_changed":       "You changed who sees your name in {}.",
	"group.created":                 "You created {}.",
	"group.updated":                 "You updated {}.",
	"group.role_changed":            "You changed someone's role in {}.",
	"group.archived":                "You archived {}.",
	"group.revived":                 "You revived {}.",
	"group.merged":                  "You merged {} into another group.",
	"group.merged_in":               "You merged another group into {}.",
	"group.members_imported":        "You imported members into {}.",
	"group.dormant":                 "{} became dormant.",
	"decision.created":              "You started {}.",
	"decision.updated":              "You edited {}.",
	"decision.voted":                "You voted in {}.",
	"decision.vote_changed":         "You changed your vote in {}.",
	"decision.ballots_cast":         "You recorded paper ballots in {}.",
	"decision.nominated":            "You made a nomination in {}.",
	"decision.seconded":             "You seconded a nomination in {}.",
	"decision.voting_opened":        "You opened voting in {}.",
	"decision.closed":               "You closed {}.",
	"decision.reminded":             "You reminded voters about {}.",
	"decision.discussion":           "You opened {} for discussion.",
	"decision.withdrawn":            "You withdrew {}.",
	"decision.nominations_opened":   "You opened nominations in {}.",
	"decision.published":            "You published the result of {}.",
	"events.create":                 "You created {}.",
	"events.update":                 "You updated {}.",
	"events.cancel":                 "You cancelled {}.",
	"events.cancel_by_link":         "You cancelled your place at {}.",
	"events.rsvp":                   "You replied to {}.",
	"events.check_in":               "You checked someone in at {}.",
	"events.remind":                 "You reminded people about {}.",
	"events.follow_up":              "You followed up {}.",
	"events.add_shift":              "You added a shift to {}.",
	"events.remove_shift":           "You removed a shift from {}.",
	"person.data_exported":          "You downloaded the data we hold on you.",
	"person.consent_set":            "You changed a consent setting.",
	"person.created":                "You added a person.",
	"person.updated":                "You updated a person's record.",
	"person.tagged":                 "You tagged a person.",
	"person.untagged":               "You removed a tag from a person.",
	"person.note_added":             "You wrote a note.",
	"person.membership_set":         "You changed a person's membership.",
	"person.merged":                 "You merged two people's records.",
	"person.erased":                 "You erased a person's data.",
	"person.donation_added":         "You recorded a donation.",
	"person.account_linked":         "You linked an account to a person.",
	"people.import":                 "You imported people.",
	"people.import_staged":          "You uploaded people to import.",
	"people.exported":               "You exported people.",
	"people.distinct":               "You marked two people as different.",
	"people_list.saved":             "You saved a list of people.",
	"person_field.defined":          "You defined a custom field.",
	"tag.created":                   "You created a tag.",
	"region.created":                "You created a region.",
	"notices.prefs_changed":         "You changed your notification settings.",
	"broadcast.created":             "You wrote a message.",
	"broadcast.updated":             "You edited a message.",
	"broadcast.started":             "You sent a message.",
	"broadcast.test_sent":           "You sent yourself a test message.",
	"broadcast.unsubscribed":        "You unsubscribed someone.",
	"broadcast.resubscribed":        "You resubscribed someone.",
	"messaging.settings_changed":    "You changed the messaging settings.",
	"suppression.added":             "You blocked an address from messages.",
	"suppression.lifted":            "You unblocked an address.",
	"talk.edit":                     "You edited a comment.",
	"talk.edit_thread":              "You edited a discussion.",
	"talk.hide":                     "You hid a comment.",
	"talk.unhide":                   "You showed a hidden comment again.",
	"talk.dismiss":                  "You dismissed a flag on a comment.",
	"talk.lock":                     "You locked a discussion.",
	"talk.pin":                      "You pinned a discussion.",
	"talk.mute":                     "You muted someone in the discussions.",
	"talk.unmute":                   "You unmuted someone in the discussions.",
	"library.document_created":      "You wrote a document.",
	"library.document_saved":        "You edited a document.",
	"library.document_deleted":      "You deleted a document.",
	"library.folder_created":        "You created a folder in the library.",
	"library.attachment_added":      "You attached a file to a document.",
	"library.attachment_deleted":    "You removed an attachment.",
	"library.path_created":          "You created a learning path.",
	"library.path_step_added":       "You added a step to a learning path.",
	"actions.create":                "You created a petition or form.",
	"actions.update":                "You edited a petition or form.",
	"actions.status":                "You opened or closed a petition or form.",
	"actions.confirm":               "You confirmed your signature.",
	"webhook.created":               "You added a webhook.",
	"webhook.updated":               "You changed a webhook.",
	"webhook.deleted":               "You deleted a webhook.",
	"webhook.tested":                "You tested a webhook.",
	"webhook.secret_rotated":        "You rotated a webhook's secret.",
	"webhook.delivery_retried":      "You retried a webhook delivery.",
	"job.retry":                     "You retried a background job.",
	"job.cancel":                    "You cancelled a background job.",
	"job.ping":                      "You checked the background jobs.",
	"job.ping_requested":            "You checked the background jobs.",
	"mail.read":                     "You read a message in the mail log.",
}
