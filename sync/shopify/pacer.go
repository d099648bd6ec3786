package shopify

import (
	"context"
	"fmt"
	"math"
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
// restoreRate × (t − t0) × timeScale, capped at maximumAvailable. Each request
// reserves its expected cost from the projection before it is sent (the
// projection may go below zero: later callers queue behind earlier ones), and
// every answer's throttleStatus resets the projection to what Shopify reports,
// minus the cost of requests still in flight. Durations the bucket implies are
// in the store's (possibly simulated) seconds and are divided by timeScale for
// real sleeping.
//
// Until the first answer arrives the bucket is unknown, so only one request
// at a time is let through.
type Pacer struct {
	clk   clock
	scale float64 // simulated seconds per real second

	mu        sync.Mutex
	known     bool
	max, rate float64   // bucket size and restore rate (points per simulated second)
	level     float64   // projected points available at time at
	at        time.Time // when level was computed
	inflight  float64   // points reserved by requests not yet answered
	settled   float64   // running total of points charged by answered requests
	probe     chan struct{}
	throttled int
}

// Reservation is a caller's claim on the bucket for one request.
type Reservation struct {
	cost float64
	mark float64 // Pacer.settled when the request went out
	done bool
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
}

// Status reports what the pacer believes now.
func (p *Pacer) Status() PacerStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PacerStatus{Known: p.known, Maximum: p.max, Available: p.projectLocked(p.clk.Now()),
		RestoreRate: p.rate, Throttled: p.throttled}
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
	for {
		p.mu.Lock()
		if !p.known {
			if p.probe != nil { // someone is learning the bucket: wait for them
				ch := p.probe
				p.mu.Unlock()
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-ch:
					continue
				}
			}
			p.probe = make(chan struct{})
			r := &Reservation{cost: cost, mark: p.settled}
			p.inflight += cost
			p.mu.Unlock()
			return r, nil
		}
		now := p.clk.Now()
		if cost > p.max {
			cost = p.max // Shopify answers MAX_COST_EXCEEDED; don't wait forever
		}
		p.level = p.projectLocked(now) - cost
		p.at = now
		p.inflight += cost
		r := &Reservation{cost: cost, mark: p.settled}
		var wait time.Duration
		if p.level < 0 {
			wait = p.simToReal(-p.level / p.rate)
		}
		p.mu.Unlock()
		if err := ctx.Err(); err != nil {
			p.Cancel(r)
			return nil, err
		}
		if wait <= 0 {
			return r, nil
		}
		if dl, ok := ctx.Deadline(); ok && now.Add(wait).After(dl) {
			p.Cancel(r)
			return nil, fmt.Errorf("%w: the next request needs %.0f points and would have to wait %s", ErrThrottled, cost, wait.Round(time.Millisecond))
		}
		if err := p.clk.Sleep(ctx, wait); err != nil {
			p.Cancel(r)
			return nil, err
		}
		p.mu.Lock()
		r.mark = p.settled
		p.mu.Unlock()
		return r, nil
	}
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
	p.endProbeLocked()
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
	p.endProbeLocked()
}

// finishLocked takes r out of flight once; false if it already was.
func (p *Pacer) finishLocked(r *Reservation) bool {
	if r == nil || r.done {
		return false
	}
	r.done = true
	p.inflight -= r.cost
	return true
}

func (p *Pacer) endProbeLocked() {
	if p.probe != nil {
		close(p.probe)
		p.probe = nil
	}
}
