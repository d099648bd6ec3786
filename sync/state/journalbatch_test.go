package state

import (
	"context"
	"errors"
	gosync "sync"
	"testing"
	"time"
)

// TestJournalWritesShareATransaction: journal writes that queue while
// another transaction holds the writer land together in the next one, and
// one call naming a missing entry fails alone, changing none of its rows.
func TestJournalWritesShareATransaction(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	r := newRun(t, d)
	const n = 20
	if err := d.AppendJournal(ctx, r.ID, entries(n)); err != nil {
		t.Fatal(err)
	}
	before := d.jq.commits
	d.writer <- struct{}{} // another write transaction is running
	errs := make([]error, n+1)
	var wg gosync.WaitGroup
	for i := range n + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seqs := []int64{int64(i + 1)}
			if i == n { // a call with one real entry and one missing: all or nothing
				seqs = []int64{1, 999}
			}
			errs[i] = d.MarkJournal(ctx, r.ID, JournalDone, "ok", seqs...)
		}()
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		d.jq.mu.Lock()
		queued := len(d.jq.waiting)
		d.jq.mu.Unlock()
		if queued == n+1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d writes queued", queued, n+1)
		}
	}
	<-d.writer
	wg.Wait()
	for i, err := range errs[:n] {
		if err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if !errors.Is(errs[n], ErrNotFound) {
		t.Errorf("write naming a missing entry = %v, want ErrNotFound", errs[n])
	}
	if got := d.jq.commits - before; got != 1 {
		t.Errorf("%d queued writes took %d transactions, want 1", n+1, got)
	}
	c, err := d.JournalCounts(ctx, r.ID)
	if err != nil || c[JournalDone] != n {
		t.Errorf("counts %v, %v; want all %d done", c, err, n)
	}
}

// TestJournalWriteGivesUpWhileQueued: a call whose ctx ends while it waits
// leaves without writing.
func TestJournalWriteGivesUpWhileQueued(t *testing.T) {
	d := openTest(t)
	r := newRun(t, d)
	if err := d.AppendJournal(context.Background(), r.ID, entries(1)); err != nil {
		t.Fatal(err)
	}
	d.writer <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	err := d.MarkJournal(ctx, r.ID, JournalDone, "", 1)
	<-d.writer
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("MarkJournal = %v, want the deadline", err)
	}
	if c, _ := d.JournalCounts(context.Background(), r.ID); c[JournalPlanned] != 1 {
		t.Errorf("a write that gave up landed: %v", c)
	}
	if err := d.MarkJournal(context.Background(), r.ID, JournalDone, "", 1); err != nil {
		t.Fatalf("next write: %v", err)
	}
}
