package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/db"
)

// A node is one process working jobs. River marks a job running with the
// id of the client that fetched it (river_job.attempted_by) and leaves it
// so if that process dies: its own rescuer only looks again once the
// job's timeout has passed. So each node keeps a row in job_nodes, and
// every node looks for running jobs whose node is dead (see rescue.go).
const (
	// HeartbeatEvery is how often a node refreshes its row.
	HeartbeatEvery = 5 * time.Second
	// NodeDeadAfter is how old a heartbeat must be for its node to count
	// as dead: six missed heartbeats, so a busy database or a long pause
	// does not make a living node look dead.
	NodeDeadAfter = 30 * time.Second
	// RescueEvery is how often a node looks for the jobs of dead nodes
	// (and once when it starts).
	RescueEvery = 10 * time.Second
)

// processStarted is when this process started, near enough: a row with
// this process's space and pid that started before it belongs to an
// earlier process that had the same pid (in a container, the server is
// often pid 1 every time).
var processStarted = time.Now()

// self is what a node's row says about the process it runs in.
type self struct {
	host  string
	pid   int
	space string
}

func thisProcess() self {
	host, _ := os.Hostname()
	return self{host: host, pid: os.Getpid(), space: processSpace(host)}
}

// processSpace names the set of processes this one can see by pid: the
// host, its boot and the pid namespace. Two nodes with the same space can
// ask the kernel whether the other's pid is alive, and so tell a crash at
// once instead of after NodeDeadAfter. "" (no such check) outside Linux.
func processSpace(host string) string {
	if runtime.GOOS != "linux" {
		return ""
	}
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	ns, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		return ""
	}
	return host + "/" + strings.TrimSpace(string(boot)) + "/" + ns
}

// processGone reports whether no process has pid (in this pid namespace).
func processGone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}

// register writes this node's row.
func (j *Jobs) register(ctx context.Context) error {
	now := db.Now()
	_, err := j.d.Exec(ctx, `INSERT INTO job_nodes (id, host, pid, space, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)`,
		j.id, j.self.host, j.self.pid, j.self.space, now, now)
	if err != nil {
		return fmt.Errorf("register job node: %w", err)
	}
	return nil
}

// heartbeat refreshes this node's row (and writes it again if another node
// took it for dead and deleted it).
func (j *Jobs) heartbeat(ctx context.Context) error {
	res, err := j.d.Exec(ctx, `UPDATE job_nodes SET heartbeat_at = ? WHERE id = ?`, db.Now(), j.id)
	if err != nil {
		return fmt.Errorf("job node heartbeat: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return j.register(ctx)
	}
	return nil
}

// unregister deletes this node's row when it stops cleanly.
func (j *Jobs) unregister(ctx context.Context) error {
	if _, err := j.d.Exec(ctx, `DELETE FROM job_nodes WHERE id = ?`, j.id); err != nil {
		return fmt.Errorf("unregister job node: %w", err)
	}
	return nil
}

// nodeRow is a row of job_nodes.
type nodeRow struct {
	id, host, space   string
	pid               int
	started, lastBeat time.Time
}

// liveNodes maps the nodes of job_nodes to whether they are alive as far
// as this node can tell.
func (j *Jobs) liveNodes(ctx context.Context, now time.Time) (map[string]bool, error) {
	rows, err := j.d.Query(ctx, `SELECT id, host, pid, space, started_at, heartbeat_at FROM job_nodes`)
	if err != nil {
		return nil, fmt.Errorf("list job nodes: %w", err)
	}
	defer rows.Close()
	live := map[string]bool{j.id: true}
	for rows.Next() {
		var n nodeRow
		if err := rows.Scan(&n.id, &n.host, &n.pid, &n.space, &n.started, &n.lastBeat); err != nil {
			return nil, fmt.Errorf("list job nodes: %w", err)
		}
		if n.id != j.id {
			live[n.id] = j.alive(n, now)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list job nodes: %w", err)
	}
	return live, nil
}

// alive decides whether node n is alive: its heartbeat is recent and, when
// it runs beside this node, its process is still there.
func (j *Jobs) alive(n nodeRow, now time.Time) bool {
	if now.Sub(n.lastBeat) > NodeDeadAfter {
		return false
	}
	if j.self.space == "" || n.space != j.self.space {
		return true
	}
	if n.pid == j.self.pid { // another client in this process, or an earlier process with this pid
		return !n.started.Before(processStarted)
	}
	return !processGone(n.pid)
}
