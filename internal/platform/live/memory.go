package live

import (
	"context"
	"sync"
	"sync/atomic"
)

// Memory is a Broker for one process: Publish hands the event straight to
// this process's subscribers. Use it with SQLite, where there is one node.
// The zero value is not usable; call NewMemory.
type Memory struct {
	mu      sync.RWMutex
	byTopic map[string]map[*subscription]struct{}
	subs    map[*subscription]struct{}
	closed  bool

	dropped atomic.Uint64
}

type subscription struct {
	ch     chan Event
	topics []string
}

// NewMemory returns an in-process broker.
func NewMemory() *Memory {
	return &Memory{
		byTopic: make(map[string]map[*subscription]struct{}),
		subs:    make(map[*subscription]struct{}),
	}
}

// Publish implements Broker. It does not block: a subscriber whose buffer is
// full misses the event (see Dropped).
func (m *Memory) Publish(_ context.Context, e Event) error {
	if _, err := encode(e); err != nil {
		return err
	}
	return m.deliver(e)
}

// deliver fans e out without checking it; Postgres calls it for events that
// arrive by NOTIFY.
func (m *Memory) deliver(e Event) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return ErrClosed
	}
	// Sending under the read lock is safe: channels are only closed under
	// the write lock, and the send never blocks.
	for s := range m.byTopic[e.Topic] {
		select {
		case s.ch <- e:
		default:
			m.dropped.Add(1)
		}
	}
	return nil
}

// Subscribe implements Broker. After Close it returns a closed channel.
func (m *Memory) Subscribe(ctx context.Context, topics ...string) (<-chan Event, func()) {
	s := &subscription{ch: make(chan Event, SubscriberBuffer)}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		close(s.ch)
		return s.ch, func() {}
	}
	for _, t := range topics {
		set := m.byTopic[t]
		if set == nil {
			set = make(map[*subscription]struct{})
			m.byTopic[t] = set
		}
		if _, dup := set[s]; !dup {
			set[s] = struct{}{}
			s.topics = append(s.topics, t)
		}
	}
	m.subs[s] = struct{}{}
	m.mu.Unlock()

	var once sync.Once
	unsubscribe := func() { once.Do(func() { m.unsubscribe(s) }) }
	stop := context.AfterFunc(ctx, unsubscribe)
	return s.ch, func() {
		stop()
		unsubscribe()
	}
}

func (m *Memory) unsubscribe(s *subscription) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.subs[s]; !ok {
		return // already closed by Close
	}
	delete(m.subs, s)
	for _, t := range s.topics {
		delete(m.byTopic[t], s)
		if len(m.byTopic[t]) == 0 {
			delete(m.byTopic, t)
		}
	}
	close(s.ch)
}

// Close closes every subscription channel; later Publish calls return
// ErrClosed. It is safe to call more than once.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	for s := range m.subs {
		close(s.ch)
	}
	m.subs = nil
	m.byTopic = nil
	return nil
}

// Dropped reports how many events were not delivered because a subscriber's
// buffer was full, since the broker started.
func (m *Memory) Dropped() uint64 { return m.dropped.Load() }
