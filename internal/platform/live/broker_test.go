package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// wait is how long a test waits for an event to cross PostgreSQL.
const wait = 5 * time.Second

// newNodes returns two brokers that share events: pub is the node a service
// publishes on, sub the node a page subscribes on. For Memory they are the
// same broker; for Postgres they are two nodes on one database. The test
// closes both.
type newNodes func(t *testing.T) (pub, sub Broker)

type dropCounter interface{ Dropped() uint64 }

// testBroker is the behaviour every Broker must have.
func testBroker(t *testing.T, nodes newNodes) {
	t.Run("TopicsAndOrder", func(t *testing.T) {
		pub, sub := nodes(t)
		a, b := topic(t, "a"), topic(t, "b")
		chA, cancelA := sub.Subscribe(t.Context(), a)
		defer cancelA()
		chB, cancelB := sub.Subscribe(t.Context(), b)
		defer cancelB()
		local, cancelLocal := pub.Subscribe(t.Context(), a)
		defer cancelLocal()

		for _, e := range []Event{
			{Topic: a, Data: "a1"}, {Topic: b, Data: "b1"}, {Topic: a, Data: "a2"},
			{Topic: a, Data: "a3"}, {Topic: b, Data: "b-end"}, {Topic: a, Data: "a-end"},
		} {
			mustPublish(t, pub, e)
		}
		// Events interleave across topics, so any leak between topics or
		// any reordering shows up in these exact sequences.
		expectData(t, chA, "a1", "a2", "a3", "a-end")
		expectData(t, chB, "b1", "b-end")
		expectData(t, local, "a1", "a2", "a3", "a-end") // the publishing node's own pages too
	})

	t.Run("SeveralTopicsOneChannel", func(t *testing.T) {
		pub, sub := nodes(t)
		a, b, c := topic(t, "a"), topic(t, "b"), topic(t, "c")
		ch, cancel := sub.Subscribe(t.Context(), a, b, a) // duplicate topic: still one copy
		defer cancel()
		mustPublish(t, pub, Event{Topic: a, Data: "1"})
		mustPublish(t, pub, Event{Topic: c, Data: "not subscribed"})
		mustPublish(t, pub, Event{Topic: b, Data: "2"})
		mustPublish(t, pub, Event{Topic: a, Data: "3"})
		expectData(t, ch, "1", "2", "3")
	})

	t.Run("EventArrivesIntact", func(t *testing.T) {
		pub, sub := nodes(t)
		tp := topic(t, "x")
		ch, cancel := sub.Subscribe(t.Context(), tp)
		defer cancel()
		sent := []Event{
			{Topic: tp},
			{Topic: tp, Name: "queue-changed", Data: "line 1\nline 2\r\n"},
			{Topic: tp, Name: "vote", Data: `ünïcødé ✊ <b class="x">&amp;</b> \ 	tab`},
			{Topic: tp, Name: "big", Data: strings.Repeat("x", MaxDataSize)},
		}
		for _, e := range sent {
			mustPublish(t, pub, e)
		}
		for _, want := range sent {
			if got := recv(t, ch); got != want {
				t.Errorf("received %+.60v, want %+.60v", got, want)
			}
		}
	})

	t.Run("RefusesBadEvents", func(t *testing.T) {
		pub, sub := nodes(t)
		tp := topic(t, "x")
		ch, cancel := sub.Subscribe(t.Context(), tp)
		defer cancel()
		for _, tc := range []struct {
			name string
			e    Event
			want error
		}{
			{"DataTooLarge", Event{Topic: tp, Data: strings.Repeat("x", MaxDataSize+1)}, ErrTooLarge},
			// 4000 quotes are 8000 bytes once JSON-escaped: over NOTIFY's limit.
			{"EncodedTooLarge", Event{Topic: tp, Data: strings.Repeat(`"`, 4000)}, ErrTooLarge},
			{"NoTopic", Event{Data: "x"}, ErrInvalidEvent},
			{"LineBreakInName", Event{Topic: tp, Name: "a\ndata: injected"}, ErrInvalidEvent},
			{"InvalidUTF8", Event{Topic: tp, Data: "\xff\xfe"}, ErrInvalidEvent},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := pub.Publish(t.Context(), tc.e); !errors.Is(err, tc.want) {
					t.Fatalf("Publish = %v, want %v", err, tc.want)
				}
			})
		}
		mustPublish(t, pub, Event{Topic: tp, Data: "sentinel"})
		expectData(t, ch, "sentinel") // nothing refused was delivered
	})

	t.Run("CancelClosesChannel", func(t *testing.T) {
		pub, sub := nodes(t)
		tp := topic(t, "x")
		ch, cancel := sub.Subscribe(t.Context(), tp)
		other, cancelOther := sub.Subscribe(t.Context(), tp)
		defer cancelOther()
		cancel()
		cancel() // twice is fine
		mustPublish(t, pub, Event{Topic: tp, Data: "after cancel"})
		expectData(t, other, "after cancel")
		expectClosed(t, ch)
	})

	t.Run("ContextDoneClosesChannel", func(t *testing.T) {
		_, sub := nodes(t)
		ctx, stop := context.WithCancel(t.Context())
		ch, cancel := sub.Subscribe(ctx, topic(t, "x"))
		defer cancel()
		stop()
		expectClosed(t, ch)
	})

	t.Run("SlowSubscriberDropsInsteadOfBlocking", func(t *testing.T) {
		pub, sub := nodes(t)
		dc, ok := sub.(dropCounter)
		if !ok {
			t.Fatalf("%T has no Dropped method", sub)
		}
		tp := topic(t, "x")
		slow, cancelSlow := sub.Subscribe(t.Context(), tp) // never reads until the end
		defer cancelSlow()
		fast, cancelFast := sub.Subscribe(t.Context(), tp)
		defer cancelFast()
		before := dc.Dropped()

		const n = 100
		for i := range n {
			mustPublish(t, pub, Event{Topic: tp, Data: fmt.Sprint(i)})
			// Reading in step keeps fast's buffer empty, so only slow drops.
			if got := recv(t, fast); got.Data != fmt.Sprint(i) {
				t.Fatalf("fast subscriber got %q, want %q", got.Data, fmt.Sprint(i))
			}
		}
		want := uint64(n - SubscriberBuffer)
		eventually(t, func() bool { return dc.Dropped()-before == want },
			func() string { return fmt.Sprintf("dropped %d, want %d", dc.Dropped()-before, want) })

		var kept []string
		for range SubscriberBuffer {
			kept = append(kept, fmt.Sprint(len(kept)))
		}
		expectData(t, slow, kept...) // the oldest events are the ones kept
		if len(slow) != 0 {
			t.Errorf("slow subscriber holds %d more events, want 0", len(slow))
		}
	})

	t.Run("CloseClosesSubscriptions", func(t *testing.T) {
		pub, sub := nodes(t)
		tp := topic(t, "x")
		ch1, cancel1 := sub.Subscribe(t.Context(), tp)
		ch2, cancel2 := sub.Subscribe(t.Context(), topic(t, "y"))
		if err := sub.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		expectClosed(t, ch1)
		expectClosed(t, ch2)
		cancel1() // after Close: no panic
		cancel2()
		if err := sub.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if err := sub.Publish(t.Context(), Event{Topic: tp}); !errors.Is(err, ErrClosed) {
			t.Errorf("Publish after Close = %v, want ErrClosed", err)
		}
		late, cancelLate := sub.Subscribe(t.Context(), tp)
		defer cancelLate()
		expectClosed(t, late)
		if pub != sub {
			mustPublish(t, pub, Event{Topic: tp, Data: "other node still works"})
		}
	})

	t.Run("ConcurrentPublishSubscribe", func(t *testing.T) {
		pub, sub := nodes(t)
		tp := topic(t, "x")
		const publishers, perPublisher = 4, 50
		steady, cancelSteady := sub.Subscribe(t.Context(), tp)
		defer cancelSteady()

		var pubs, others sync.WaitGroup
		done := make(chan struct{})
		defer others.Wait() // runs after close(done), also when the test fails
		defer close(done)
		for range 4 { // subscribers coming and going while events flow
			others.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					ch, cancel := sub.Subscribe(t.Context(), tp, topic(t, "other"))
					select {
					case <-ch:
					case <-time.After(time.Millisecond):
					}
					cancel()
				}
			})
		}
		for p := range publishers {
			pubs.Go(func() {
				for i := range perPublisher {
					if err := pub.Publish(t.Context(), Event{Topic: tp, Data: fmt.Sprintf("%d %d", p, i)}); err != nil {
						t.Errorf("Publish: %v", err)
						return
					}
				}
			})
		}
		others.Go(func() {
			pubs.Wait()
			// The steady buffer may be full and drop one "end": repeat it.
			for {
				_ = pub.Publish(t.Context(), Event{Topic: tp, Data: "end"})
				select {
				case <-done:
					return
				case <-time.After(10 * time.Millisecond):
				}
			}
		})

		received := 0
		last := map[int]int{}
		timeout := time.After(4 * wait)
	loop:
		for {
			select {
			case e, ok := <-steady:
				if !ok {
					t.Fatal("steady subscription closed")
				}
				if e.Data == "end" {
					break loop
				}
				var p, i int
				if _, err := fmt.Sscanf(e.Data, "%d %d", &p, &i); err != nil {
					t.Fatalf("unexpected event %q", e.Data)
				}
				if prev, seen := last[p]; seen && i <= prev {
					t.Errorf("publisher %d: event %d after %d", p, i, prev)
				}
				last[p] = i
				received++
			case <-timeout:
				t.Fatal("no end event")
			}
		}
		if received == 0 {
			t.Error("steady subscriber received nothing")
		}
		if dc, ok := sub.(dropCounter); ok && uint64(received)+dc.Dropped() < publishers*perPublisher {
			t.Errorf("received %d + dropped %d < published %d: events vanished uncounted",
				received, dc.Dropped(), publishers*perPublisher)
		}
	})
}

func TestMemory(t *testing.T) {
	testBroker(t, func(t *testing.T) (Broker, Broker) {
		m := NewMemory()
		t.Cleanup(func() { m.Close() })
		return m, m
	})
}

func TestMemoryPublishNeverBlocks(t *testing.T) {
	m := NewMemory()
	defer m.Close()
	ch, cancel := m.Subscribe(t.Context(), "t")
	defer cancel()

	start := time.Now()
	for i := range 1000 {
		mustPublish(t, m, Event{Topic: "t", Data: fmt.Sprint(i)})
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("1000 publishes to a subscriber that never reads took %v", d)
	}
	if got, want := m.Dropped(), uint64(1000-SubscriberBuffer); got != want {
		t.Errorf("Dropped = %d, want %d", got, want)
	}
	if len(ch) != SubscriberBuffer {
		t.Errorf("buffer holds %d, want %d", len(ch), SubscriberBuffer)
	}
}

// topic returns a topic name no other test, run or process uses, since
// PostgreSQL nodes of every test share one channel.
func topic(t *testing.T, s string) string {
	return fmt.Sprintf("%s/%s/%d", t.Name(), s, time.Now().UnixNano())
}

func mustPublish(t *testing.T, b Broker, e Event) {
	t.Helper()
	if err := b.Publish(t.Context(), e); err != nil {
		t.Fatalf("Publish(%.60v): %v", e, err)
	}
}

func recv(t *testing.T, ch <-chan Event) Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatal("subscription closed, want an event")
		}
		return e
	case <-time.After(wait):
		t.Fatalf("no event within %v", wait)
	}
	return Event{}
}

func expectData(t *testing.T, ch <-chan Event, want ...string) {
	t.Helper()
	for i, w := range want {
		if got := recv(t, ch); got.Data != w {
			t.Fatalf("event %d: data %q, want %q", i, got.Data, w)
		}
	}
}

func expectClosed(t *testing.T, ch <-chan Event) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatalf("subscription not closed within %v", wait)
		}
	}
}

func eventually(t *testing.T, cond func() bool, msg func() string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(msg())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
