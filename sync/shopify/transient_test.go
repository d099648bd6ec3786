package shopify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestSimInternalErrorIsTransient: Shopify's INTERNAL_SERVER_ERROR (and
// INTERNAL_ERROR) inside a 200 answer is retried for a query; for a plain
// mutation that may have run it is an unknown outcome, never a "bug".
func TestSimInternalErrorIsTransient(t *testing.T) {
	for _, code := range []string{"INTERNAL_SERVER_ERROR", "INTERNAL_ERROR"} {
		for _, after := range []bool{false, true} {
			t.Run(code, func(t *testing.T) {
				_, sh, c, tok := simShop(t, fakeshop.Plan("Grow"), 20)
				seedProducts(sh, 1, 1)
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				fault := fakeshop.Fault{Kind: fakeshop.FaultInternal, Code: code, After: after}

				sh.Faults().Next(2, fault)
				if _, err := c.ShopInfo(ctx); err != nil {
					t.Fatalf("query not retried: %v", err)
				}
				if sh.Faults().Pending() != 0 {
					t.Fatal("the faults were not injected")
				}

				p := sh.Snapshot()[0]
				before := sh.Stats().Mutations["productVariantsBulkUpdate"]
				sh.Faults().Next(1, fault)
				_, err := c.VariantsBulkUpdate(ctx, p.ID, []shopify.VariantUpdate{{ID: p.Variants[0].ID, Price: ptr("3.00")}})
				if !errors.Is(err, shopify.ErrOutcomeUnknown) {
					t.Fatalf("mutation: err = %v, want an unknown outcome", err)
				}
				if strings.Contains(err.Error(), "bug") || !strings.Contains(err.Error(), code) {
					t.Fatalf("error text: %v", err)
				}
				assertNoToken(t, err, tok)
				want := 0
				if after {
					want = 1
				}
				if runs := sh.Stats().Mutations["productVariantsBulkUpdate"] - before; runs != want {
					t.Fatalf("mutation ran %d times, want %d (it must not be resent)", runs, want)
				}
			})
		}
	}
}

// TestSimInternalErrorIdempotentRetried: an @idempotent mutation answered
// with INTERNAL_SERVER_ERROR after it was applied is sent again with the same
// key, and the quantity is set once.
func TestSimInternalErrorIdempotentRetried(t *testing.T) {
	sh, c, item, loc := stockedItem(t, 20)
	ctx := context.Background()
	sh.Faults().Next(1, fakeshop.Fault{Kind: fakeshop.FaultInternal, After: true})
	if err := c.SetInventory(ctx, shopify.SetInventoryInput{IdempotencyKey: "6f1c2b1e-2d7a-4a47-9b6c-0c2f6c1d9a11",
		Quantities: []shopify.InventoryQuantity{{InventoryItemID: item, LocationID: loc, Quantity: 42}}}); err != nil {
		t.Fatal(err)
	}
	if got := sh.Snapshot()[0].Variants[0].Levels[0].Available; got != 42 {
		t.Fatalf("available = %d", got)
	}
	if n := sh.Stats().Mutations["inventorySetQuantities"]; n != 1 {
		t.Fatalf("applied %d times", n)
	}
}

// TestSimIdempotencyConcurrentRequest (F12): IDEMPOTENCY_CONCURRENT_REQUEST
// means the same key is still being applied: back off and send the same
// request (same key) again; when it never clears, the outcome is unknown
// (it may be applied by now), not a failure.
func TestSimIdempotencyConcurrentRequest(t *testing.T) {
	sh, c, item, loc := stockedItem(t, 50)
	ctx := context.Background()
	set := func(q int) error {
		return c.SetInventory(ctx, shopify.SetInventoryInput{IdempotencyKey: "0d9e7c55-3f8e-4c7e-a1b0-5d2a3c4b5e6f",
			Quantities: []shopify.InventoryQuantity{{InventoryItemID: item, LocationID: loc, Quantity: q}}})
	}
	sh.Faults().Next(2, fakeshop.Fault{Kind: fakeshop.FaultIdempotencyBusy})
	if err := set(7); err != nil {
		t.Fatalf("not retried: %v", err)
	}
	if got := sh.Snapshot()[0].Variants[0].Levels[0].Available; got != 7 || sh.Faults().Pending() != 0 {
		t.Fatalf("available = %d, faults left %d", got, sh.Faults().Pending())
	}

	// inventoryActivate's payload has plain UserError (no code): the
	// simulator answers with a top-level error, which is retried as well.
	sh.Faults().Next(1, fakeshop.Fault{Kind: fakeshop.FaultIdempotencyBusy})
	l2 := sh.AddLocation("Pop-up")
	if _, err := c.InventoryActivate(ctx, item, l2.ID, ptrInt(3), "2b8f0c1d-6a5e-4f3b-9c2d-1e0f9a8b7c6d"); err != nil {
		t.Fatalf("activate not retried: %v", err)
	}

	sh.Faults().Next(50, fakeshop.Fault{Kind: fakeshop.FaultIdempotencyBusy})
	defer sh.Faults().Clear()
	err := set(8)
	if !errors.Is(err, shopify.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
}

func ptrInt(n int) *int { return &n }

// stockedItem is a shop with one product of one variant, a client, the
// variant's inventory item and the first location.
func stockedItem(t *testing.T, scale float64) (*fakeshop.Shop, *shopify.Client, string, string) {
	t.Helper()
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), scale)
	seedProducts(sh, 1, 1)
	locs, err := c.Locations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sh, c, sh.Snapshot()[0].Variants[0].InventoryItemID, locs[0].ID
}

// TestSimBulkQueryFailedFallsBack: a bulk read that ends FAILED
// (INTERNAL_SERVER_ERROR) is run once more, then read page by page.
func TestSimBulkQueryFailedFallsBack(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Plus"), 20)
	seedProducts(sh, 12, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	count := func() int {
		n := 0
		if err := c.AllProductsBulk(ctx, func(p shopify.Product) error { n += len(p.Variants); return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}

	sh.Faults().FailBulk(1, "QUERY", "")
	if n := count(); n != 24 {
		t.Fatalf("after one failure: %d variants", n)
	}
	if got := sh.Stats().Mutations["bulkOperationRunQuery"]; got != 2 {
		t.Fatalf("%d bulk queries, want 2 (one retry)", got)
	}

	sh.Faults().FailBulk(2, "QUERY", "")
	before := sh.Stats().Mutations["bulkOperationRunQuery"]
	if n := count(); n != 24 {
		t.Fatalf("after two failures: %d variants", n)
	}
	if got := sh.Stats().Mutations["bulkOperationRunQuery"] - before; got != 2 {
		t.Fatalf("%d bulk queries, want 2 then pages", got)
	}
}

// TestSimAbandonedBulkQueryCancelled (F16): a bulk read given up on is
// cancelled on Shopify's side, so it does not hold the shop's bulk slot.
func TestSimAbandonedBulkQueryCancelled(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Plus"), 20)
	seedProducts(sh, 3, 1)
	sh.SetBulkDelay(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	base := sh.Stats().Requests
	go func() {
		// Cancel once the first poll came in: the client knows the operation's ID then.
		for sh.Stats().Requests < base+2 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	if err := c.AllProductsBulk(ctx, func(shopify.Product) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := sh.Stats().Mutations["bulkOperationCancel"]; n != 1 {
		t.Fatalf("bulkOperationCancel sent %d times", n)
	}
	// CANCELING turns CANCELED as the shop's background worker notices.
	for deadline := time.Now().Add(5 * time.Second); sh.RunningBulk("QUERY") != 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d bulk queries still running", sh.RunningBulk("QUERY"))
		}
	}
}

// TestSimBulkQueryInProgress (F16): where Shopify runs one bulk query at a
// time (the 2026-04 schema text), a read that finds ours already running
// (left by a crashed run) waits for it and uses its result; one running
// another query makes the read fall back to pages.
func TestSimBulkQueryInProgress(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Plus"), 20)
	seedProducts(sh, 5, 2)
	sh.SetBulkLimit(1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	read := func() int {
		n := 0
		if err := c.AllProductsBulk(ctx, func(p shopify.Product) error { n += len(p.Variants); return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// A crashed run left the same query running.
	sh.SetBulkDelay(20 * time.Second) // long enough to still run when the read starts, even on a busy machine
	if _, err := c.RunBulkQuery(ctx, shopify.BulkProductsQuery); err != nil {
		t.Fatal(err)
	}
	if n := read(); n != 10 {
		t.Fatalf("%d variants", n)
	}
	if got := sh.Stats().BulkStarted; got != 1 {
		t.Fatalf("%d bulk queries started, want 1 (the running one reused)", got)
	}

	// Another query of ours is running: pages instead.
	sh.SetBulkDelay(time.Hour)
	if _, err := c.RunBulkQuery(ctx, `{ products { edges { node { id } } } }`); err != nil {
		t.Fatal(err)
	}
	if n := read(); n != 10 {
		t.Fatalf("%d variants", n)
	}
	if got := sh.Stats().BulkStarted; got != 2 {
		t.Fatalf("%d bulk queries started, want 2 (pages read instead of a third)", got)
	}
}
