package actions

import (
	"context"
	"encoding/json"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/people"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/outbox"
)

// mailTo returns the subject and text of the newest mail to addr.
func (e *env) mailTo(t testing.TB, addr string) (subject, text, html string, n int) {
	t.Helper()
	ctx := context.Background()
	if err := e.d.QueryRow(ctx, `SELECT COUNT(*) FROM mail_messages WHERE to_addr = ?`, addr).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return "", "", "", 0
	}
	if err := e.d.QueryRow(ctx, `SELECT subject, text_body, COALESCE(html_body, '') FROM mail_messages WHERE to_addr = ? ORDER BY created_at DESC, id DESC`,
		addr).Scan(&subject, &text, &html); err != nil {
		t.Fatal(err)
	}
	return subject, text, html, n
}

// TestRespondAtomic: one signature makes the person, their consent with
// the action's wording, the tags, the response, the count, the outbox
// event and the thank-you mail, and publishes the count.
func TestRespondAtomic(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		in := petition("Keep the baths open")
		in.ThanksSubject = "Thanks, {{given_name}}"
		in.ThanksText = "Dear {{given_name}}, thank you for signing **{{title}}**."
		a := e.open(t, e.admin.ctx, in)
		events, cancel := e.c.Live.Subscribe(ctx, Topic(a.ID))
		defer cancel()

		r := sign("Rosa@Example.net")
		r.Comment = "Swimming matters."
		r.Tags = []string{"swimmer"}
		r.Referrer = "https://news.example.com/story"
		res, err := e.svc.Respond(ctx, a.Slug, r)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Created || res.Pending || res.Duplicate || res.Response.ID == "" || res.Response.ConfirmedAt.IsZero() {
			t.Fatalf("result %+v", res)
		}
		p, err := e.c.People.Get(e.admin.ctx, res.Response.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Email != "rosa@example.net" || p.GivenName != "Rosa" || p.Source != people.SourceSignup || p.SourceDetail != a.ID {
			t.Fatalf("person %+v", p)
		}
		c := p.Consents[people.ChannelEmail]
		if c.Status != people.ConsentGranted || c.Wording != in.ConsentWording || c.Source != "petition: Keep the baths open" {
			t.Fatalf("consent %+v", c)
		}
		tags := strings.Join(p.Tags, ",")
		if !strings.Contains(tags, "petition signer") || !strings.Contains(tags, "swimmer") {
			t.Fatalf("tags %v", p.Tags)
		}
		got, _ := e.svc.Public(ctx, a.ID)
		if got.Count != 1 {
			t.Fatalf("count %d", got.Count)
		}
		evs, err := outbox.Pending(ctx, d.Q(), 100)
		if err != nil {
			t.Fatal(err)
		}
		var sig *outbox.Event
		for i := range evs {
			if evs[i].Kind == outbox.SignatureCreated {
				sig = &evs[i]
			}
		}
		if sig == nil || sig.Subject != "signature" || sig.SubjectID != res.Response.ID || sig.Data["action_id"] != a.ID {
			t.Fatalf("outbox %+v", evs)
		}
		subject, text, html, n := e.mailTo(t, "rosa@example.net")
		if n != 1 || subject != "Thanks, Rosa" {
			t.Fatalf("mail %d %q", n, subject)
		}
		if !strings.Contains(text, "Dear Rosa, thank you for signing **Keep the baths open**.") ||
			!strings.Contains(text, "https://act.example.org/act/"+a.Slug) || !strings.Contains(html, "<strong>Keep the baths open</strong>") {
			t.Fatalf("mail text %q html %q", text, html)
		}
		select {
		case ev := <-events:
			if ev.Data != "1" || ev.Name != "count" {
				t.Fatalf("live %+v", ev)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no live count")
		}
		rs, err := e.svc.Responses(e.admin.ctx, a.ID, "", 10)
		if err != nil || len(rs) != 1 || rs[0].Comment != "Swimming matters." || rs[0].FullName != "Rosa Signer" ||
			rs[0].Email != "rosa@example.net" || rs[0].Referrer != r.Referrer {
			t.Fatalf("responses %+v, %v", rs, err)
		}
	})
}

// TestRespondRefusedWritesNothing: a response answered with a 4xx leaves
// every table as it was.
func TestRespondRefusedWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		form := petition("Repairs survey")
		form.Kind, form.Comments = KindForm, false
		form.Questions = []Question{
			{Key: "damp", Label: "Is there damp?", Kind: QChoice, Choices: []string{"Yes", "No"}, Required: true},
			{Key: "rooms", Label: "Rooms", Kind: QNumber},
			{Key: "since", Label: "Since when?", Kind: QDate},
			{Key: "flat", Label: "Flat", Kind: QText, Field: "custom.flat"},
		}
		f := e.open(t, e.admin.ctx, form)
		closed := e.open(t, e.admin.ctx, petition("Closed petition"))
		if err := e.svc.SetStatus(e.admin.ctx, closed.ID, StatusClosed); err != nil {
			t.Fatal(err)
		}
		p := e.open(t, e.admin.ctx, petition("Open petition"))
		ok := func() Respond {
			r := sign("nobody@example.net")
			r.Answers = map[string]string{"damp": "Yes", "rooms": "3", "since": "2025-11-01"}
			return r
		}
		// custom.flat is not defined: SignupTx refuses it after matching.
		for name, tc := range map[string]struct {
			action string
			r      func() Respond
			code   errs.Code
			field  string
		}{
			"BadChoice":      {f.ID, func() Respond { r := ok(); r.Answers["damp"] = "Maybe"; return r }, errs.Invalid, "answers.damp"},
			"Required":       {f.ID, func() Respond { r := ok(); delete(r.Answers, "damp"); return r }, errs.Invalid, "answers.damp"},
			"BadNumber":      {f.ID, func() Respond { r := ok(); r.Answers["rooms"] = "three"; return r }, errs.Invalid, "answers.rooms"},
			"BadDate":        {f.ID, func() Respond { r := ok(); r.Answers["since"] = "yesterday"; return r }, errs.Invalid, "answers.since"},
			"Unknown":        {f.ID, func() Respond { r := ok(); r.Answers["x"] = "1"; return r }, errs.Invalid, "answers.x"},
			"UndefinedField": {f.ID, func() Respond { r := ok(); r.Answers["flat"] = "12B"; return r }, errs.Invalid, "answers.flat"},
			"NoComments":     {f.ID, func() Respond { r := ok(); r.Comment = "hi"; return r }, errs.Invalid, "comment"},
			"BadTag":         {p.ID, func() Respond { r := sign("t@example.net"); r.Tags = []string{"a, b"}; return r }, errs.Invalid, "tags"},
			"NoEmail":        {p.ID, func() Respond { r := sign("t@example.net"); r.Email = ""; return r }, errs.Invalid, "email"},
			"BadEmail":       {p.ID, func() Respond { r := sign("t@example.net"); r.Email = "not an address"; return r }, errs.Invalid, "email"},
			"LongComment":    {p.ID, func() Respond { r := sign("t@example.net"); r.Comment = strings.Repeat("x", 2001); return r }, errs.Invalid, "comment"},
			"Closed":         {closed.ID, func() Respond { return sign("t@example.net") }, errs.Conflict, ""},
			"NoSuchAction":   {db.NewID(), func() Respond { return sign("t@example.net") }, errs.NotFound, ""},
		} {
			t.Run(name, func(t *testing.T) {
				before := e.snapshot(t)
				_, err := e.svc.Respond(ctx, tc.action, tc.r())
				wantCode(t, err, tc.code)
				if tc.field != "" {
					wantField(t, err, tc.field)
				}
				if after := e.snapshot(t); !maps.Equal(before, after) {
					t.Fatalf("rows before %v, after %v", before, after)
				}
			})
		}
		// The same form, answered well, with the custom field defined.
		if err := e.c.People.DefineField(e.admin.ctx, people.FieldDef{Key: "flat", Label: "Flat", Kind: "text"}); err != nil {
			t.Fatal(err)
		}
		r := ok()
		r.Answers["flat"], r.Answers["damp"] = "12B", "No"
		res, err := e.svc.Respond(ctx, f.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		person, _ := e.c.People.Get(e.admin.ctx, res.Response.PersonID)
		if person.CustomFields["flat"] != "12B" {
			t.Fatalf("custom fields %v", person.CustomFields)
		}
		got, err := e.svc.Response(e.admin.ctx, res.Response.ID)
		if err != nil || got.Answers["damp"] != "No" || got.Answers["rooms"] != "3" || got.Answers["since"] != "2025-11-01" {
			t.Fatalf("response %+v, %v", got, err)
		}
		evs, _ := outbox.Pending(ctx, d.Q(), 100)
		if evs[len(evs)-1].Kind != outbox.SubmissionCreated || evs[len(evs)-1].Subject != "submission" {
			t.Fatalf("last outbox event %+v", evs[len(evs)-1])
		}
	})
}

// TestRespondDuplicate: the same person signing again (by another case of
// their address) is a Duplicate; nothing is written and the count stays.
func TestRespondDuplicate(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.open(t, e.admin.ctx, petition("Once each"))
		first, err := e.svc.Respond(ctx, a.ID, sign("dup@example.net"))
		if err != nil {
			t.Fatal(err)
		}
		before := e.snapshot(t)
		again := sign("DUP@example.net")
		again.Tags = []string{"second time"}
		res, err := e.svc.Respond(ctx, a.ID, again)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Duplicate || res.Response.ID != first.Response.ID || res.Created {
			t.Fatalf("result %+v", res)
		}
		if after := e.snapshot(t); !maps.Equal(before, after) {
			t.Fatalf("rows before %v, after %v", before, after)
		}
		if got, _ := e.svc.Public(ctx, a.ID); got.Count != 1 {
			t.Fatalf("count %d", got.Count)
		}
	})
}

var confirmLink = regexp.MustCompile(`https://act\.example\.org/act/confirm/([A-Za-z0-9_-]+)`)

// TestDoubleOptIn: a response waits for its link: no count, no consent,
// no outbox event, a confirmation mail; Confirm makes it count once.
func TestDoubleOptIn(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, doubleOptIn)
		ctx := context.Background()
		a := e.open(t, e.admin.ctx, petition("Confirm first"))
		outboxBefore := e.count(t, "outbox_events")
		res, err := e.svc.Respond(ctx, a.ID, sign("doi@example.net"))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Pending || !res.Response.ConfirmedAt.IsZero() {
			t.Fatalf("result %+v", res)
		}
		p, _ := e.c.People.Get(e.admin.ctx, res.Response.PersonID)
		if p.HasConsent(people.ChannelEmail) {
			t.Fatal("consent granted before confirmation")
		}
		// person.created, but no signature.created yet.
		var sigs int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox_events WHERE kind = ?`, outbox.SignatureCreated).Scan(&sigs)
		if sigs != 0 || e.count(t, "outbox_events") != outboxBefore+1 {
			t.Fatalf("outbox before confirmation: %d signatures", sigs)
		}
		if got, _ := e.svc.Public(ctx, a.ID); got.Count != 0 {
			t.Fatalf("count %d before confirmation", got.Count)
		}
		subject, text, _, n := e.mailTo(t, "doi@example.net")
		m := confirmLink.FindStringSubmatch(text)
		if n != 1 || !strings.HasPrefix(subject, "Please confirm") || m == nil {
			t.Fatalf("confirmation mail %q %q", subject, text)
		}
		var stored string
		d.QueryRow(ctx, `SELECT confirm_hash FROM action_responses WHERE id = ?`, res.Response.ID).Scan(&stored)
		if stored == "" || stored == m[1] {
			t.Fatalf("stored token %q", stored)
		}
		_, err = e.svc.Confirm(ctx, "not-a-token")
		wantCode(t, err, errs.NotFound)
		// Signing again while pending sends a new link, which replaces
		// the first.
		again, err := e.svc.Respond(ctx, a.ID, sign("doi@example.net"))
		if err != nil || !again.Duplicate || !again.Pending || again.Response.ID != res.Response.ID {
			t.Fatalf("again: %+v, %v", again, err)
		}
		_, text2, _, n2 := e.mailTo(t, "doi@example.net")
		m2 := confirmLink.FindStringSubmatch(text2)
		if n2 != 2 || m2 == nil || m2[1] == m[1] {
			t.Fatalf("second confirmation mail %d %q", n2, text2)
		}
		_, err = e.svc.Confirm(ctx, m[1])
		wantCode(t, err, errs.NotFound)
		m = m2

		got, err := e.svc.Confirm(ctx, m[1])
		if err != nil {
			t.Fatal(err)
		}
		if got.Count != 1 {
			t.Fatalf("count %d after confirmation", got.Count)
		}
		p, _ = e.c.People.Get(e.admin.ctx, res.Response.PersonID)
		if !p.HasConsent(people.ChannelEmail) || p.Consents[people.ChannelEmail].Wording != a.ConsentWording {
			t.Fatalf("consent after confirmation %+v", p.Consents)
		}
		d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox_events WHERE kind = ?`, outbox.SignatureCreated).Scan(&sigs)
		if sigs != 1 {
			t.Fatalf("%d signature events after confirmation", sigs)
		}
		if subject, _, _, n := e.mailTo(t, "doi@example.net"); n != 3 || !strings.HasPrefix(subject, "Thank you") {
			t.Fatalf("thank-you mail %d %q", n, subject)
		}
		_, err = e.svc.Confirm(ctx, m[1])
		wantCode(t, err, errs.NotFound)
		if got, _ := e.svc.Public(ctx, a.ID); got.Count != 1 {
			t.Fatalf("count %d after a second click", got.Count)
		}
	})
}

// TestSpam: honeypot, timing and rate; none writes anything.
func TestSpam(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, func(d *Deps) { d.RatePerHour = 3 })
		ctx := context.Background()
		a := e.open(t, e.admin.ctx, petition("Spam target"))
		before := e.snapshot(t)

		bot := sign("bot@example.net")
		bot.Honeypot = "http://spam.example"
		res, err := e.svc.Respond(ctx, a.ID, bot)
		if err != nil || !res.Discarded || res.Duplicate || res.Response.ID != "" {
			t.Fatalf("honeypot: %+v, %v", res, err)
		}
		quick := sign("quick@example.net")
		quick.RenderedAt = e.clock().Add(-time.Second)
		_, err = e.svc.Respond(ctx, a.ID, quick)
		wantCode(t, err, errs.Invalid)
		if !strings.Contains(errs.MessageOf(err), "take a moment") {
			t.Fatalf("message %q", errs.MessageOf(err))
		}
		if after := e.snapshot(t); !maps.Equal(before, after) {
			t.Fatalf("rows before %v, after %v", before, after)
		}
		for i := range 3 {
			r := sign("human" + string(rune('a'+i)) + "@example.net")
			r.RenderedAt, r.RemoteAddr = e.clock().Add(-10*time.Second), "203.0.113.9"
			if _, err := e.svc.Respond(ctx, a.ID, r); err != nil {
				t.Fatalf("response %d: %v", i, err)
			}
		}
		before = e.snapshot(t)
		r := sign("humand@example.net")
		r.RenderedAt, r.RemoteAddr = e.clock().Add(-10*time.Second), "203.0.113.9"
		_, err = e.svc.Respond(ctx, a.ID, r)
		wantCode(t, err, errs.TooMany)
		if after := e.snapshot(t); !maps.Equal(before, after) {
			t.Fatalf("rows before %v, after %v", before, after)
		}
		r.RemoteAddr = "203.0.113.10" // another address is not held back
		if _, err := e.svc.Respond(ctx, a.ID, r); err != nil {
			t.Fatal(err)
		}
		e.advance(time.Hour)
		r = sign("humane@example.net")
		r.RemoteAddr = "203.0.113.9"
		if _, err := e.svc.Respond(ctx, a.ID, r); err != nil {
			t.Fatalf("an hour later: %v", err)
		}
	})
}

// TestPublicComments: confirmed comments only, names as the person lets
// them be shown, nothing else about them.
func TestPublicComments(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.open(t, e.admin.ctx, petition("Say why"))
		for _, s := range []struct{ email, comment string }{{"ann@example.net", "Because."}, {"bob@example.net", ""},
			{"cy@example.net", "Me too."}} {
			r := sign(s.email)
			r.Comment = s.comment
			res, err := e.svc.Respond(ctx, a.ID, r)
			if err != nil {
				t.Fatal(err)
			}
			if s.email == "ann@example.net" {
				d.Exec(ctx, `UPDATE people SET show_name = ? WHERE id = ?`, true, res.Response.PersonID)
			}
		}
		cs, err := e.svc.PublicComments(ctx, a.Slug, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 2 || cs[0].Comment != "Me too." || cs[0].Name != "" || cs[1].Name != "ann S." ||
			cs[1].PersonID != "" || cs[1].Email != "" || cs[1].FullName != "" {
			js, _ := json.Marshal(cs)
			t.Fatalf("comments %s", js)
		}
		// Keyset pages for organisers.
		page1, _ := e.svc.Responses(e.admin.ctx, a.ID, "", 2)
		page2, _ := e.svc.Responses(e.admin.ctx, a.ID, page1[1].ID, 2)
		if len(page1) != 2 || len(page2) != 1 || page2[0].Comment != "Because." {
			t.Fatalf("pages %v / %v", page1, page2)
		}
	})
}

// TestMergeFollows: a merged person's responses follow them; one person
// counts once.
func TestMergeFollows(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		a := e.open(t, e.admin.ctx, petition("Both signed"))
		b := e.open(t, e.admin.ctx, petition("One signed"))
		keep, err := e.svc.Respond(ctx, a.ID, sign("keep@example.net"))
		if err != nil {
			t.Fatal(err)
		}
		m1, err := e.svc.Respond(ctx, a.ID, sign("merge@example.net"))
		if err != nil {
			t.Fatal(err)
		}
		m2, err := e.svc.Respond(ctx, b.ID, sign("merge@example.net"))
		if err != nil {
			t.Fatal(err)
		}
		if err := e.c.People.Merge(e.admin.ctx, keep.Response.PersonID, m1.Response.PersonID); err != nil {
			t.Fatal(err)
		}
		got, err := e.svc.Response(e.admin.ctx, m2.Response.ID)
		if err != nil || got.PersonID != keep.Response.PersonID {
			t.Fatalf("moved response %+v, %v", got, err)
		}
		if ga, _ := e.svc.Public(ctx, a.ID); ga.Count != 1 {
			t.Fatalf("count after merge %d, want 1", ga.Count)
		}
		if rs, _ := e.svc.Responses(e.admin.ctx, a.ID, "", 10); len(rs) != 1 || rs[0].ID != keep.Response.ID {
			t.Fatalf("responses after merge %+v", rs)
		}
		_ = auth.RoleAdmin
	})
}

// TestFormFields: a form's answers fill the person's fields; a form may
// be answered with a phone number alone (no mail then); a petition needs
// an address.
func TestFormFields(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := context.Background()
		in := petition("Join the tenants' union")
		in.Kind, in.Comments = KindForm, false
		in.Questions = []Question{
			{Key: "name", Label: "Your first name", Kind: QText, Field: "given_name", Required: true},
			{Key: "pc", Label: "Postcode", Kind: QText, Field: "postcode"},
			{Key: "town", Label: "Town", Kind: QText, Field: "locality"},
			{Key: "ok", Label: "I rent", Kind: QCheckbox, Required: true},
		}
		f := e.open(t, e.admin.ctx, in)
		r := Respond{Phone: "07700 900123", Answers: map[string]string{"name": "Nia", "pc": "e8 1dy", "town": "Hackney", "ok": "on"}}
		_, err := e.svc.Respond(ctx, f.ID, Respond{Phone: r.Phone, Answers: map[string]string{"name": "Nia", "pc": "nonsense!!", "ok": "on"}})
		wantField(t, err, "answers.pc")
		_, err = e.svc.Respond(ctx, f.ID, Respond{Phone: r.Phone, Answers: map[string]string{"name": "Nia"}})
		wantField(t, err, "answers.ok")
		mails := e.count(t, "mail_messages")
		res, err := e.svc.Respond(ctx, f.ID, r)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := e.c.People.Get(e.admin.ctx, res.Response.PersonID)
		if p.GivenName != "Nia" || p.Address.Postcode != "E8 1DY" || p.Address.Locality != "Hackney" || p.Phone != "+447700900123" {
			t.Fatalf("person %+v", p)
		}
		if res.Response.Answers["ok"] != "yes" || e.count(t, "mail_messages") != mails {
			t.Fatalf("answers %v; mail queued without an address", res.Response.Answers)
		}
		pet := e.open(t, e.admin.ctx, petition("Needs an address"))
		_, err = e.svc.Respond(ctx, pet.ID, Respond{GivenName: "Nia", Phone: r.Phone})
		wantField(t, err, "email")
	})
}
