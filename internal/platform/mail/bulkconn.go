package mail

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// idleTimeout is how long a pooled connection may wait for the next bulk
// send before it is closed; servers close idle sessions after a few minutes
// (RFC 5321 §4.5.3.2.7 suggests 5) and a fan-out job's next batch follows
// within milliseconds.
const idleTimeout = 30 * time.Second

// bulkSender is the Service's pool of SMTP connections for SendBulk and its
// rate limiter. It outlives SendBulk calls, so consecutive batches reuse
// connections instead of paying for TCP, TLS and AUTH again.
type bulkSender struct {
	size      int
	idleAfter time.Duration // idleTimeout; shorter in tests
	limiter   *rate.Limiter // nil: no limit
	slots     chan struct{} // a token per connection in use, at most size

	mu     sync.Mutex
	idle   []*bulkConn // most recently used last
	timer  *time.Timer // closes idle connections past idleTimeout
	closed bool
}

func newBulkSender(size int, perSecond float64) *bulkSender {
	if size == 0 {
		size = DefaultConnections
	}
	b := &bulkSender{size: size, idleAfter: idleTimeout, slots: make(chan struct{}, size)}
	if perSecond > 0 {
		// A burst of one: the rate holds over any window, not only on average.
		b.limiter = rate.NewLimiter(rate.Limit(perSecond), 1)
	}
	return b
}

// acquire takes a slot of the pool, waiting while size connections are in
// use (by this or another SendBulk).
func (b *bulkSender) acquire(ctx context.Context) error {
	select {
	case b.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *bulkSender) release() { <-b.slots }

// wait blocks until the rate allows one more message.
func (b *bulkSender) wait(ctx context.Context) error {
	if b.limiter == nil {
		return ctx.Err()
	}
	return b.limiter.Wait(ctx)
}

// allowNow takes a token from the rate limiter if one is there now.
func (b *bulkSender) allowNow() bool { return b.limiter == nil || b.limiter.Allow() }

// takeIdle returns a pooled connection that still answers, or nil.
func (b *bulkSender) takeIdle() *bulkConn {
	for {
		b.mu.Lock()
		n := len(b.idle)
		if n == 0 {
			b.mu.Unlock()
			return nil
		}
		c := b.idle[n-1]
		b.idle = b.idle[:n-1]
		b.mu.Unlock()
		// The server may have closed it meanwhile; one round trip finds out
		// before a mail depends on it.
		if time.Since(c.idleSince) < b.idleAfter && c.noop() == nil {
			return c
		}
		c.close()
	}
}

// putIdle returns c to the pool and makes sure the reaper will run.
func (b *bulkSender) putIdle(c *bulkConn) {
	c.idleSince = time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.idle) >= b.size {
		go c.close()
		return
	}
	b.idle = append(b.idle, c)
	if b.timer == nil {
		b.timer = time.AfterFunc(b.idleAfter, b.reap)
	}
}

// reap closes connections idle for idleTimeout and runs again while any
// remain.
func (b *bulkSender) reap() {
	b.mu.Lock()
	var stale []*bulkConn
	keep := b.idle[:0]
	for _, c := range b.idle {
		if time.Since(c.idleSince) >= b.idleAfter {
			stale = append(stale, c)
		} else {
			keep = append(keep, c)
		}
	}
	clear(b.idle[len(keep):])
	b.idle = keep
	b.timer = nil
	if len(keep) > 0 && !b.closed {
		b.timer = time.AfterFunc(b.idleAfter-time.Since(keep[0].idleSince), b.reap)
	}
	b.mu.Unlock()
	for _, c := range stale {
		c.close()
	}
}

// Close closes the pooled SMTP connections (QUIT). A SendBulk after Close
// still works but no longer keeps connections between calls.
func (s *Service) Close() {
	b := s.bulk
	b.mu.Lock()
	b.closed = true
	idle := b.idle
	b.idle = nil
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
	b.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

// bulkConn is one SMTP session of the pool. After dialSMTP (TLS, AUTH) it
// speaks SMTP itself on the textproto connection, which net/smtp cannot: it
// pipelines commands and stops a transaction one "." short of delivery.
type bulkConn struct {
	sc         *smtpConn
	text       *textproto.Conn
	pipelining bool // the server's EHLO offered PIPELINING (RFC 2920)
	idleSince  time.Time
}

func dialBulk(ctx context.Context, cfg *smtpConfig, helo string) (*bulkConn, error) {
	sc, err := dialSMTP(ctx, cfg, helo)
	if err != nil {
		return nil, err
	}
	pipelining, _ := sc.c.Extension("PIPELINING")
	// sc.c.Text is the connection after STARTTLS, if any.
	return &bulkConn{sc: sc, text: sc.c.Text, pipelining: pipelining}, nil
}

// close ends a healthy session politely (QUIT).
func (c *bulkConn) close() { c.sc.close() }

// abort drops the connection without a word: the way out of a session in
// an unknown state, and the only way to abandon a mail in DATA, where a QUIT
// would be read as a line of the mail. A server delivers nothing whose final
// "." it has not received.
func (c *bulkConn) abort() { _ = c.sc.conn.Close() }

func (c *bulkConn) noop() error {
	_ = c.sc.conn.SetDeadline(time.Now().Add(dialTimeout))
	if err := c.cmd("NOOP"); err != nil {
		return err
	}
	_, _, err := c.text.ReadResponse(250)
	return err
}

func (c *bulkConn) cmd(parts ...string) error {
	w := c.text.W
	for _, p := range parts {
		w.WriteString(p)
	}
	w.WriteString("\r\n")
	return w.Flush()
}

// stepError is why a transaction did not reach the next step.
type stepError struct {
	err       error
	code      int  // the server's reply code, 0 for a connection error
	permanent bool // 5xx: the mail will never be accepted
	broken    bool // the connection is unusable and must be closed
}

// replyError turns a failed ReadResponse into a stepError. A *textproto.Error
// is the server's refusal (the session goes on); anything else is the
// connection failing.
func replyError(step string, err error) *stepError {
	var te *textproto.Error
	if errors.As(err, &te) {
		return &stepError{err: fmt.Errorf("%s: %w", step, err), code: te.Code, permanent: te.Code >= 500}
	}
	return &stepError{err: fmt.Errorf("%s: %w", step, err), broken: true}
}

// open starts a transaction for one recipient and sends body, which must
// already be dot-stuffed and end in CRLF. On success the mail is ready: the
// server has its recipient and every byte of its content except the final
// ".", and delivers nothing until finish sends it. With PIPELINING, MAIL
// FROM, RCPT TO and DATA go in one write and their three replies are read
// after; without, one command at a time.
func (c *bulkConn) open(from, to string, body []byte) *stepError {
	return c.openAfterDot(false, from, to, body, nil)
}

// finishAndOpen is finish followed by open in one write, with PIPELINING
// (RFC 2920 §3.1 allows the end of a mail's data and the next mail's
// commands in one group): it saves a round trip per mail. dotErr is
// finish's result for the mail before, err open's for the next.
func (c *bulkConn) finishAndOpen(from, to string, body []byte) (dotErr, err *stepError) {
	err = c.openAfterDot(true, from, to, body, &dotErr)
	return dotErr, err
}

func (c *bulkConn) openAfterDot(dot bool, from, to string, body []byte, dotErr **stepError) *stepError {
	_ = c.sc.conn.SetDeadline(time.Now().Add(sendTimeout))
	var mailErr, rcptErr, dataErr error
	if dot && !c.pipelining {
		panic("mail: finishAndOpen without PIPELINING")
	}
	if c.pipelining {
		w := c.text.W
		if dot {
			w.WriteString(".\r\n")
		}
		w.WriteString("MAIL FROM:<")
		w.WriteString(from)
		w.WriteString(">\r\nRCPT TO:<")
		w.WriteString(to)
		w.WriteString(">\r\nDATA\r\n")
		if err := w.Flush(); err != nil {
			if dot {
				*dotErr = &stepError{err: fmt.Errorf("end of DATA (the mail may or may not have been delivered): %w", err), broken: true}
			}
			return &stepError{err: fmt.Errorf("MAIL FROM: %w", err), broken: true}
		}
		if dot {
			if *dotErr = c.readDot(); *dotErr != nil && (*dotErr).broken {
				return &stepError{err: fmt.Errorf("MAIL FROM: %w", (*dotErr).err), broken: true}
			}
		}
		_, _, mailErr = c.text.ReadResponse(250)
		if isConnErr(mailErr) {
			return replyError("MAIL FROM", mailErr)
		}
		_, _, rcptErr = c.text.ReadResponse(25) // 250 or 251
		if isConnErr(rcptErr) {
			return replyError("RCPT TO", rcptErr)
		}
		_, _, dataErr = c.text.ReadResponse(354)
		if isConnErr(dataErr) {
			return replyError("DATA", dataErr)
		}
		if (mailErr != nil || rcptErr != nil) && dataErr == nil {
			// The server says go ahead although it refused the sender or
			// recipient (RFC 2920 §3.1 forbids it). Whatever we sent now
			// would be a mail; dropping the connection is the safe way out.
			step, err := "MAIL FROM", mailErr
			if err == nil {
				step, err = "RCPT TO", rcptErr
			}
			e := replyError(step, err)
			e.broken = true
			return e
		}
	} else {
		if mailErr = c.cmd("MAIL FROM:<", from, ">"); mailErr == nil {
			_, _, mailErr = c.text.ReadResponse(250)
		}
		if mailErr == nil {
			if rcptErr = c.cmd("RCPT TO:<", to, ">"); rcptErr == nil {
				_, _, rcptErr = c.text.ReadResponse(25)
			}
		}
		if mailErr == nil && rcptErr == nil {
			if dataErr = c.cmd("DATA"); dataErr == nil {
				_, _, dataErr = c.text.ReadResponse(354)
			}
		}
		for _, err := range []error{mailErr, rcptErr, dataErr} {
			if isConnErr(err) {
				return replyError("SMTP", err)
			}
		}
	}
	var e *stepError
	switch {
	case mailErr != nil:
		e = replyError("MAIL FROM", mailErr)
		// A refused sender is this server's view of our From address, the
		// same for every recipient: not a reason to give up on this one.
		e.permanent = false
	case rcptErr != nil:
		e = replyError("RCPT TO", rcptErr)
	case dataErr != nil:
		e = replyError("DATA", dataErr)
	}
	if e != nil {
		// The server refused a command, so no DATA is open: RSET clears the
		// transaction for the next mail.
		if err := c.cmd("RSET"); err != nil {
			e.broken = true
		} else if _, _, err := c.text.ReadResponse(250); err != nil {
			e.broken = true
		}
		return e
	}
	if _, err := c.text.W.Write(body); err != nil {
		return &stepError{err: fmt.Errorf("DATA: %w", err), broken: true}
	}
	if err := c.text.W.Flush(); err != nil {
		return &stepError{err: fmt.Errorf("DATA: %w", err), broken: true}
	}
	return nil
}

// finish sends the "." that tells the server to deliver the mail open left
// ready, and reads its verdict.
func (c *bulkConn) finish() *stepError {
	_ = c.sc.conn.SetDeadline(time.Now().Add(sendTimeout))
	if err := c.cmd("."); err != nil {
		return &stepError{err: fmt.Errorf("end of DATA (the mail may or may not have been delivered): %w", err), broken: true}
	}
	return c.readDot()
}

// readDot reads the server's verdict on a mail whose "." was sent.
func (c *bulkConn) readDot() *stepError {
	if _, _, err := c.text.ReadResponse(250); err != nil {
		e := replyError("end of DATA", err)
		if e.broken {
			e.err = fmt.Errorf("end of DATA (the mail may or may not have been delivered): %w", err)
		}
		return e
	}
	return nil
}

// isConnErr reports whether err is a failure of the connection rather than
// a reply of the server.
func isConnErr(err error) bool {
	if err == nil {
		return false
	}
	var te *textproto.Error
	return !errors.As(err, &te)
}
