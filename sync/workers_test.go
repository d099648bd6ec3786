package sync

import "testing"

type rateStore struct {
	memStore
	rate float64
}

func (r *rateStore) RestoreRate() float64 { return r.rate }

// TestWorkersFollowRestoreRate: a run keeps enough requests in flight for
// the store's rate limit (Plus restores 10× Standard), within bounds, and
// an explicit Concurrency wins.
func TestWorkersFollowRestoreRate(t *testing.T) {
	e := &Engine{}
	for _, c := range []struct {
		rate float64
		want int
	}{{0, 16}, {50, 16}, {100, 16}, {200, 32}, {1000, maxWorkers}, {2000, maxWorkers}} {
		if got := e.workersFor(&rateStore{rate: c.rate}); got != c.want {
			t.Errorf("restore rate %g: %d workers, want %d", c.rate, got, c.want)
		}
	}
	if got := e.workersFor(&memStore{}); got != 16 {
		t.Errorf("store without a rate limit: %d workers, want 16", got)
	}
	e.Concurrency = 3
	if got := e.workersFor(&rateStore{rate: 1000}); got != 3 {
		t.Errorf("Concurrency 3: %d workers", got)
	}
}
