package mail

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// The bulk sender: what the messaging fan-out calls with batches of
// personalised mail. Its one promise beyond speed is ordering — no mail is
// delivered before its journal says it was sent (see doc.go, "Bulk mail").

// BulkMessage is one mail of a bulk send, composed by the caller.
type BulkMessage struct {
	Key     string // the caller's id for it (a recipient row), echoed in results
	To      string // one bare address, e.g. ada@example.org
	Subject string
	Text    string // required
	HTML    string // optional
	// FromName is shown beside the configured From address ("" keeps the
	// configured name); ReplyTo is an optional Reply-To address. The From
	// address itself is always the configured one: a mail "from" a member's
	// own address would fail their domain's DMARC checks.
	FromName string
	ReplyTo  string
	// Headers are extra headers such as List-Unsubscribe (not those this
	// package writes, nor Reply-To).
	Headers map[string]string
	// MessageID is the Message-ID header, "<unique@domain>"; "" mints one.
	// A caller that matches provider events to recipients may set its own.
	MessageID string
	// Related labels what caused the mail in logs and in the development
	// outbox, e.g. "messaging.broadcast".
	Related string
}

// BulkResult is the outcome of one BulkMessage.
type BulkResult struct {
	Key string
	// Err is nil when the server accepted the mail. Otherwise Permanent
	// says whether the server refused it for good (5xx) or it may be tried
	// again (4xx, connection lost before it was handed over).
	Err       error
	Permanent bool
	Code      int // the SMTP reply code, 0 if none
	// Journaled says Accepting recorded the key before the outcome was
	// known. A Journaled failure happened at the final "." (the server
	// refused the mail, or the connection was lost while it answered, when
	// the mail may or may not have gone): the journal already says sent, and
	// the mail must not be sent again if the promise is at most once.
	Journaled bool
}

// BulkJournal records a bulk send durably as it goes. SendBulk never calls
// its methods concurrently.
type BulkJournal interface {
	// Accepting is called with the keys of mails whose recipients the
	// server accepted and whose content it has received, just before the
	// final "." that tells it to deliver them. It must durably record them
	// as sent (one transaction) before returning; a mail whose key it fails
	// to record is not delivered (its connection is dropped before the ".",
	// so the server discards it) and comes back as a temporary failure.
	// The only loss window is between its commit and the dot reaching the
	// server (doc.go, "Bulk mail"): a crash there leaves a row marked sent
	// for a mail never delivered, and never the reverse.
	Accepting(ctx context.Context, keys []string) error
	// Done reports every message's outcome once known (a mail recorded by
	// Accepting and then refused at "." comes back with its error).
	Done(ctx context.Context, results []BulkResult) error
}

// doneBatch is how many results SendBulk gathers before calling Done.
const doneBatch = 250

// ErrNotHandedOver is the error of a message SendBulk did not get to before
// its context ended; it wraps the context's error.
var ErrNotHandedOver = errors.New("not handed to the SMTP server before the send stopped")

// SendBulk sends msgs over the pool of SMTP connections (pipelining where the
// server offers it), at most at the configured rate, recording each through
// j. In development-outbox mode it keeps the mails in the outbox instead. It
// returns when every message has a result, or ctx ends (messages not yet
// handed over then come back as temporary failures).
//
// A message that cannot be composed (a line break in a header, an address
// that is not one) comes back Permanent without failing the others.
//
// Every message is reported through j.Done exactly once, also when ctx
// ends; Done is called with a context that is not cancelled. SendBulk
// returns the error of a failing Done, otherwise ctx.Err() if ctx ended
// before every message was tried, otherwise nil.
func (s *Service) SendBulk(ctx context.Context, msgs []BulkMessage, j BulkJournal) error {
	if len(msgs) == 0 {
		return nil
	}
	if s.smtp == nil {
		return s.keepBulk(ctx, msgs, j)
	}
	r := &bulkRun{
		s: s, ctx: ctx, msgs: msgs, j: j,
		ready:   make(chan *readyMail),
		results: make(chan BulkResult, len(msgs)),
		started: time.Now(),
	}
	return r.run()
}

// bulkRun is one SendBulk call over SMTP.
//
// Workers, one per pooled connection, take messages in order, compose each,
// and carry its SMTP transaction up to the last "." (the mail is then
// "ready"). They hand it to the journal goroutine (run's own), which gathers
// every mail ready at that moment into one Accepting call — a group commit:
// while one Accepting runs, the other connections' mails become ready and
// go into the next. Only after Accepting returns nil does each worker write
// its ".", read the server's verdict and report it.
type bulkRun struct {
	s       *Service
	ctx     context.Context
	msgs    []BulkMessage
	j       BulkJournal
	next    atomic.Int64 // index of the next message to take
	ready   chan *readyMail
	results chan BulkResult // buffered for every message: sends never block
	dialErr atomic.Pointer[error]
	started time.Time

	// counted by the journal goroutine, for the log line
	sent, permanent, temporary int
}

// readyMail is a mail one "." away from delivery, waiting for the journal.
type readyMail struct {
	key     string
	verdict chan error // nil: recorded, deliver; else abort
}

func (r *bulkRun) run() error {
	workers := min(r.s.bulk.size, len(r.msgs))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.work()
		}()
	}
	workersDone := make(chan struct{})
	go func() { wg.Wait(); close(workersDone) }()

	// Outside the workers' context: the journal must hear of every outcome,
	// also of sends that ctx stopped.
	jctx := context.WithoutCancel(r.ctx)
	var pending []BulkResult
	var doneErr error
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if err := r.j.Done(jctx, pending); err != nil && doneErr == nil {
			doneErr = fmt.Errorf("mail: record bulk results: %w", err)
		}
		pending = pending[:0:0]
	}
	collect := func(res BulkResult) {
		switch {
		case res.Err == nil:
			r.sent++
		case res.Permanent:
			r.permanent++
		default:
			r.temporary++
		}
		pending = append(pending, res)
		if len(pending) >= doneBatch {
			flush()
		}
	}
	var group []*readyMail
	for {
		select {
		case m := <-r.ready:
			group = append(group[:0], m)
			// Everything else ready now joins this commit.
		drain:
			for {
				select {
				case m := <-r.ready:
					group = append(group, m)
				default:
					break drain
				}
			}
			r.accept(group)
			continue
		case res := <-r.results:
			collect(res)
			continue
		case <-workersDone:
		}
		break
	}
	// Every worker has ended, so every result it produced is buffered.
	for len(r.results) > 0 {
		collect(<-r.results)
	}
	// Messages no worker took (ctx ended, or no slot in the pool was free).
	if taken := int(min(r.next.Load(), int64(len(r.msgs)))); taken < len(r.msgs) {
		err := fmt.Errorf("%w: %w", ErrNotHandedOver, context.Cause(r.ctx))
		if r.ctx.Err() == nil {
			err = ErrNotHandedOver
		}
		for _, m := range r.msgs[taken:] {
			collect(BulkResult{Key: m.Key, Err: err})
		}
	}
	flush()
	r.s.log.Info("bulk mail done", "messages", len(r.msgs), "sent", r.sent, "refused", r.permanent,
		"retry", r.temporary, "connections", workers, "took", time.Since(r.started).Round(time.Millisecond))
	if doneErr != nil {
		return doneErr
	}
	if r.temporary > 0 && r.ctx.Err() != nil {
		return r.ctx.Err()
	}
	return nil
}

// accept records group in one Accepting call and tells each worker the
// verdict. Nothing is recorded once ctx has ended: those mails are aborted.
func (r *bulkRun) accept(group []*readyMail) {
	var err error
	if cerr := r.ctx.Err(); cerr != nil {
		err = fmt.Errorf("%w: %w", ErrNotHandedOver, cerr)
	} else {
		keys := make([]string, len(group))
		for i, m := range group {
			keys[i] = m.key
		}
		if err = r.j.Accepting(r.ctx, keys); err != nil {
			err = fmt.Errorf("the journal did not record the mail, so it was not delivered: %w", err)
		}
	}
	for _, m := range group {
		m.verdict <- err
	}
}

// work is one worker: it holds a slot of the pool, and so one connection,
// and sends messages until none is left or ctx ends.
//
// With PIPELINING it composes the next message while the journal records
// the current one, and then sends the current one's "." together with the
// next one's MAIL FROM, RCPT TO and DATA: one round trip per mail. The "."
// never waits for anything but Accepting: when the next message is not
// composed yet or the rate says wait, it goes alone.
func (r *bulkRun) work() {
	b := r.s.bulk
	if err := b.acquire(r.ctx); err != nil {
		return // run reports the messages nobody took
	}
	defer b.release()
	comp := newBulkComposer(r.s)
	var bufs [2]bytes.Buffer
	k := 0 // bufs[k] holds cur's body
	verdict := make(chan error, 1)
	var c *bulkConn
	defer func() {
		if c != nil {
			b.putIdle(c)
		}
	}()
	var dotFor *BulkMessage // recorded by the journal, its "." not yet sent
	cur := r.take(comp, &bufs[k])
	for cur != nil || dotFor != nil {
		if dotFor != nil && (cur == nil || !c.pipelining || !b.allowNow()) {
			res, broken := r.finish(c, dotFor)
			r.results <- res
			dotFor = nil
			if broken {
				c.abort()
				c = nil
			}
			if cur == nil {
				break
			}
		}
		// dotFor is still set only when its "." goes with cur's commands,
		// and then the rate already allowed cur.
		if c == nil {
			var err error
			if c, err = r.conn(); err != nil {
				r.results <- BulkResult{Key: cur.Key, Err: err}
				cur = r.take(comp, &bufs[k])
				continue
			}
		}
		if dotFor == nil {
			if err := b.wait(r.ctx); err != nil {
				r.results <- BulkResult{Key: cur.Key, Err: fmt.Errorf("%w: %w", ErrNotHandedOver, err)}
				return
			}
		}
		var openErr *stepError
		if dotFor != nil {
			var dotErr *stepError
			dotErr, openErr = c.finishAndOpen(r.s.from.Address, cur.To, bufs[k].Bytes())
			r.results <- dotResult(dotFor, dotErr)
			dotFor = nil
		} else {
			openErr = c.open(r.s.from.Address, cur.To, bufs[k].Bytes())
		}
		if openErr != nil {
			r.results <- BulkResult{Key: cur.Key, Err: openErr.err, Code: openErr.code, Permanent: openErr.permanent}
			if openErr.broken {
				c.abort()
				c = nil
			}
			cur = r.take(comp, &bufs[k])
			continue
		}
		// cur is ready: one "." from delivery.
		r.ready <- &readyMail{key: cur.Key, verdict: verdict}
		next := r.take(comp, &bufs[1-k]) // while the journal commits
		if err := <-verdict; err != nil {
			// In DATA everything up to "." is message text, so there is no
			// RSET: dropping the connection is what makes the server
			// discard the unfinished mail.
			r.results <- BulkResult{Key: cur.Key, Err: err}
			c.abort()
			c = nil
		} else {
			dotFor = cur
		}
		cur, k = next, 1-k
	}
}

// take claims the next message and composes it into buf; one that cannot be
// composed is reported and skipped. It returns nil when none is left or ctx
// has ended (run then reports the rest).
func (r *bulkRun) take(comp *bulkComposer, buf *bytes.Buffer) *BulkMessage {
	for r.ctx.Err() == nil {
		i := r.next.Add(1) - 1
		if i >= int64(len(r.msgs)) {
			return nil
		}
		m := &r.msgs[i]
		buf.Reset()
		if err := comp.compose(buf, m); err != nil {
			r.results <- BulkResult{Key: m.Key, Err: err, Permanent: true}
			continue
		}
		return m
	}
	return nil
}

// finish sends the "." of m alone and reads the verdict.
func (r *bulkRun) finish(c *bulkConn, m *BulkMessage) (BulkResult, bool) {
	err := c.finish()
	return dotResult(m, err), err != nil && err.broken
}

// dotResult is the result of a journaled mail whose "." got err.
func dotResult(m *BulkMessage, err *stepError) BulkResult {
	res := BulkResult{Key: m.Key, Journaled: true}
	if err != nil {
		res.Err, res.Code, res.Permanent = err.err, err.code, err.permanent
	}
	return res
}

// conn returns a pooled connection or dials one. Once a dial has failed in
// this run no worker dials again: the rest come back as temporary failures
// at once instead of each waiting out a timeout.
func (r *bulkRun) conn() (*bulkConn, error) {
	if p := r.dialErr.Load(); p != nil {
		return nil, *p
	}
	if c := r.s.bulk.takeIdle(); c != nil {
		return c, nil
	}
	c, err := dialBulk(r.ctx, r.s.smtp, r.s.domain)
	if err != nil {
		if r.dialErr.CompareAndSwap(nil, &err) {
			r.s.log.Warn("cannot reach the SMTP server for bulk mail", "server", r.s.smtp.String(), "err", err)
		}
		return nil, err
	}
	return c, nil
}
