package sync

import (
	"context"

	"github.com/shelfsync/shelfsync/sync/state"
)

// bulkCreate sends the run's new products in one bulk operation when there
// are at least Engine.BulkCreateMin of them and the store can (BulkCreator).
// Their entries are marked pending first, so a crash, a cancel or a failed
// operation leaves the unanswered ones to the usual path, which looks each up
// by handle before it sends it again: nothing is created twice. Each line
// creates (no identifier), so a handle the store has after all is refused
// and reported, never overwritten.
func (x *executor) bulkCreate(ctx context.Context, ops []*op) {
	bc, ok := x.st.(BulkCreator)
	if !ok || x.e.BulkCreateMin <= 0 {
		return
	}
	var creates []*op
	for _, o := range ops {
		if o.kind == opCreateProduct && untouched(o) {
			creates = append(creates, o)
		}
	}
	if len(creates) < x.e.BulkCreateMin {
		return
	}
	creates = x.dropTaken(ctx, creates)
	if len(creates) == 0 {
		return
	}
	var seqs []int64
	in := make([]ProductInput, len(creates))
	for k, o := range creates {
		in[k] = *o.product.Create
		for i := range o.entries {
			seqs = append(seqs, o.entries[i].Seq)
		}
	}
	if err := x.db.MarkJournal(context.WithoutCancel(ctx), x.runID, state.JournalPending, "", seqs...); err != nil {
		x.setFatal(err)
		return
	}
	for _, o := range creates {
		for i := range o.entries {
			o.entries[i].State = state.JournalPending
		}
	}
	x.tr.setPhase(PhaseBulk)
	var sources []state.MediaSource
	err := bc.ProductSetBulk(ctx, in, func(k int, sp SnapProduct, err error) {
		o := creates[k]
		idx := make([]int, len(o.entries))
		for i := range idx {
			idx[i] = i
		}
		var res []result
		switch {
		case err == nil:
			sources = append(sources, createdSources(o.product.Create, &sp)...)
			res = allResults(idx, state.JournalDone, joinMessages(x.publishCreated(ctx, o.product.Create, sp.ID), x.priceCreatedProduct(ctx, o.product.Create, &sp)), productIDs(&sp))
		case isDayLimit(err): // that line created nothing
			res = x.dayLimitRefused(o, idx)
		case handleTaken(err): // never sent before, so not ours
			res = allResults(idx, state.JournalFailed, msgHandleTaken, nil)
		default:
			res = x.failAll(idx, err) // a refused product fails; anything else stays pending
		}
		if err := x.record(ctx, o, res); err != nil {
			x.setFatal(err)
		}
	})
	if err != nil && classify(err) == errFatal {
		x.setFatal(err)
	}
	if x.storeID != "" { // best effort, as for a paced create: without it the CDN address or file name still tells them
		_ = x.db.RecordMediaSources(context.WithoutCancel(ctx), x.storeID, sources)
	}
}

// untouched reports whether none of o's entries was sent yet.
func untouched(o *op) bool {
	for _, en := range o.entries {
		if en.State != state.JournalPlanned && en.State != "" {
			return false
		}
	}
	return true
}

// dropTaken looks the handles of creates up exactly, just before the bulk
// operation is sent, and records those the store already has as failed
// with advice; it returns the others. When the lookup fails, the creates
// are left to the one-by-one path, which looks each up itself.
func (x *executor) dropTaken(ctx context.Context, creates []*op) []*op {
	handles := make([]string, len(creates))
	for k, o := range creates {
		handles[k] = o.product.Handle
	}
	found, err := x.lookupHandles(ctx, handles)
	if err != nil {
		if classify(err) == errFatal {
			x.setFatal(err)
		}
		return nil
	}
	kept := creates[:0:0]
	for _, o := range creates {
		if found[o.product.Handle] == nil {
			kept = append(kept, o)
			continue
		}
		idx := make([]int, len(o.entries))
		for i := range idx {
			idx[i] = i
		}
		if err := x.record(ctx, o, allResults(idx, state.JournalFailed, msgHandleTaken, nil)); err != nil {
			x.setFatal(err)
			return nil
		}
	}
	if len(kept) < x.e.BulkCreateMin {
		return nil
	}
	return kept
}
