package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver, to read audit_log directly

	"github.com/momentum-movement/momentum/internal/app/apptest"
	"github.com/momentum-movement/momentum/internal/platform/db/dbtest"
)

// The real binary, built once for every test that runs it as a process.
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// momentumBinary builds ./cmd/momentum on first use and returns its path.
func momentumBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "momentum-bin-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "momentum")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// procEnv is this process's environment without any MOMENTUM_* setting,
// plus vars.
func procEnv(vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MOMENTUM_") {
			env = append(env, kv)
		}
	}
	return append(env, vars...)
}

// syncBuffer collects a child's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// serveNode is one `momentum serve` process.
type serveNode struct {
	name           string
	addr, url      string
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	exited         chan struct{} // closed when the process has ended
	waitErr        error         // valid once exited is closed
	killed         bool          // the test killed it: cleanup expects no clean exit
}

// startServe starts `momentum serve` on a free port, stops it with SIGTERM
// when the test ends and checks that it exits cleanly within ten seconds.
func startServe(t *testing.T, bin, name string, vars ...string) *serveNode {
	t.Helper()
	return startServeIn(t, bin, name, filepath.Join(t.TempDir(), name), vars...)
}

// startServeIn is startServe with the data folder given, so that a node
// can be started again on the data of one that was killed.
func startServeIn(t *testing.T, bin, name, data string, vars ...string) *serveNode {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	n := &serveNode{name: name, addr: addr, url: "http://" + addr,
		stdout: &syncBuffer{}, stderr: &syncBuffer{}, exited: make(chan struct{})}
	n.cmd = exec.Command(bin, "serve", "--addr", addr, "--data", data)
	n.cmd.Env = procEnv(vars...)
	n.cmd.Stdout, n.cmd.Stderr = n.stdout, n.stderr
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { n.waitErr = n.cmd.Wait(); close(n.exited) }()
	t.Cleanup(func() {
		select {
		case <-n.exited:
			if !n.killed {
				t.Errorf("%s ended before the test stopped it: %v", name, n.waitErr)
			}
		default:
			_ = n.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-n.exited:
				if n.waitErr != nil {
					t.Errorf("%s after SIGTERM: %v, want exit status 0", name, n.waitErr)
				}
			case <-time.After(10 * time.Second):
				_ = n.cmd.Process.Kill()
				<-n.exited
				t.Errorf("%s did not exit within 10s of SIGTERM", name)
			}
		}
		if t.Failed() {
			t.Logf("%s stdout:\n%s\n%s stderr:\n%s", name, n.stdout, name, n.stderr)
		}
	})
	return n
}

// kill ends the node with SIGKILL, as a crash or the OOM killer would,
// and waits until it has gone.
func (n *serveNode) kill(t *testing.T) {
	t.Helper()
	n.killed = true
	if err := n.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill %s: %v", n.name, err)
	}
	<-n.exited
}

// waitReady polls /readyz until it answers 200.
func (n *serveNode) waitReady(t *testing.T, deadline time.Time) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second}
	for {
		res, err := c.Get(n.url + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-n.exited:
			t.Fatalf("%s exited before it was ready: %v", n.name, n.waitErr)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: /readyz not 200 in time (last error %v)", n.name, err)
		}
	}
}

// noRedirects is a client without a cookie jar that shows each response as
// it is: the tests carry the session cookie from node to node by hand.
var noRedirects = &http.Client{
	Timeout:       15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// send makes a request with session (when not empty) as the
// momentum_session cookie; with a form it is a same-origin POST.
func send(t *testing.T, method, u, session string, form url.Values) apptest.Response {
	t.Helper()
	var req *http.Request
	if form != nil {
		req, _ = http.NewRequest(method, u, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	} else {
		req, _ = http.NewRequest(method, u, nil)
	}
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "momentum_session", Value: session})
	}
	return apptest.Do(t, noRedirects, req)
}

// login logs in through the form on n and returns the session cookie.
func login(t *testing.T, n *serveNode, email, password string) string {
	t.Helper()
	res := send(t, "POST", n.url+"/login", "", url.Values{"email": {email}, "password": {password}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("login on %s: status %d\n%s", n.name, res.Status, res.Body)
	}
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == "momentum_session" && c.Value != "" {
			return c.Value
		}
	}
	t.Fatalf("login on %s set no momentum_session cookie: %v", n.name, res.Header["Set-Cookie"])
	return ""
}

// TestTwoNodes is the acceptance test for scale-out (DESIGN.md): two real
// `momentum serve` processes on one PostgreSQL database share sessions, live
// events and the job queue, and each stops cleanly on SIGTERM.
func TestTwoNodes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("stops the servers with SIGTERM")
	}
	dbURL := dbtest.PostgresURL(t)
	bin := momentumBinary(t)

	const email, password, name = "ada@example.org", "correct horse battery staple", "Ada Lovelace"
	// Every node of a network shares one ballot key file (each has its own
	// data folder); a node with another key refuses to start.
	keyFile := "MOMENTUM_BALLOT_KEY_FILE=" + filepath.Join(t.TempDir(), "ballot.key")
	cmd := exec.Command(bin, "user", "create-admin", "--email", email, "--password", password, "--name", name)
	cmd.Env = procEnv("MOMENTUM_DATABASE_URL="+dbURL, "MOMENTUM_LOG_FORMAT=json", keyFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("user create-admin: %v\n%s", err, out)
	}

	vars := []string{"MOMENTUM_DATABASE_URL=" + dbURL, "MOMENTUM_LOG_FORMAT=json", keyFile}
	n1 := startServe(t, bin, "node1", vars...)
	n2 := startServe(t, bin, "node2", vars...)
	deadline := time.Now().Add(30 * time.Second)
	n1.waitReady(t, deadline)
	n2.waitReady(t, deadline)

	t.Run("Startup", func(t *testing.T) {
		u, _ := url.Parse(dbURL)
		for _, n := range []*serveNode{n1, n2} {
			for _, want := range []string{
				"Momentum is serving http://" + n.addr + "\n",
				"Data: PostgreSQL at " + u.Host + u.Path + "\n",
			} {
				if !strings.Contains(n.stdout.String(), want) {
					t.Errorf("%s stdout lacks %q:\n%s", n.name, want, n.stdout)
				}
			}
			if !strings.Contains(n.stderr.String(), `"msg":"started"`) {
				t.Errorf("%s logged no JSON \"started\" line:\n%s", n.name, n.stderr)
			}
		}
	})

	t.Run("SessionAcrossNodes", func(t *testing.T) {
		session := login(t, n1, email, password)
		res := send(t, "GET", n2.url+"/dashboard", session, nil)
		if res.Status != http.StatusOK || !strings.Contains(res.Body, "Hello, "+name) {
			t.Fatalf("node 1's session on node 2's /dashboard: status %d, greeting %v",
				res.Status, strings.Contains(res.Body, "Hello, "+name))
		}
		if res := send(t, "POST", n2.url+"/logout", session, url.Values{}); res.Status != http.StatusSeeOther {
			t.Fatalf("logout on node 2: status %d", res.Status)
		}
		for _, n := range []*serveNode{n1, n2} {
			res := send(t, "GET", n.url+"/dashboard", session, nil)
			if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("after logout on node 2, the old cookie on %s: status %d, Location %q, want 303 to /login",
					n.name, res.Status, res.Header.Get("Location"))
			}
		}
	})

	// One admin session for the rest.
	session := login(t, n1, email, password)

	t.Run("LiveAcrossNodes", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		// The stream on node 2 is the point; the one on node 1 tells a broken
		// fan-out between nodes apart from a broken stream.
		far := openStream(t, ctx, n2, session)
		near := openStream(t, ctx, n1, session)

		msg := fmt.Sprintf("The rally has moved to the square (%d)", time.Now().UnixNano())
		if r := send(t, "POST", n1.url+"/admin/announce", session, url.Values{"message": {msg}}); r.Status != http.StatusSeeOther {
			t.Fatalf("announce on node 1: status %d\n%s", r.Status, r.Body)
		}
		deadline := time.Now().Add(5 * time.Second)
		if seen, ok := waitLine(far, "data: "+msg, deadline); !ok {
			t.Errorf("node 2's stream did not carry node 1's announcement within 5s; it sent %q", seen)
		}
		if seen, ok := waitLine(near, "data: "+msg, deadline); !ok {
			t.Errorf("node 1's own stream did not carry its announcement within 5s; it sent %q", seen)
		}
	})

	t.Run("EachJobRunsOnce", func(t *testing.T) {
		const count = 40
		res := send(t, "POST", n1.url+"/admin/jobs/ping", session, url.Values{"count": {fmt.Sprint(count)}})
		loc, _ := url.Parse(res.Header.Get("Location"))
		if res.Status != http.StatusSeeOther || loc == nil || loc.Query().Get("target") == "" {
			t.Fatalf("POST /admin/jobs/ping: status %d, Location %q", res.Status, res.Header.Get("Location"))
		}
		nonce := loc.Query().Get("target")

		d, err := sql.Open("pgx", dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		ctx := context.Background()
		// Wait until every ping job has finished, so no run can still be on
		// its way, then count the audit rows they left.
		var rows, unfinished int
		deadline := time.Now().Add(20 * time.Second)
		for {
			err := d.QueryRowContext(ctx, `SELECT
				(SELECT count(*) FROM audit_log WHERE action = 'job.ping' AND target_id = $1),
				(SELECT count(*) FROM river_job WHERE kind = 'admin.ping' AND args->>'nonce' = $1 AND state <> 'completed')`,
				nonce).Scan(&rows, &unfinished)
			if err != nil {
				t.Fatal(err)
			}
			if rows >= count && unfinished == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after 20s: %d job.ping rows, %d jobs unfinished", rows, unfinished)
			}
			time.Sleep(200 * time.Millisecond)
		}

		q, err := d.QueryContext(ctx, `SELECT details FROM audit_log WHERE action = 'job.ping' AND target_id = $1`, nonce)
		if err != nil {
			t.Fatal(err)
		}
		defer q.Close()
		seqs := map[int]int{}
		byNode := map[string]int{}
		total := 0
		for q.Next() {
			var raw string
			var det struct {
				Node string `json:"node"`
				Seq  *int   `json:"seq"`
			}
			if err := q.Scan(&raw); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(raw), &det); err != nil || det.Seq == nil || det.Node == "" {
				t.Fatalf("job.ping details %s: want node and seq (%v)", raw, err)
			}
			total++
			seqs[*det.Seq]++
			byNode[det.Node]++
		}
		if err := q.Err(); err != nil {
			t.Fatal(err)
		}
		if total != count {
			t.Errorf("%d job.ping rows, want exactly %d", total, count)
		}
		for s := 0; s < count; s++ {
			if seqs[s] != 1 {
				t.Errorf("job seq %d ran %d times, want once", s, seqs[s])
			}
		}
		if len(seqs) != count {
			t.Errorf("seq values %v, want exactly 0..%d", sortedKeys(seqs), count-1)
		}
		ours := map[string]string{}
		for _, n := range []*serveNode{n1, n2} {
			ours[fmt.Sprintf(":%d", n.cmd.Process.Pid)] = n.name
		}
		for node, k := range byNode {
			who := ""
			for suffix, name := range ours {
				if strings.HasSuffix(node, suffix) {
					who = name
				}
			}
			if who == "" {
				t.Errorf("%d jobs ran on %q, which is neither serve process", k, node)
			}
			t.Logf("%s (%s) ran %d of the %d jobs", who, node, k, count)
		}
	})
}

// openStream connects to n's announcements stream as session and returns its
// lines; the stream ends with ctx.
func openStream(t *testing.T, ctx context.Context, n *serveNode, session string) <-chan string {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", n.url+"/live/announcements", nil)
	req.AddCookie(&http.Cookie{Name: "momentum_session", Value: session})
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET /live/announcements on %s: %v", n.name, err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("GET /live/announcements on %s: status %d, Content-Type %q", n.name, res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}

// waitLine reads lines until want arrives (true) or the stream ends or the
// deadline passes (false, with the lines seen).
func waitLine(lines <-chan string, want string, deadline time.Time) (seen []string, ok bool) {
	timeout := time.After(time.Until(deadline))
	for {
		// Lines already received count even when the deadline has passed.
		var l string
		var open bool
		select {
		case l, open = <-lines:
		default:
			select {
			case l, open = <-lines:
			case <-timeout:
				return seen, false
			}
		}
		if !open {
			return append(seen, "(stream ended)"), false
		}
		if l == want {
			return seen, true
		}
		seen = append(seen, l)
	}
}

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
