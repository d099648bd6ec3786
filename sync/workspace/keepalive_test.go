package workspace

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestCheckAllFindsRevokedAndRenews: CheckAll tells once about a token that
// stopped working, and renews an expiring token that is due, so its refresh
// token's 90 days start again.
func TestCheckAllFindsRevokedAndRenews(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w, clock := openClocked(t)
	_, sh := newShop(t, "acme", fakeshop.PlanGrow)
	pasted, err := w.ConnectToken(ctx, TokenRequest{Shop: "acme", Token: sh.Install("custom-app", oauth.NeededScopes()), BaseURL: sh.URL()})
	if err != nil {
		t.Fatal(err)
	}
	demo, err := w.ConnectDemo(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := w.TokenStatus(ctx, demo.ID, false)
	if err != nil {
		t.Fatal(err)
	}

	// Given the pasted token's app is uninstalled and the demo's token is due
	sh.Uninstall("custom-app")
	clock.Add(int64(55 * time.Minute))

	// When every store is checked
	results, err := w.CheckAll(ctx)
	if err != nil || len(results) != 2 {
		t.Fatalf("results %+v, %v", results, err)
	}
	byID := map[string]CheckResult{}
	for _, r := range results {
		byID[r.StoreID] = r
	}

	// Then the uninstalled store is told about once, and the demo renewed
	if r := byID[pasted.ID]; r.Err != nil || !r.Newly || r.Status.Health != HealthAttention {
		t.Fatalf("uninstalled store: %+v", r)
	}
	if r := byID[demo.ID]; r.Err != nil || r.Newly || r.Status.Health != HealthHealthy ||
		!r.Status.ExpiresAt.After(first.ExpiresAt) || !r.Status.RefreshExpiresAt.After(first.RefreshExpiresAt) {
		t.Fatalf("demo store: %+v (before: expires %v, refresh %v)", r, first.ExpiresAt, first.RefreshExpiresAt)
	}
	again, err := w.CheckAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Newly {
			t.Fatalf("told twice: %+v", r)
		}
	}
}

// openClocked opens a workspace whose clock the test moves with clock.Add.
func openClocked(t *testing.T) (*Workspace, *atomic.Int64) {
	t.Helper()
	clock := new(atomic.Int64)
	clock.Store(time.Now().UnixNano())
	w, err := Open(Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets(),
		Now: func() time.Time { return time.Unix(0, clock.Load()) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, clock
}
