package shopify

import (
	"context"
	"sync"
	"testing"
	"time"
)

func learnedPacer(fc *fakeClock, scale, avail float64) *Pacer {
	p := newPacer(fc, scale)
	r, _ := p.Reserve(context.Background(), 1)
	p.Settle(r, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: avail, RestoreRate: 100}, false)
	return p
}

func TestPacerProjectsAndWaits(t *testing.T) {
	fc := newFakeClock()
	p := learnedPacer(fc, 1, 100)
	ctx := context.Background()
	if _, err := p.Reserve(ctx, 60); err != nil || len(fc.slept) != 0 {
		t.Fatalf("60 of 100 points should not wait: %v %v", err, fc.slept)
	}
	// 40 left; 100 needs 60 more: 0.6 s at 100 points/s.
	if _, err := p.Reserve(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if want := 600 * time.Millisecond; fc.slept[0] != want {
		t.Fatalf("slept %v, want %v", fc.slept[0], want)
	}
	// The bucket refills with time but never beyond its size.
	fc.now = fc.now.Add(time.Hour)
	if st := p.Status(); st.Available != 2000 {
		t.Fatalf("available = %v, want 2000", st.Available)
	}
}

func TestPacerTimeScale(t *testing.T) {
	fc := newFakeClock()
	p := learnedPacer(fc, 50, 0)
	if _, err := p.Reserve(context.Background(), 100); err != nil {
		t.Fatal(err)
	}
	// 1 s of store time is 20 ms of real time at scale 50.
	if want := 20 * time.Millisecond; fc.slept[0] != want {
		t.Fatalf("slept %v, want %v", fc.slept[0], want)
	}
}

func TestPacerPacesSequentialCallers(t *testing.T) {
	fc := newFakeClock()
	p := learnedPacer(fc, 1, 0)
	// An empty bucket restoring 100 points/s lets a 10-point request through
	// every 100 ms.
	for range 10 {
		if _, err := p.Reserve(context.Background(), 10); err != nil {
			t.Fatal(err)
		}
	}
	if got := fc.total(); got != time.Second {
		t.Fatalf("10 requests took %v, want 1s (sleeps %v)", got, fc.slept)
	}
}

func TestPacerQueueIsFIFOAndWakesOnRefund(t *testing.T) {
	p := newPacer(realClock{}, 1)
	probe, _ := p.Reserve(context.Background(), 1)
	p.Settle(probe, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 0, RestoreRate: 100}, false)
	held, _ := p.Reserve(context.Background(), 0) // a request in flight
	// Three callers need 500 points each from an empty bucket: at 100
	// points/s the first would wait 5 s. An answer that refunds 1100 points
	// must let the first two go at once, in arrival order, and not the third.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 3)
	for i := range 3 {
		go func() {
			if _, err := p.Reserve(ctx, 500); err == nil {
				done <- i
			} else {
				done <- -1
			}
		}()
		time.Sleep(20 * time.Millisecond) // arrive in order
	}
	p.Settle(held, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 1100, RestoreRate: 100}, false)
	got := map[int]bool{}
	timeout := time.After(time.Second)
	for range 2 {
		select {
		case i := <-done:
			got[i] = true
		case <-timeout:
			t.Fatal("the queue did not move on the refund")
		}
	}
	if !got[0] || !got[1] {
		t.Fatalf("went first: %v, want callers 0 and 1", got)
	}
	select {
	case i := <-done:
		t.Fatalf("caller %d went without points", i)
	case <-time.After(100 * time.Millisecond):
	}
	cancel()
	if i := <-done; i != -1 {
		t.Fatalf("caller %d went after cancel", i)
	}
}

func TestPacerSettleSubtractsInflight(t *testing.T) {
	fc := newFakeClock()
	p := learnedPacer(fc, 1, 1000)
	a, _ := p.Reserve(context.Background(), 100)
	_, _ = p.Reserve(context.Background(), 200) // still in flight
	p.Settle(a, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 950, RestoreRate: 100}, false)
	if st := p.Status(); st.Available != 750 {
		t.Fatalf("available = %v, want 950 − 200 in flight", st.Available)
	}
}

func TestPacerCountsAnswersOvertaken(t *testing.T) {
	fc := newFakeClock()
	p := learnedPacer(fc, 1, 1000)
	x, _ := p.Reserve(context.Background(), 10)
	y, _ := p.Reserve(context.Background(), 10)
	// The server ran x first (1000 − 10 = 990) and then y (980), but y's
	// answer comes back first.
	p.Settle(y, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 980, RestoreRate: 100}, false)
	if st := p.Status(); st.Available != 970 {
		t.Fatalf("after y: available = %v, want 980 − 10 in flight", st.Available)
	}
	// x's older figure does not include y: y must still be counted.
	p.Settle(x, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 990, RestoreRate: 100}, false)
	if st := p.Status(); st.Available != 980 {
		t.Fatalf("after x: available = %v, want 990 − 10 answered meanwhile", st.Available)
	}
}

func TestPacerProbeLetsOneThrough(t *testing.T) {
	p := newPacer(realClock{}, 1)
	first, err := p.Reserve(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make(chan struct{}, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := p.Reserve(context.Background(), 10); err == nil {
			got <- struct{}{}
		}
	}()
	select {
	case <-got:
		t.Fatal("second request went out before the bucket was known")
	case <-time.After(50 * time.Millisecond):
	}
	p.Settle(first, &ThrottleStatus{MaximumAvailable: 2000, CurrentlyAvailable: 1990, RestoreRate: 100}, false)
	wg.Wait()
	select {
	case <-got:
	default:
		t.Fatal("second request never went out")
	}
}

func TestPacerCanceledContextKeepsNothing(t *testing.T) {
	fc := newFakeClock()
	p := learnedPacer(fc, 1, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := p.Reserve(ctx, 10); err == nil || r != nil {
		t.Fatalf("reserved on a canceled context: %v %v", r, err)
	}
	if st := p.Status(); st.Available != 1000 {
		t.Fatalf("available = %v, want 1000", st.Available)
	}
}
