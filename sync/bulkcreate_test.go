package sync

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// TestBulkCreate: many new products go in one bulk operation; the shop ends
// as a per-product run would leave it, the journal has the IDs (undo works),
// and a resync writes nothing.
func TestBulkCreate(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, fakeshop.PlanGrow, 50)
	h.eng.BulkCreateMin = 20
	csv := genCSV(60, 2, func(i, j int) string { return fmt.Sprintf("%d.50", 10+i) }, func(i, j int) int { return i + j })

	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 60 || res.State != state.RunFinished || res.Counts.Created != 60 {
		t.Fatalf("counts %+v, run %+v", p.Counts, res)
	}
	st := h.sh.Stats().Mutations
	if st["bulkOperationRunMutation"] != 1 {
		t.Fatalf("bulk operations: %v", st)
	}
	if d := duplicates(h.sh); len(d) > 0 {
		t.Fatalf("duplicates: %v", d)
	}
	if got := shopState(h.sh); !strings.Contains(got, "V prod-7|SKU-7-1||17.50||DENY|Size=S1|Main warehouse=8") {
		t.Fatalf("shop after a bulk create:\n%s", got)
	}
	if again, _ := h.sync(t, readCSV(t, csv), h.opts()); again.HasChanges() {
		t.Fatal("a resync after a bulk create plans changes")
	}
	undo, err := h.eng.PlanUndo(ctx, h.st, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if undo.Counts.Changes == 0 {
		t.Fatal("undo of a bulk create puts nothing back (no IDs recorded?)")
	}
}

// lostBulkAnswers passes on the first keep answers of a bulk create, then
// reports the operation's outcome as unknown, as when Shopify ran every line
// but the result file could not be read.
type lostBulkAnswers struct {
	*shopStore
	keep int
}

func (s lostBulkAnswers) ProductSetBulk(ctx context.Context, in []ProductInput, fn func(int, SnapProduct, error)) error {
	n := 0
	err := s.shopStore.ProductSetBulk(ctx, in, func(i int, sp SnapProduct, err error) {
		if n < s.keep {
			fn(i, sp, err)
		}
		n++
	})
	if err != nil {
		return err
	}
	return fmt.Errorf("bulk result lost: %w", shopify.ErrOutcomeUnknown)
}

// TestBulkCreateUnknownOutcome: products whose bulk answer was lost are
// looked up by handle, found, and recorded: none is created twice.
func TestBulkCreateUnknownOutcome(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 50)
	h.eng.BulkCreateMin = 20
	h.st = lostBulkAnswers{shopStore: h.st.(*shopStore), keep: 15}
	csv := genCSV(40, 2, func(i, j int) string { return "10.00" }, func(i, j int) int { return 3 })

	before := h.sh.Stats().Mutations["productSet"]
	_, res := h.sync(t, readCSV(t, csv), h.opts())
	if res.State != state.RunFinished || res.Counts.Created != 40 {
		t.Fatalf("run %+v", res)
	}
	if d := duplicates(h.sh); len(d) > 0 {
		t.Fatalf("duplicates: %v", d)
	}
	// 40 productSet lines ran inside the bulk operation; the 25 products
	// whose answer was lost were found, not sent again.
	if got := h.sh.Stats().Mutations["productSet"] - before; got != 40 {
		t.Fatalf("%d productSet executions, want 40 (the bulk lines only)", got)
	}
	entries, err := h.db.JournalEntries(context.Background(), res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range entries {
		if en.State != state.JournalDone || len(en.ShopifyIDs) == 0 {
			t.Fatalf("journal entry %+v", en)
		}
	}
}

// TestBulkCreateUnknownOutcomeRecordsImages: the images of products whose
// bulk answer was lost, found by handle afterwards, are recorded too.
func TestBulkCreateUnknownOutcomeRecordsImages(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 50)
	h.eng.BulkCreateMin = 20
	h.sh.SetBulkRate(0, -1)
	h.st = lostBulkAnswers{shopStore: h.st.(*shopStore), keep: 15}
	var b strings.Builder
	b.WriteString("Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src\n")
	for i := range 40 {
		fmt.Fprintf(&b, "prod-%d,Product %d,Size,S,SKU-%d,10.00,https://img.example.com/p/%d/front.jpg\n", i, i, i, i)
	}
	_, res := h.sync(t, readCSV(t, b.String()), h.opts())
	if res.State != state.RunFinished || res.Counts.Created != 40 {
		t.Fatalf("run %+v", res)
	}
	var ids []string
	for _, p := range h.sh.Snapshot() {
		ids = append(ids, p.ID)
	}
	rec, _, err := h.db.MediaRecords(context.Background(), h.storeID, ids)
	if err != nil || len(rec) != 40 {
		t.Fatalf("%d products' images recorded, want 40 (%v)", len(rec), err)
	}
}

// TestBulkCreateNeedsEnough: below the threshold, products go one by one.
func TestBulkCreateNeedsEnough(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 50)
	h.eng.BulkCreateMin = 20
	h.sync(t, readCSV(t, genCSV(5, 1, func(i, j int) string { return "10.00" }, func(i, j int) int { return 1 })), h.opts())
	if st := h.sh.Stats().Mutations; st["bulkOperationRunMutation"] != 0 || st["productSet"] != 5 {
		t.Fatalf("mutations %v", st)
	}
}

// TestBulkCreateRecordsImages: products created in a bulk operation have
// their images recorded by the address each was fetched from (from the
// operation's result lines), as paced creates do, so a resync knows every
// image by Shelfsync's record even when the store serves them under other
// names than the sheet's: it plans no image write at all.
func TestBulkCreateRecordsImages(t *testing.T) {
	const n = 250
	h := newHarness(t, fakeshop.PlanGrow, 50)
	h.eng.BulkCreateMin = 20
	h.sh.SetBulkRate(0, -1)                                         // every line at once: the test is about what is recorded
	h.sh.SetImageNames(func(string) string { return "upload.jpg" }) // nothing like the sheet's names
	var b strings.Builder
	b.WriteString("Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\n")
	for i := range n {
		fmt.Fprintf(&b, "prod-%d,Product %d,Size,S,SKU-%d,10.00,https://img.example.com/p/%d/front.jpg,1,Front\n", i, i, i, i)
		fmt.Fprintf(&b, "prod-%d,,,,,,https://img.example.com/p/%d/back.jpg,2,Back\n", i, i)
	}
	csv := b.String()
	ctx := context.Background()

	_, res := h.sync(t, readCSV(t, csv), h.opts())
	if res.Counts.Created != n || h.sh.Stats().Mutations["bulkOperationRunMutation"] != 1 {
		t.Fatalf("run %+v, mutations %v", res, h.sh.Stats().Mutations)
	}
	var ids []string
	for _, p := range h.sh.Snapshot() {
		ids = append(ids, p.ID)
	}
	rec, _, err := h.db.MediaRecords(ctx, h.storeID, ids)
	if err != nil {
		t.Fatal(err)
	}
	recorded := 0
	for _, m := range rec {
		recorded += len(m)
	}
	if recorded != 2*n {
		t.Fatalf("%d images recorded, want %d", recorded, 2*n)
	}
	for range 3 { // Shopify processes them
		if _, err := h.client.ProductMedia(ctx, ids, nil); err != nil {
			t.Fatal(err)
		}
	}
	if p := h.sh.Snapshot()[0]; len(p.Media) != 2 || p.Media[0].Status != "READY" || !strings.Contains(p.Media[0].URL, "/upload") {
		t.Fatalf("store's images: %+v", p.Media)
	}
	before := h.mutations()
	p, _ := h.sync(t, readCSV(t, csv), h.opts())
	if p.HasChanges() || h.mutations() != before || strings.Contains(strings.Join(p.Notes, "\n"), "file name") {
		t.Fatalf("resync after a bulk create with images:\n%s", planText(p))
	}
}
