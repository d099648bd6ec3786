package oauth

import (
	"context"
	"sync"
	"time"
)

// Registry shares one lock and one cached token per store between every
// Source of that store, so that refreshes are serialised per store and two
// sources never both rotate the same refresh token. Sources use a
// process-wide registry unless SourceConfig.Registry names another (tests
// use their own to simulate a restart).
type Registry struct {
	mu     sync.Mutex
	stores map[string]*storeEntry
}

// NewRegistry returns an empty Registry.
func NewRegistry() *Registry { return &Registry{stores: map[string]*storeEntry{}} }

// processRegistry is the registry every Source shares by default: the lock
// must be process-wide to serialise refreshes, which is the one reason for
// package-level state here.
var processRegistry = NewRegistry()

func (r *Registry) entry(storeID string) *storeEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.stores[storeID]
	if !ok {
		e = &storeEntry{lock: make(chan struct{}, 1)}
		r.stores[storeID] = e
	}
	return e
}

// storeEntry is the shared state of one store. Fields after lock are read
// and written only while holding it.
type storeEntry struct {
	lock chan struct{} // a mutex whose wait can be cancelled

	loaded    bool
	access    string
	meta      TokenMeta
	lastErr   error     // last renewal or verification failure, nil after a success
	lastErrAt time.Time // when lastErr happened
	warning   error     // a non-fatal save failure (token kept in memory)
	pending   pendingRefresh
}

// pendingRefresh is a rotated refresh token the keychain refused to save.
// Its access token was never used, so the saved one (from) still works at
// Shopify; the next renewal saves token first, then renews with it. It is
// kept only to retry that save, never to hand out an access token.
type pendingRefresh struct {
	from  string // the saved refresh token it replaces
	token string
}

// acquire takes the store's lock or gives up when ctx ends.
func (e *storeEntry) acquire(ctx context.Context) error {
	select {
	case e.lock <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (e *storeEntry) release() { <-e.lock }
