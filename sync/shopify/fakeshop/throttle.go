package fakeshop

import (
	"math"
	"time"
)

// bucket is the leaky bucket of one app on one shop
// (https://shopify.dev/docs/api/usage/limits#the-leaky-bucket-algorithm). It restores
// restoreRate points per simulated second up to max.
type bucket struct {
	max, rate float64
	available float64
	last      time.Time
}

func newBucket(p Plan, now time.Time) *bucket {
	return &bucket{max: p.BucketSize(), rate: p.RestoreRate(), available: p.BucketSize(), last: now}
}

func (b *bucket) refill(now time.Time) {
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.available = math.Min(b.max, b.available+dt*b.rate)
	}
	b.last = now
}

func (b *bucket) status() map[string]any {
	return map[string]any{
		"maximumAvailable":   b.max,
		"currentlyAvailable": int(math.Floor(b.available)),
		"restoreRate":        b.rate,
	}
}

// bucketFor returns the app's bucket, refilled to now. Caller holds sh.mu.
func (sh *Shop) bucketFor(clientID string, now time.Time) *bucket {
	b := sh.buckets[clientID]
	if b == nil {
		b = newBucket(sh.plan, now)
		sh.buckets[clientID] = b
	}
	b.refill(now)
	return b
}

// Available reports the points currently available to an app (tests, benchmarks).
func (sh *Shop) Available(clientID string) float64 {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.bucketFor(clientID, sh.srv.Now()).available
}

// Drain empties an app's bucket (tests of throttling).
func (sh *Shop) Drain(clientID string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.bucketFor(clientID, sh.srv.Now()).available = 0
}
