package shopify

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
)

// ThrottleStatus is Shopify's view of the rate-limit bucket, as returned in
// extensions.cost.throttleStatus of every answer.
type ThrottleStatus struct {
	MaximumAvailable   float64 `json:"maximumAvailable"`
	CurrentlyAvailable float64 `json:"currentlyAvailable"`
	RestoreRate        float64 `json:"restoreRate"`
}

// clock is the pacer's view of time; tests replace it with a fake.
type clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Pacer keeps one store's rate-limit bucket and makes callers wait before
// they send, so that the bucket never runs dry. It is safe for concurrent use;
// all goroutines working on a store share the Client's Pacer.
//
// The pacer projects the bucket forward in time: level(t) = level(t0) +
// restoreRate × (t − t0) × timeScale, capped at maximumAvailable. Callers
// queue in arrival order; the first in line is let through as soon as the
// projection covers its expected cost, which is then taken from the
// projection. Every answer's throttleStatus resets the projection to what
// Shopify reports, minus the cost of requests still in flight, and wakes the
// queue, so a refund (actual cost below the requested cost) is used at once.
// Durations the bucket implies are in the store's (possibly simulated)
// seconds and are divided by timeScale for real sleeping.
//
// Until the first answer arrives the bucket is unknown, so only one request
// at a time is let through.
type Pacer struct {
	clk   clock
	scale float64 // simulated seconds per real second

	mu        sync.Mutex
	known     bool
	max, rate float64        // bucket size and restore rate (points per simulated second)
	level     float64        // projected points available at time at
	at        time.Time      // when level was computed
	inflight  float64        // points taken by requests not yet answered
	settled   float64        // running total of points charged by answered requests
	probe     *Reservation   // the request out to learn the bucket, while it is unknown
	queue     []*Reservation // callers waiting, in arrival order
	throttled int
}

// Reservation is a caller's claim on the bucket for one request.
type Reservation struct {
	cost float64
	mark float64 // Pacer.settled when the request went out
	done bool
	// wake nudges a waiting caller to look again. Only the first in line
	// can go, so only it is woken (signalLocked): with tens of callers
	// waiting, waking all of them on every answer cost more CPU than the
	// requests (a Plus store's run keeps 64 in line).
	wake chan struct{}
}

func newPacer(clk clock, scale float64) *Pacer {
	if scale <= 0 {
		scale = 1
	}
	return &Pacer{clk: clk, scale: scale}
}

// PacerStatus is a snapshot of what the pacer believes about the bucket.
type PacerStatus struct {
	Known       bool    // an answer with throttleStatus has been seen
	Maximum     float64 // bucket size in points
	Available   float64 // projected points available now (negative while callers queue)
	RestoreRate float64 // points per second
	Throttled   int     // THROTTLED or 429 answers seen
	Waiting     int     // callers queued for points now: the bucket, not the callers, sets the pace
}

// Status reports what the pacer believes now.
func (p *Pacer) Status() PacerStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PacerStatus{Known: p.known, Maximum: p.max, Available: p.projectLocked(p.clk.Now()),
		RestoreRate: p.rate, Throttled: p.throttled, Waiting: len(p.queue)}
}

func (p *Pacer) projectLocked(now time.Time) float64 {
	if !p.known {
		return 0
	}
	dt := now.Sub(p.at).Seconds() * p.scale
	if dt < 0 {
		dt = 0
	}
	return math.Min(p.max, p.level+p.rate*dt)
}

// Reserve waits until the bucket can pay cost points and claims them. When
// the wait would outlast ctx's deadline it returns an error matching
// ErrThrottled at once, without waiting.
func (p *Pacer) Reserve(ctx context.Context, cost float64) (*Reservation, error) {
	r := &Reservation{cost: cost, wake: make(chan struct{}, 1)}
	p.mu.Lock()
	p.queue = append(p.queue, r)
	for {
		if err := ctx.Err(); err != nil {
			p.leaveLocked(r)
			p.mu.Unlock()
			return nil, err
		}
		now := p.clk.Now()
		grant, wait := p.evaluateLocked(r, now)
		if grant {
			p.grantLocked(r, now)
			p.mu.Unlock()
			return r, nil
		}
		if dl, ok := ctx.Deadline(); ok && wait > 0 && now.Add(wait).After(dl) {
			p.leaveLocked(r)
			p.mu.Unlock()
			return nil, fmt.Errorf("%w: the next request needs %.0f points and would have to wait %s", ErrThrottled, cost, wait.Round(time.Millisecond))
		}
		first := p.queue[0] == r
		p.mu.Unlock()
		if first {
			p.sleep(ctx, r.wake, wait)
		} else {
			p.sleep(ctx, r.wake, 0) // until it is first in line
		}
		p.mu.Lock()
	}
}

// evaluateLocked says whether r may go now, or else how long it should
// expect to wait (0: until something changes).
func (p *Pacer) evaluateLocked(r *Reservation, now time.Time) (bool, time.Duration) {
	idx := slices.Index(p.queue, r)
	if !p.known {
		return idx == 0 && p.probe == nil, 0
	}
	level := p.projectLocked(now)
	need := 0.0
	for _, q := range p.queue[:idx+1] {
		need += min(q.cost, p.max) // Shopify answers MAX_COST_EXCEEDED beyond; don't wait forever
	}
	switch {
	case idx == 0 && level >= need:
		return true, 0
	case idx > 0 && level >= need:
		return false, 0 // enough for us too once those ahead go: they will wake us
	}
	return false, max(p.simToReal((need-level)/p.rate), time.Microsecond)
}

func (p *Pacer) grantLocked(r *Reservation, now time.Time) {
	p.leaveLocked(r)
	if !p.known {
		p.probe = r
	} else {
		r.cost = min(r.cost, p.max)
		p.level = p.projectLocked(now) - r.cost
		p.at = now
	}
	p.inflight += r.cost
	r.mark = p.settled
}

// leaveLocked takes r out of the queue and lets the next caller look.
func (p *Pacer) leaveLocked(r *Reservation) {
	if i := slices.Index(p.queue, r); i >= 0 {
		p.queue = slices.Delete(p.queue, i, i+1)
	}
	p.signalLocked()
}

// signalLocked wakes the first caller in line: the bucket or the line
// changed, so it may go now (or must wait a different time).
func (p *Pacer) signalLocked() {
	if len(p.queue) > 0 {
		select {
		case p.queue[0].wake <- struct{}{}:
		default: // already nudged
		}
	}
}

// sleep waits d (0: no limit) or until ch is closed or ctx ends.
func (p *Pacer) sleep(ctx context.Context, ch chan struct{}, d time.Duration) {
	if d <= 0 {
		select {
		case <-ctx.Done():
		case <-ch:
		}
		return
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ch:
			cancel()
		case <-stop:
		}
	}()
	_ = p.clk.Sleep(sctx, d)
}

// simToReal converts simulated seconds to a real duration.
func (p *Pacer) simToReal(sec float64) time.Duration {
	return time.Duration(sec / p.scale * float64(time.Second))
}

// Cancel gives back a reservation whose request was never sent.
func (p *Pacer) Cancel(r *Reservation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.finishLocked(r) {
		return
	}
	if p.known {
		p.level += r.cost
	}
}

// Settle records the answer to a reserved request. st is the answer's
// throttleStatus (nil when the answer had none, e.g. a 5xx); throttled says
// the request was refused for lack of points.
func (p *Pacer) Settle(r *Reservation, st *ThrottleStatus, throttled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.finishLocked(r) {
		return
	}
	if throttled {
		p.throttled++
	}
	if st != nil && st.RestoreRate > 0 && st.MaximumAvailable > 0 {
		p.known = true
		p.max, p.rate = st.MaximumAvailable, st.RestoreRate
		// Shopify's figure was taken when it ran this request. Requests still
		// in flight may not be in it yet, nor may those answered while this
		// one was on its way (the server may have run them later): count
		// both as spent, which errs on the safe side.
		p.level = st.CurrentlyAvailable - p.inflight - (p.settled - r.mark)
		p.at = p.clk.Now()
	}
	if !throttled {
		p.settled += r.cost
	}
}

// finishLocked takes r out of flight once and wakes the queue; false if it
// already was.
func (p *Pacer) finishLocked(r *Reservation) bool {
	if r == nil || r.done {
		return false
	}
	r.done = true
	p.inflight -= r.cost
	if p.probe == r {
		p.probe = nil
	}
	p.signalLocked()
	return true
}
