package sync

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

const teeCSV = `Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Status
tee,Tee,Size,S,TEE-S,10.00,draft
tee,,,M,TEE-M,11.00,
`

// variantIDs lists the IDs of the variants of the products with handle.
func variantIDs(sh *fakeshop.Shop, handle string) []string {
	var ids []string
	for _, p := range sh.Snapshot() {
		if p.Handle == handle {
			for _, v := range p.Variants {
				ids = append(ids, v.ID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// TestMissedProductKeepsVariants (F1): a product that a search would miss —
// a draft (the products query's status filter defaults to active) or one
// created a moment ago (search is eventually consistent) — is found by the
// exact handle lookup, so a sync whose sheet contains it updates it: its
// variants keep their IDs, and nothing is created over it.
func TestMissedProductKeepsVariants(t *testing.T) {
	changed := strings.Replace(teeCSV, "11.00", "12.00", 1)
	t.Run("draft", func(t *testing.T) {
		h := newHarness(t, fakeshop.PlanGrow, 1)
		h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Tee", Status: "DRAFT",
			Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "M"}}},
			Variants: []fakeshop.Variant{
				{SKU: "TEE-S", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}}},
				{SKU: "TEE-M", Price: "11.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "M"}}},
			}}})
		assertKeepsVariants(t, h, changed)
	})
	t.Run("just created", func(t *testing.T) {
		h := newHarness(t, fakeshop.PlanGrow, 1)
		h.sh.SetSearchLag(time.Hour) // the index has not caught up during this test
		if _, res := h.sync(t, readCSV(t, teeCSV), h.opts()); res.Counts.Created != 1 {
			t.Fatalf("first sync %+v", res)
		}
		assertKeepsVariants(t, h, changed)
	})
}

func assertKeepsVariants(t *testing.T, h *harness, csv string) {
	t.Helper()
	before := variantIDs(h.sh, "tee")
	if len(before) != 2 {
		t.Fatalf("variants before: %v", before)
	}
	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 0 || res.State != state.RunFinished {
		t.Fatalf("plan %+v, run %+v", p.Counts, res)
	}
	if after := variantIDs(h.sh, "tee"); !slices.Equal(before, after) {
		t.Fatalf("variants replaced: before %v, after %v", before, after)
	}
	if d := duplicates(h.sh); len(d) > 0 {
		t.Fatalf("duplicates: %v", d)
	}
	if !strings.Contains(shopState(h.sh), "V tee|TEE-M||12.00|") {
		t.Fatalf("price not updated:\n%s", shopState(h.sh))
	}
}

// TestCreateRefusesTakenHandle (F1): a product made in Shopify after the
// preview, under a handle the plan creates, is left untouched by the run —
// one product at a time and in a bulk create — and the row fails with
// advice.
func TestCreateRefusesTakenHandle(t *testing.T) {
	for _, bulk := range []int{0, 1} {
		h := newHarness(t, fakeshop.PlanGrow, 1)
		h.eng.BulkCreateMin = bulk
		ctx := context.Background()
		p, err := h.eng.Plan(ctx, h.st, readCSV(t, teeCSV), h.opts())
		if err != nil || p.Counts.Products.Create != 1 {
			t.Fatalf("plan %+v %v", p, err)
		}
		h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Someone else's tee", Status: "ARCHIVED"}})
		before := variantIDs(h.sh, "tee")
		res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if after := variantIDs(h.sh, "tee"); !slices.Equal(before, after) || len(h.sh.Snapshot()) != 1 {
			t.Fatalf("bulk=%d: the existing product was touched: %v → %v, %d products", bulk, before, after, len(h.sh.Snapshot()))
		}
		if len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Message, "already exists in the store (maybe archived or draft)") {
			t.Fatalf("bulk=%d: problems %+v", bulk, res.Problems)
		}
	}
}

// TestRenamedProductUpdatedByID (F8): a product whose handle was renamed in
// Shopify is matched by SKU; its fields are updated by ID, no product is
// created under the sheet's handle, and undo restores it.
func TestRenamedProductUpdatedByID(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, fakeshop.PlanGrow, 1)
	h.sh.Seed([]fakeshop.Product{{Handle: "tee-renamed", Title: "Tee",
		Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "M"}}},
		Variants: []fakeshop.Variant{
			{SKU: "TEE-S", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}}},
			{SKU: "TEE-M", Price: "11.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "M"}}},
		}}})
	csv := strings.Replace(teeCSV, "tee,Tee,", "tee,Tee v2,", 1)
	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 0 || res.Counts.Errors != 0 {
		t.Fatalf("plan %+v, run %+v", p.Counts, res)
	}
	snap := h.sh.Snapshot()
	if len(snap) != 1 || snap[0].Handle != "tee-renamed" || snap[0].Title != "Tee v2" {
		t.Fatalf("after sync: %+v", snap)
	}
	undo, err := h.eng.PlanUndo(ctx, h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Apply(ctx, h.st, undo, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	snap = h.sh.Snapshot()
	if len(snap) != 1 || snap[0].Handle != "tee-renamed" || snap[0].Title != "Tee" {
		t.Fatalf("after undo: %+v", snap)
	}
}

// blindStore is a store whose exact lookups see nothing, as if a product
// appeared between the last lookup and the create.
type blindStore struct{ Store }

func (blindStore) Products(context.Context, ProductQuery) ([]SnapProduct, error) { return nil, nil }

func (s blindStore) ProductSetBulk(ctx context.Context, in []ProductInput, fn func(int, SnapProduct, error)) error {
	return s.Store.(BulkCreator).ProductSetBulk(ctx, in, fn)
}

// TestCreateNeverOverwrites (F1): even when every lookup misses the
// product, the create itself is refused by the store (sent without an
// identifier, HANDLE_NOT_UNIQUE), one by one and in a bulk operation: the
// product keeps its variants and the row fails with advice.
func TestCreateNeverOverwrites(t *testing.T) {
	for _, bulk := range []int{0, 1} {
		h := newHarness(t, fakeshop.PlanGrow, 1)
		h.eng.BulkCreateMin = bulk
		ctx := context.Background()
		p, err := h.eng.Plan(ctx, h.st, readCSV(t, teeCSV), h.opts())
		if err != nil || p.Counts.Products.Create != 1 {
			t.Fatalf("plan %+v %v", p, err)
		}
		h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Someone else's tee", Status: "DRAFT"}})
		before := variantIDs(h.sh, "tee")
		res, err := h.eng.Apply(ctx, blindStore{h.st}, p, ApplyOptions{Confirm: true})
		if err != nil {
			t.Fatal(err)
		}
		if after := variantIDs(h.sh, "tee"); !slices.Equal(before, after) || len(h.sh.Snapshot()) != 1 {
			t.Fatalf("bulk=%d: the existing product was overwritten: %v → %v", bulk, before, after)
		}
		if n := h.sh.Stats().Mutations["bulkOperationRunMutation"]; n != bulk {
			t.Fatalf("bulk=%d: %d bulk operations", bulk, n)
		}
		if len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Message, "already exists in the store") {
			t.Fatalf("bulk=%d: problems %+v", bulk, res.Problems)
		}
	}
}

// lateStore's handle lookups see nothing until the blind ones are used up:
// a store whose answers lag behind the create we sent.
type lateStore struct {
	Store
	blind *atomic.Int32
}

func (s lateStore) Products(ctx context.Context, q ProductQuery) ([]SnapProduct, error) {
	if s.blind.Add(-1) >= 0 {
		return nil, nil
	}
	return s.Store.Products(ctx, q)
}

// TestResentCreateFindsItsProduct (F1): a create whose answer was lost and
// that is sent again gets HANDLE_NOT_UNIQUE; the product there is exactly
// the one the first attempt made, so the row is recorded done with its IDs
// (undo can delete it), not failed, and nothing is created twice.
func TestResentCreateFindsItsProduct(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 1)
	ctx := context.Background()
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, teeCSV), h.opts())
	if err != nil || p.Counts.Products.Create != 1 {
		t.Fatalf("plan %+v %v", p, err)
	}
	h.sh.Faults().Next(1, fakeshop.Fault{Kind: fakeshop.FaultDrop, After: true})
	blind := &atomic.Int32{}
	blind.Store(3) // the first lookup, the verify after the lost answer, the lookup before the resend
	res, err := h.eng.Apply(ctx, lateStore{h.st, blind}, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Created != 1 || len(res.Problems) != 0 || len(h.sh.Snapshot()) != 1 {
		t.Fatalf("run %+v, %d products", res, len(h.sh.Snapshot()))
	}
	if n := h.sh.Stats().Mutations["productSet"]; n != 2 {
		t.Fatalf("productSet sent %d times, want 2 (lost answer, then HANDLE_NOT_UNIQUE)", n)
	}
	undo, err := h.eng.PlanUndo(ctx, h.st, res.RunID)
	if err != nil || undo.Counts.Products.Delete != 1 {
		t.Fatalf("undo %+v %v", undo, err)
	}
}

// lostCreate loses the answer of the first create it is asked for, after
// someone else made a product under the same handle.
type lostCreate struct {
	Store
	sh   *fakeshop.Shop
	done *atomic.Bool
}

func (s lostCreate) ProductSet(ctx context.Context, in ProductInput) (SnapProduct, error) {
	if s.done.CompareAndSwap(false, true) {
		s.sh.Seed([]fakeshop.Product{{Handle: in.Handle, Title: "Someone else's", Variants: []fakeshop.Variant{{SKU: "OTHER"}}}})
		return SnapProduct{}, shopify.ErrOutcomeUnknown
	}
	return s.Store.ProductSet(ctx, in)
}

// TestVerifyDoesNotAdoptForeignProduct (F1): after a create's outcome is
// unknown, a product under that handle that lacks the variants we sent is
// not recorded as ours; the row fails with advice and the product is left
// alone.
func TestVerifyDoesNotAdoptForeignProduct(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 1)
	ctx := context.Background()
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, teeCSV), h.opts())
	if err != nil || p.Counts.Products.Create != 1 {
		t.Fatalf("plan %+v %v", p, err)
	}
	res, err := h.eng.Apply(ctx, lostCreate{h.st, h.sh, &atomic.Bool{}}, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Created != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "already exists") {
		t.Fatalf("run %+v", res)
	}
	if snap := h.sh.Snapshot(); len(snap) != 1 || snap[0].Variants[0].SKU != "OTHER" || h.mutations() != 0 {
		t.Fatalf("foreign product touched: %+v, %d mutations", snap, h.mutations())
	}
}
