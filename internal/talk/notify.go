package talk

import (
	"context"
	"embed"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	msgnotices "github.com/momentum-movement/momentum/internal/messaging/notices"
	"github.com/momentum-movement/momentum/internal/platform/auth"
	"github.com/momentum-movement/momentum/internal/platform/db"
	"github.com/momentum-movement/momentum/internal/platform/errs"
	"github.com/momentum-movement/momentum/internal/platform/mail"
)

// The kinds of notice talk sends (see package notices): each person may
// take them at once, in a daily digest, or not at all.
var (
	NoticeMention = msgnotices.Kind{Name: "talk.mention", Label: "Someone mentions you in a discussion"}
	NoticeReply   = msgnotices.Kind{Name: "talk.reply", Label: "New comments in discussions you follow"}
)

// NoticeKinds are every kind of notice talk sends, for notices.Deps.
func NoticeKinds() []msgnotices.Kind { return []msgnotices.Kind{NoticeMention, NoticeReply} }

// The mail talk sends, one text/template file per mail (mail/*.tmpl: a
// Subject line, a Why line, a blank line, the body).
//
//go:embed mail/*.tmpl
var mailFiles embed.FS

var mailTemplates = mail.MustParseTemplates(mailFiles, "mail/*.tmpl", nil)

// Handle is the @handle of a person's name: lower-cased, each run of
// anything but letters and digits turned into "-" ("Olive Organiser" →
// "olive-organiser").
func Handle(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// mentionPattern finds "@handle" not inside a word or an address.
var mentionPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_.@/-])@([\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)`)

// maxMentions bounds the people one comment can notify.
const maxMentions = 20

// Mentions are the distinct handles mentioned in a text, in order, at
// most maxMentions.
func Mentions(text string) []string {
	var out []string
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		h := strings.ToLower(m[1])
		if !containsString(out, h) {
			out = append(out, h)
		}
		if len(out) == maxMentions {
			break
		}
	}
	return out
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// recipient is a user to notify.
type recipient struct {
	UserID string
	Role   auth.Role
}

// mentions resolves the handles in text to the people who may read t, the
// author (uid) left out. It reads outside any transaction: the policy asks
// the groups capability, which must not wait for a second connection from
// inside one.
func (s *Service) mentions(ctx context.Context, t *Thread, uid, text string) ([]recipient, error) {
	var out []recipient
	for _, h := range Mentions(text) {
		// A LIKE pattern that matches every name with this handle (and
		// some more, checked below): "-" stands for any run of separators,
		// and letters LOWER may not fold (outside ASCII) for any one.
		var pat strings.Builder
		for _, r := range h {
			switch {
			case r == '-':
				pat.WriteByte('%')
			case r > unicode.MaxASCII:
				pat.WriteByte('_')
			default:
				pat.WriteRune(r)
			}
		}
		rows, err := s.d.DB.Query(ctx, `SELECT id, name, role FROM users WHERE LOWER(name) LIKE ? AND disabled_at IS NULL
			ORDER BY id LIMIT 50`, "%"+pat.String()+"%")
		if err != nil {
			return nil, fmt.Errorf("mentions: %w", err)
		}
		var found []recipient
		for rows.Next() {
			var r recipient
			var name string
			if err := rows.Scan(&r.UserID, &name, &r.Role); err != nil {
				rows.Close()
				return nil, err
			}
			if Handle(name) == h && r.UserID != uid {
				found = append(found, r)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, r := range found {
			ok, err := s.mayRead(ctx, t, r)
			if err != nil {
				return nil, err
			}
			if ok && !hasRecipient(out, r.UserID) {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

func hasRecipient(rs []recipient, uid string) bool {
	for _, r := range rs {
		if r.UserID == uid {
			return true
		}
	}
	return false
}

// mayRead asks whether another person may read t.
func (s *Service) mayRead(ctx context.Context, t *Thread, r recipient) (bool, error) {
	err := s.canRead(auth.WithPrincipal(context.WithoutCancel(ctx), principalOf(r.UserID, r.Role)), t)
	if err == nil {
		return true, nil
	}
	if errs.CodeOf(err) == errs.Internal {
		return false, err
	}
	return false, nil
}

// followers are the thread's followers who may still read it, but the
// author and those the comment mentions (they hear of it once).
func (s *Service) followers(ctx context.Context, t *Thread, uid string, mentioned []recipient) ([]recipient, error) {
	rows, err := s.d.DB.Query(ctx, `SELECT u.id, u.role FROM talk_follows f JOIN users u ON u.id = f.user_id
		WHERE f.thread_id = ? AND u.disabled_at IS NULL ORDER BY u.id`, t.ID)
	if err != nil {
		return nil, fmt.Errorf("followers: %w", err)
	}
	var all []recipient
	for rows.Next() {
		var r recipient
		if err := rows.Scan(&r.UserID, &r.Role); err != nil {
			rows.Close()
			return nil, err
		}
		if r.UserID != uid && !hasRecipient(mentioned, r.UserID) {
			all = append(all, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []recipient
	for _, r := range all {
		ok, err := s.mayRead(ctx, t, r)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// mailData is what the talk mail templates read.
type mailData struct {
	Base     string
	Greeting string
	Author   string
	Thread   *Thread
	URL      string // the comment's (or thread's) address
	Excerpt  string
	Reply    bool // a comment that replies to another
}

// notify records the mentions of c (nil: t's opening post) and tells the
// mentioned and the followers, in tx.
func (s *Service) notify(ctx context.Context, tx *db.Tx, t *Thread, c *Comment, mentioned, followers []recipient) error {
	if len(mentioned) == 0 && len(followers) == 0 {
		return nil
	}
	d := mailData{Base: s.d.BaseURL, Thread: t, URL: s.d.BaseURL + "/talk/t/" + t.ID}
	author, text := t.AuthorUserID, t.Body
	if c != nil {
		d.URL += "#c-" + c.ID
		author, text, d.Reply = c.AuthorUserID, c.Body, c.ParentID != ""
	}
	if err := tx.QueryRow(ctx, `SELECT name FROM users WHERE id = ?`, author).Scan(&d.Author); err != nil && !db.IsNotFound(err) {
		return err
	}
	d.Author = authorName(d.Author)
	d.Excerpt = errs.Clip(strings.TrimSpace(text), 400)
	for _, r := range mentioned {
		if c != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO talk_mentions (comment_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
				c.ID, r.UserID); err != nil {
				return err
			}
		}
		if err := s.send(ctx, tx, r.UserID, "mention.tmpl", NoticeMention, d); err != nil {
			return err
		}
	}
	for _, r := range followers {
		if err := s.send(ctx, tx, r.UserID, "reply.tmpl", NoticeReply, d); err != nil {
			return err
		}
	}
	return nil
}

// send mails one user, if they have a person record with an address.
func (s *Service) send(ctx context.Context, tx *db.Tx, uid, tmpl string, kind msgnotices.Kind, d mailData) error {
	personID, err := s.d.People.PersonIDForUserTx(ctx, tx, uid)
	if err != nil {
		return fmt.Errorf("talk notice: %w", err)
	}
	email, given, err := s.d.People.ContactTx(ctx, tx, personID)
	if err != nil {
		return fmt.Errorf("talk notice: %w", err)
	}
	if email == "" {
		return nil
	}
	d.Greeting = "Hello"
	if given != "" {
		d.Greeting += " " + given
	}
	m, err := mailTemplates.Message(tmpl, email, d)
	if err != nil {
		return err
	}
	return s.d.Notices.Send(ctx, tx, personID, msgnotices.Notice{Kind: kind.Name, To: m.To, Subject: m.Subject,
		Text: m.Text, Why: m.Why})
}
