package mail

import (
	"bytes"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// sinkServer is a real SMTP server (github.com/emersion/go-smtp, which
// offers PIPELINING) that keeps no mail: it counts what arrives and lets a
// test refuse recipients, fail mails at the final ".", drop connections, and
// look at each mail at the moment its "." arrives. The tests use it where
// mailpit cannot do what they need; the benchmark uses it as the server.
type sinkServer struct {
	Addr string // host:port
	URL  string // for Config.SMTPURL

	// Hooks, set before sending; nil does nothing.
	OnRcpt func(to string) error
	// OnDot runs when a mail's final "." has arrived, before the server
	// replies; its error is the reply.
	OnDot func(to string, body []byte) error

	srv       *smtp.Server
	delivered atomic.Int64
	sessions  atomic.Int64 // opened so far
	open      atomic.Int64 // open now
	maxOpen   atomic.Int64
	mu        sync.Mutex
	reads     [][]byte // every Read from every client, when record is on
	record    bool
	rcpts     map[string]int // deliveries per recipient, when record is on
}

func startSink(t testing.TB, record bool) *sinkServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sinkServer{Addr: l.Addr().String(), record: record, rcpts: map[string]int{}}
	s.URL = "smtp://" + s.Addr
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "sink.test"
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout, s.srv.WriteTimeout = time.Minute, time.Minute
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 10
	go s.srv.Serve(&recordingListener{Listener: l, sink: s})
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// Delivered is how many mails the sink accepted at ".".
func (s *sinkServer) Delivered() int { return int(s.delivered.Load()) }

// Deliveries is how many times each recipient got a mail (record mode).
func (s *sinkServer) Deliveries() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.rcpts))
	for k, v := range s.rcpts {
		out[k] = v
	}
	return out
}

// Reads are the chunks the server read from clients, in order (record mode).
func (s *sinkServer) Reads() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.reads...)
}

func (s *sinkServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	s.sessions.Add(1)
	n := s.open.Add(1)
	for {
		m := s.maxOpen.Load()
		if n <= m || s.maxOpen.CompareAndSwap(m, n) {
			break
		}
	}
	return &sinkSession{s: s, conn: c}, nil
}

type sinkSession struct {
	s    *sinkServer
	conn *smtp.Conn
	to   string
	buf  bytes.Buffer
}

func (ss *sinkSession) Reset()        { ss.to = "" }
func (ss *sinkSession) Logout() error { ss.s.open.Add(-1); return nil }
func (ss *sinkSession) Mail(string, *smtp.MailOptions) error {
	return nil
}

func (ss *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.OnRcpt != nil {
		if err := ss.s.OnRcpt(to); err != nil {
			if err == errDrop {
				ss.conn.Conn().Close()
			}
			return err
		}
	}
	ss.to = to
	return nil
}

// errDrop tells the sink to drop the connection instead of replying.
var errDrop = &smtp.SMTPError{Code: 421, Message: "dropping the connection"}

func (ss *sinkSession) Data(r io.Reader) error {
	ss.buf.Reset()
	if _, err := ss.buf.ReadFrom(r); err != nil { // returns once "." has arrived
		return err
	}
	if ss.s.OnDot != nil {
		if err := ss.s.OnDot(ss.to, ss.buf.Bytes()); err != nil {
			return err
		}
	}
	ss.s.delivered.Add(1)
	if ss.s.record {
		ss.s.mu.Lock()
		ss.s.rcpts[ss.to]++
		ss.s.mu.Unlock()
	}
	return nil
}

// recordingListener hands the server connections that, in record mode, keep
// a copy of every Read: with pipelining, MAIL FROM, RCPT TO and DATA arrive
// in one.
type recordingListener struct {
	net.Listener
	sink *sinkServer
}

func (l *recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil || !l.sink.record {
		return c, err
	}
	return &recordingConn{Conn: c, sink: l.sink}, nil
}

type recordingConn struct {
	net.Conn
	sink *sinkServer
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.sink.mu.Lock()
		c.sink.reads = append(c.sink.reads, bytes.Clone(p[:n]))
		c.sink.mu.Unlock()
	}
	return n, err
}

// pipelined reports whether some read held MAIL FROM, RCPT TO and DATA
// together.
func pipelined(reads [][]byte) bool {
	for _, r := range reads {
		s := string(r)
		if strings.Contains(s, "MAIL FROM:<") && strings.Contains(s, "RCPT TO:<") && strings.Contains(s, "DATA\r\n") {
			return true
		}
	}
	return false
}
