package peopleapi

import (
	"context"
	"strings"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// asked is a subscription status a client sent for one channel.
type asked struct {
	channel string // people.ChannelEmail or people.ChannelSMS
	status  string // subscribed or unsubscribed
	field   string // where it was, for errors
}

// statuses reads the subscription statuses of a request: the primary email
// address's status is the email channel, the primary phone number's the
// SMS channel. It refuses any other value.
func statuses(pi *PersonInput, prefix string) ([]asked, error) {
	var out []asked
	bad := map[string]string{}
	add := func(channel, status, field string) {
		switch status {
		case "":
		case subscribed, unsubscribed:
			out = append(out, asked{channel: channel, status: status, field: field})
		default:
			bad[field] = "Use subscribed or unsubscribed."
		}
	}
	if e := primaryEmail(pi.EmailAddresses); e != nil {
		add(people.ChannelEmail, strings.TrimSpace(e.Status), prefix+"email_addresses.status")
	}
	if n := primaryPhone(pi.PhoneNumbers); n != nil {
		add(people.ChannelSMS, strings.TrimSpace(n.Status), prefix+"phone_numbers.status")
	}
	return out, errs.Fields(bad)
}

// msgNeedWording refuses "subscribed" when neither the token nor the
// request carries the words the person agreed to.
const msgNeedWording = "To subscribe someone through the API, the consent wording they agreed to is needed: " +
	"give the API token a consent wording (momentum token create --consent-wording) or send consent.wording with the signup."

// consentChanges turns statuses into the consent to record for a person
// whose current state is current (an update). A status that only repeats
// the current state records nothing, so a client may send back what it
// read. "subscribed" grants consent with wording (the token's, or the
// request's); without one it is accepted only when consent is already
// granted. "unsubscribed" withdraws granted consent. source says how it
// was given ("api: regional hub sync").
func consentChanges(current *people.Person, as []asked, wording, source string) ([]people.Consent, error) {
	var out []people.Consent
	bad := map[string]string{}
	for _, a := range as {
		granted := current != nil && current.HasConsent(a.channel)
		switch {
		case a.status == subscribed && granted:
		case a.status == subscribed && wording != "":
			out = append(out, people.Consent{Channel: a.channel, Status: people.ConsentGranted, Source: source, Wording: wording})
		case a.status == subscribed:
			bad[a.field] = msgNeedWording
		case a.status == unsubscribed && granted:
			out = append(out, people.Consent{Channel: a.channel, Status: people.ConsentWithdrawn, Source: source})
		}
	}
	return out, errs.Fields(bad)
}

// signupConsents is consentChanges for a signup, whose person may be new
// (current nil and known) or unknown to the viewer (known false). As on
// Action Network, a new person's email address is subscribed when no
// status is sent, but only with a consent wording to record (see
// docs/API.md, "Consent"); an "unsubscribed" for a person the viewer
// cannot see is recorded, since withdrawing is always safe.
func signupConsents(current *people.Person, known, hasEmail bool, as []asked, wording, source string) ([]people.Consent, error) {
	emailAsked := false
	for _, a := range as {
		emailAsked = emailAsked || a.channel == people.ChannelEmail
	}
	if hasEmail && !emailAsked && current == nil && known && wording != "" {
		as = append(as, asked{channel: people.ChannelEmail, status: subscribed})
	}
	out, err := consentChanges(current, as, wording, source)
	if err != nil || known {
		return out, err
	}
	for _, a := range as {
		if a.status == unsubscribed {
			out = append(out, people.Consent{Channel: a.channel, Status: people.ConsentWithdrawn, Source: source})
		}
	}
	return out, nil
}

// tokenWording is the consent wording of the request's API token, if any.
func tokenWording(ctx context.Context) string {
	if p := auth.PrincipalFrom(ctx); p != nil {
		return strings.TrimSpace(p.ConsentWording)
	}
	return ""
}

// source is how consent recorded through the API is described: "api: " and
// the token's name.
func source(ctx context.Context) string {
	name := "api"
	if p := auth.PrincipalFrom(ctx); p != nil && p.Label != "" {
		name = strings.TrimPrefix(p.Label, "token:")
	}
	return "api: " + name
}

// tokenName names the client for a person's source detail.
func tokenName(ctx context.Context) string { return strings.TrimPrefix(source(ctx), "api: ") }
