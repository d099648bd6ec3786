package workspace

import (
	"context"
	gosync "sync"

	"github.com/shelfsync/shelfsync/sync/state"
)

// CheckResult is one store's token check by CheckAll.
type CheckResult struct {
	StoreID   string
	StoreName string
	Status    TokenStatus
	Err       error
	// Newly: this check found the token revoked, the app uninstalled or the
	// renewal failing, where the previous check had not. Tell the user once.
	Newly bool
}

// CheckAll verifies every store's token with Shopify, renewing those that
// are due. Run now and then while the app is open (and by 'shelfsync
// status' from cron), it shows a revoked token before a sync needs it, and
// it keeps expiring tokens in use, so their 90-day refresh token is renewed
// long before it runs out (FACTS §2). Stores are checked in parallel, at
// most as many at once as runs.
func (w *Workspace) CheckAll(ctx context.Context) ([]CheckResult, error) {
	recs, err := w.db.ListStores(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CheckResult, len(recs))
	sem := make(chan struct{}, w.concurrency())
	var wg gosync.WaitGroup
	for i, rec := range recs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = w.check(ctx, rec)
		})
	}
	wg.Wait()
	return out, ctx.Err()
}

// badCodes are the checked states that need a person: a token that no
// longer works or can no longer be renewed. "offline" is not one of them:
// the network, not the token.
var badCodes = map[string]bool{"reconnect": true, "renewal_failed": true}

func (w *Workspace) check(ctx context.Context, rec state.Store) CheckResult {
	r := CheckResult{StoreID: rec.ID, StoreName: rec.Name}
	if ctx.Err() != nil {
		r.Err = ctx.Err()
		return r
	}
	before := rec.Status.Code
	r.Status, r.Err = w.TokenStatus(ctx, rec.ID, true)
	if r.Err != nil {
		return r
	}
	after, err := w.db.GetStore(ctx, rec.ID)
	if err != nil {
		r.Err = err
		return r
	}
	r.Newly = badCodes[after.Status.Code] && !badCodes[before]
	return r
}
