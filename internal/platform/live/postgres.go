package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is the PostgreSQL NOTIFY channel every node listens on.
const Channel = "momentum_live"

const (
	// quietCheck is how long the listener waits for a notification before
	// pinging, so a connection that died silently (no TCP reset) is noticed.
	quietCheck = 30 * time.Second
	// dialTimeout bounds each connection attempt and each ping.
	dialTimeout = 10 * time.Second
	minBackoff  = 250 * time.Millisecond
	maxBackoff  = 30 * time.Second
)

// Postgres is a Broker for several nodes sharing one PostgreSQL database.
// Publish sends the event with pg_notify; one dedicated connection per node
// LISTENs and hands every notification to that node's subscribers through an
// embedded Memory. So an event published on any node reaches subscribers on
// every node, including the publishing one, and events published one after
// another arrive in that order.
type Postgres struct {
	mem     *Memory
	pool    *pgxpool.Pool
	connCfg *pgx.ConnConfig
	log     *slog.Logger

	closed    atomic.Bool
	stop      context.CancelFunc
	done      chan struct{} // closed when the listener goroutine returns
	closeOnce sync.Once

	listenerPID atomic.Uint32 // backend PID of the current listener, for tests
}

// NewPostgres connects to PostgreSQL, starts listening, and returns once the
// listener is in place, so events published after it returns are delivered.
// ctx bounds only the initial connection. A nil log means slog.Default().
// connString may carry pgxpool settings (pool_max_conns) for Publish.
func NewPostgres(ctx context.Context, connString string, log *slog.Logger) (*Postgres, error) {
	if log == nil {
		log = slog.Default()
	}
	poolCfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		return nil, fmt.Errorf("live: parse PostgreSQL config: %w", err)
	}
	p := &Postgres{
		mem:     NewMemory(),
		connCfg: poolCfg.ConnConfig.Copy(), // pool_* settings already removed
		log:     log,
		done:    make(chan struct{}),
	}
	conn, err := p.connect(ctx)
	if err != nil {
		return nil, err
	}
	p.pool, err = pgxpool.NewWithConfig(ctx, poolCfg)
	if err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("live: open PostgreSQL pool: %w", err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	p.stop = stop
	go p.listen(runCtx, conn)
	return p, nil
}

// Publish implements Broker: it sends e to every node with pg_notify. It waits
// for the database, never for subscribers.
func (p *Postgres) Publish(ctx context.Context, e Event) error {
	payload, err := encode(e)
	if err != nil {
		return err
	}
	if p.closed.Load() {
		return ErrClosed
	}
	if _, err := p.pool.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, string(payload)); err != nil {
		return fmt.Errorf("live: publish to %q: %w", e.Topic, err)
	}
	return nil
}

// Subscribe implements Broker.
func (p *Postgres) Subscribe(ctx context.Context, topics ...string) (<-chan Event, func()) {
	return p.mem.Subscribe(ctx, topics...)
}

// Close stops the listener, waits for it, closes the pool and every
// subscription channel. It is safe to call more than once.
func (p *Postgres) Close() error {
	p.closeOnce.Do(func() {
		p.closed.Store(true)
		p.stop()
		<-p.done
		p.pool.Close()
		p.mem.Close()
	})
	return nil
}

// Dropped reports how many events this node did not deliver because a
// subscriber's buffer was full.
func (p *Postgres) Dropped() uint64 { return p.mem.Dropped() }

// connect opens a listener connection and LISTENs on Channel.
func (p *Postgres) connect(ctx context.Context) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, p.connCfg.Copy())
	if err != nil {
		return nil, fmt.Errorf("live: connect listener: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("live: listen on %s: %w", Channel, err)
	}
	p.listenerPID.Store(conn.PgConn().PID())
	return conn, nil
}

// listen receives notifications until ctx is done, reconnecting with
// exponential backoff whenever the connection fails.
func (p *Postgres) listen(ctx context.Context, conn *pgx.Conn) {
	defer close(p.done)
	backoff := minBackoff
	for {
		if conn == nil {
			c, err := p.connect(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				p.log.Warn("live: reconnecting listener failed", "err", err, "retry_in", backoff)
				t := time.NewTimer(backoff)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
				backoff = min(2*backoff, maxBackoff)
				continue
			}
			conn, backoff = c, minBackoff
			p.log.Info("live: listener reconnected; events sent while it was down were lost", "channel", Channel)
		}
		err := p.receive(ctx, conn)
		closeConn(conn)
		conn = nil
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("live: listener connection lost; reconnecting", "err", err)
	}
}

// receive hands notifications to local subscribers until the connection
// fails or ctx is done.
func (p *Postgres) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		waitCtx, cancel := context.WithTimeout(ctx, quietCheck)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil:
			p.dispatch(n.Payload)
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			// Quiet for a while: make sure the connection is still there.
			pingCtx, cancel := context.WithTimeout(ctx, dialTimeout)
			err := conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return fmt.Errorf("ping: %w", err)
			}
		default:
			return err
		}
	}
}

func (p *Postgres) dispatch(payload string) {
	e, err := decode(payload)
	if err != nil {
		p.log.Warn("live: ignoring notification", "channel", Channel, "err", err)
		return
	}
	_ = p.mem.deliver(e) // ErrClosed only while closing
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = conn.Close(ctx)
}
