package state

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// newRun makes a store and a run in it.
func newRun(t testing.TB, d *DB) Run {
	t.Helper()
	s := mustStore(t, d, fmt.Sprintf("j%d.myshopify.com", len(t.Name())))
	r, err := d.CreateRun(context.Background(), Run{StoreID: s.ID, Kind: KindSync, Trigger: TriggerManual, State: RunRunning})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func entries(n int) []JournalEntry {
	out := make([]JournalEntry, n)
	for i := range out {
		out[i] = JournalEntry{
			ItemKey: fmt.Sprintf("sku-%05d", i), Field: "price", Old: "10.00", New: "12.50",
			ShopifyIDs:     []string{"gid://shopify/Product/1", fmt.Sprintf("gid://shopify/ProductVariant/%d", i)},
			IdempotencyKey: fmt.Sprintf("run-%d", i/50), SourceRow: i + 2,
		}
	}
	return out
}

func TestAppendJournalAssignsSeqAndRoundTrips(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	r := newRun(t, d)
	// More than one INSERT batch, and a tail.
	es := entries(journalBatch*2 + 7)
	if err := d.AppendJournal(ctx, r.ID, es); err != nil {
		t.Fatal(err)
	}
	if es[0].Seq != 1 || es[len(es)-1].Seq != int64(len(es)) || es[0].State != JournalPlanned || es[0].RunID != r.ID {
		t.Errorf("AppendJournal did not fill in entries: first %+v", es[0])
	}
	got, err := d.JournalEntries(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, es) {
		t.Errorf("JournalEntries differ from what was appended (len %d vs %d); first %+v vs %+v",
			len(got), len(es), got[0], es[0])
	}
	more := entries(2)
	if err := d.AppendJournal(ctx, r.ID, more); err != nil {
		t.Fatal(err)
	}
	if more[0].Seq != int64(len(es))+1 {
		t.Errorf("second append started at seq %d, want %d", more[0].Seq, len(es)+1)
	}
	if err := d.AppendJournal(ctx, r.ID, nil); err != nil {
		t.Errorf("empty append: %v", err)
	}
}

// TestAppendJournalAllOrNothing checks that a batch that fails part-way
// leaves no entries behind: a crash or error never half-writes a batch.
func TestAppendJournalAllOrNothing(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	r := newRun(t, d)
	if err := d.AppendJournal(ctx, r.ID, entries(3)); err != nil {
		t.Fatal(err)
	}
	bad := entries(journalBatch + 10)
	bad[journalBatch+5].Seq = 2 // collides with an existing entry, in the second INSERT
	err := d.AppendJournal(ctx, r.ID, bad)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("colliding append = %v, want ErrExists", err)
	}
	counts, _ := d.JournalCounts(ctx, r.ID)
	if counts[JournalPlanned] != 3 {
		t.Errorf("after failed append the run has %v entries, want 3", counts)
	}
	if err := d.AppendJournal(ctx, "no-such-run", entries(1)); err == nil {
		t.Error("journal for a missing run accepted")
	}
	if err := d.AppendJournal(ctx, r.ID, []JournalEntry{{ItemKey: "x", State: "weird"}}); err == nil {
		t.Error("unknown journal state accepted")
	}
}

func TestJournalProtocolAndResume(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	r := newRun(t, d)
	es := entries(10)
	if err := d.AppendJournal(ctx, r.ID, es); err != nil {
		t.Fatal(err)
	}
	// Batch 1 (seq 1-4) sent and answered; batch 2 (5-6) sent, then "crash".
	if err := d.MarkJournal(ctx, r.ID, JournalPending, "", 1, 2, 3, 4); err != nil {
		t.Fatal(err)
	}
	err := d.SetJournalResults(ctx, r.ID, []JournalResult{
		{Seq: 1, State: JournalDone, ShopifyIDs: []string{"gid://shopify/Product/99"}},
		{Seq: 2, State: JournalDone},
		{Seq: 3, State: JournalFailed, Message: "Price must be positive"},
		{Seq: 4, State: JournalConflict, Message: "changed in Shopify since the preview"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.MarkJournal(ctx, r.ID, JournalPending, "", 5, 6); err != nil {
		t.Fatal(err)
	}

	res, err := d.ResumeRun(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	seqs := func(es []JournalEntry) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	if !reflect.DeepEqual(seqs(res.Done), []int64{1, 2}) ||
		!reflect.DeepEqual(seqs(res.Settled), []int64{3, 4}) ||
		!reflect.DeepEqual(seqs(res.InFlight), []int64{5, 6}) ||
		!reflect.DeepEqual(seqs(res.NotStarted), []int64{7, 8, 9, 10}) {
		t.Errorf("Resume = done %v settled %v inflight %v notstarted %v",
			seqs(res.Done), seqs(res.Settled), seqs(res.InFlight), seqs(res.NotStarted))
	}
	if res.InFlight[0].IdempotencyKey != es[4].IdempotencyKey {
		t.Error("in-flight entry lost its idempotency key")
	}
	if got := res.Done[0].ShopifyIDs; !reflect.DeepEqual(got, []string{"gid://shopify/Product/99"}) {
		t.Errorf("ShopifyIDs not replaced: %v", got)
	}
	if got := res.Done[1].ShopifyIDs; !reflect.DeepEqual(got, es[1].ShopifyIDs) {
		t.Errorf("nil ShopifyIDs should keep the old ones: %v", got)
	}
	if res.Settled[0].Message != "Price must be positive" {
		t.Errorf("message = %q", res.Settled[0].Message)
	}

	counts, err := d.JournalCounts(ctx, r.ID)
	want := map[JournalState]int{JournalDone: 2, JournalFailed: 1, JournalConflict: 1, JournalPending: 2, JournalPlanned: 4}
	if err != nil || !reflect.DeepEqual(counts, want) {
		t.Errorf("JournalCounts = %v, %v; want %v", counts, err, want)
	}
	done, _ := d.JournalEntries(ctx, r.ID, JournalDone, JournalFailed)
	if !reflect.DeepEqual(seqs(done), []int64{1, 2, 3}) {
		t.Errorf("JournalEntries(done, failed) = %v", seqs(done))
	}
}

func TestMarkJournalMissingSeqChangesNothing(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	r := newRun(t, d)
	if err := d.AppendJournal(ctx, r.ID, entries(3)); err != nil {
		t.Fatal(err)
	}
	err := d.MarkJournal(ctx, r.ID, JournalDone, "", 1, 2, 42)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("MarkJournal with a missing seq = %v, want ErrNotFound", err)
	}
	if c, _ := d.JournalCounts(ctx, r.ID); c[JournalPlanned] != 3 {
		t.Errorf("partial MarkJournal applied: %v", c)
	}
	if err := d.SetJournalResults(ctx, r.ID, nil); err != nil {
		t.Errorf("empty results: %v", err)
	}
	if _, err := d.ResumeRun(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ResumeRun(missing) = %v", err)
	}
	empty := newRunFor(t, d, r.StoreID)
	if res, err := d.ResumeRun(ctx, empty.ID); err != nil || res.NotStarted != nil || res.Done != nil {
		t.Errorf("ResumeRun(no journal) = %+v, %v", res, err)
	}
}

func newRunFor(t testing.TB, d *DB, storeID string) Run {
	t.Helper()
	r, err := d.CreateRun(context.Background(), Run{StoreID: storeID, Kind: KindSync, Trigger: TriggerCLI})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// BenchmarkJournal10k appends 10,000 entries to a run in one call, as a sync
// of a large catalog does when it starts.
func BenchmarkJournal10k(b *testing.B) {
	d := openTest(b)
	ctx := context.Background()
	s := mustStore(b, d, "bench.myshopify.com")
	es := entries(10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		r := newRunFor(b, d, s.ID)
		for j := range es {
			es[j].Seq = 0
		}
		b.StartTimer()
		if err := d.AppendJournal(ctx, r.ID, es); err != nil {
			b.Fatal(err)
		}
	}
	perOp := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(perOp*1000, "ms/10k")
	b.ReportMetric(10_000/perOp, "entries/s")
}

// BenchmarkJournalMark100 marks a batch of 100 entries pending then done, as
// the engine does around each request.
func BenchmarkJournalMark100(b *testing.B) {
	d := openTest(b)
	ctx := context.Background()
	r := newRun(b, d)
	es := entries(100)
	if err := d.AppendJournal(ctx, r.ID, es); err != nil {
		b.Fatal(err)
	}
	seqs := make([]int64, len(es))
	for i := range es {
		seqs[i] = es[i].Seq
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := d.MarkJournal(ctx, r.ID, JournalPending, "", seqs...); err != nil {
			b.Fatal(err)
		}
		if err := d.MarkJournal(ctx, r.ID, JournalDone, "", seqs...); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/2, "µs/batch")
}
