package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// peakRSSLimit is issue 11's bound on the server's peak memory while it
// takes a 100 MB upload of one line.
const peakRSSLimit = 200 << 20

// TestUploadMemory is the acceptance test of issue 11's memory line: a real
// `momentum serve` is sent, through the import wizard, a 100 MB CSV file of
// one line, then a file whose second line is 100 MB, then a file with a
// long header it accepts, whose column page is asked for three times. The
// first two are refused naming the line, no page carries more than a few
// dozen characters of a header or cell, and the server's peak resident
// memory (VmHWM) stays under 200 MB throughout. The files are generated as
// they are sent, never held by the test.
func TestUploadMemory(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("reads the server's peak memory from /proc (Linux only)")
	}
	if testing.Short() {
		t.Skip("sends 200 MB to a server: not with -short")
	}
	bin := momentumBinary(t)
	data := t.TempDir()
	vars := []string{"MOMENTUM_DATA=" + data, "MOMENTUM_LOG_LEVEL=warn"}
	const email, password = "ada@example.org", "correct horse battery staple"
	admin := exec.Command(bin, "user", "create-admin", "--email", email, "--password", password, "--name", "Ada Lovelace")
	admin.Env = procEnv(vars...)
	if out, err := admin.CombinedOutput(); err != nil {
		t.Fatalf("user create-admin: %v\n%s", err, out)
	}
	n := startServeIn(t, bin, "node", data, vars...)
	n.waitReady(t, time.Now().Add(30*time.Second))
	session := login(t, n, email, password)

	const size = 100 << 20
	oneLine := func(w io.Writer) error { return repeat(w, 'x', size) }
	res := uploadRefusal(t, n, session, "one-line.csv", oneLine)
	mustContain(t, res, "The first line (the column names) is longer than 64 KiB")
	longRow := func(w io.Writer) error {
		if _, err := io.WriteString(w, "Email,Notes\nann@example.org,"); err != nil {
			return err
		}
		return repeat(w, 'n', size)
	}
	res = uploadRefusal(t, n, session, "long-row.csv", longRow)
	mustContain(t, res, "The row starting on line 2 is longer than 1 MiB")

	// A header of 30,000 characters in a few columns, and a cell as long:
	// accepted, and shown cut short.
	wide := func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Email,%s,%s\nann@example.org,%s,x\n",
			strings.Repeat("H", 30_000), strings.Repeat("I", 30_000), strings.Repeat("C", 30_000))
		return err
	}
	up := uploadCSV(t, n, session, "wide.csv", wide, nil)
	draft := runLocation.FindStringSubmatch(up.Header.Get("Location"))
	if up.StatusCode != http.StatusSeeOther || draft == nil {
		t.Fatalf("wide file: status %d, Location %q, want 303 to its columns", up.StatusCode, up.Header.Get("Location"))
	}
	for range 3 {
		page := send(t, "GET", n.url+"/imports/"+draft[1], session, nil)
		if page.Status != http.StatusOK {
			t.Fatalf("column page: status %d", page.Status)
		}
		for _, c := range []string{"H", "I", "C"} {
			if strings.Contains(page.Body, strings.Repeat(c, 100)) {
				t.Errorf("the column page carries 100 characters of a %s…: it should cut them short", c)
			}
		}
		if len(page.Body) > 200<<10 {
			t.Errorf("the column page is %d KB", len(page.Body)>>10)
		}
	}

	peak := peakRSS(t, n.cmd.Process.Pid)
	t.Logf("server's peak RSS after 200 MB of refused uploads and three column pages: %d MB", peak>>20)
	if peak >= peakRSSLimit {
		t.Errorf("server's peak RSS = %d MB, want under %d MB", peak>>20, peakRSSLimit>>20)
	}
	left, _ := filepath.Glob(filepath.Join(data, "import-drafts", "upload-*"))
	if len(left) != 0 {
		t.Errorf("refused uploads left files behind: %v", left)
	}
}

// uploadRefusal uploads a file the server must refuse, and returns the
// text of its answer.
func uploadRefusal(t *testing.T, n *serveNode, session, name string, body func(io.Writer) error) string {
	t.Helper()
	res := uploadCSVBody(t, n, session, name, body)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d, want 422", name, res.status)
	}
	return res.body
}

type pageAnswer struct {
	status int
	body   string
}

// uploadCSVBody is uploadCSV keeping the answer's body (a refusal page).
func uploadCSVBody(t *testing.T, n *serveNode, session, name string, body func(io.Writer) error) pageAnswer {
	t.Helper()
	var a pageAnswer
	uploadCSVWith(t, n, session, name, body, nil, func(r *http.Response) {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		a = pageAnswer{status: r.StatusCode, body: string(b)}
	})
	return a
}

func mustContain(t *testing.T, body, want string) {
	t.Helper()
	if !strings.Contains(body, want) {
		t.Errorf("the page lacks %q", want)
	}
	if strings.Contains(body, strings.Repeat("x", 100)) || strings.Contains(body, strings.Repeat("n", 100)) {
		t.Error("the refusal echoes the file")
	}
}

// repeat writes n bytes of c in chunks.
func repeat(w io.Writer, c byte, n int) error {
	chunk := []byte(strings.Repeat(string(c), 64<<10))
	for n > 0 {
		k := min(n, len(chunk))
		if _, err := w.Write(chunk[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}
