package sync

import (
	"context"
	"time"

	"github.com/shelfsync/shelfsync/sync/state"
)

// BulkStopper is a BulkUpdater that can stop one of its bulk operations.
type BulkStopper interface {
	// StopBulk asks Shopify to cancel operation id (bulkOperationCancel:
	// "Starts the cancelation process of a running bulk operation. There
	// may be a short delay from when a cancelation starts until the
	// operation is actually canceled", shopify.dev/docs/api/admin-graphql/
	// latest/mutations/bulkOperationCancel) and waits until it has ended:
	// CANCELED, or COMPLETED when it finished first (BulkOperationStatus:
	// CANCELING is the delay in between). It returns the status and
	// objectCount, "a running count of all the objects processed".
	StopBulk(ctx context.Context, id string) (status string, processed int, err error)
}

// bulkStopWait bounds how long a cancelled run waits for Shopify to stop
// its bulk operations; past it the lines stay pending and Resume finds the
// operation again.
const bulkStopWait = 2 * time.Minute

// verifyAfterStop is the most changes a cancelled run reads back to learn
// which lines of a stopped operation ran (a few paced requests); beyond it
// Resume does, before it sends anything.
const verifyAfterStop = 100

// stopBulk stops operation id because the run was cancelled, then records
// what the operation did: its result lines through onLine, and for lines
// without one, whether they landed (none did when Shopify processed
// nothing; else the store is read back). It reports false when the
// operation could not be stopped or waited for: then the entries keep their
// marks and Resume waits for the operation as for a killed run.
func (x *executor) stopBulk(ctx context.Context, bu BulkUpdater, id, list string, ops []*op, seen func(int) bool, onLine func(int, error)) bool {
	bs, ok := bu.(BulkStopper)
	if !ok {
		return false
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), bulkStopWait)
	defer cancel()
	status, processed, err := bs.StopBulk(dctx, id)
	if err != nil {
		return false
	}
	if err := bu.WaitBulkLines(dctx, id, list, len(ops), onLine); err != nil && status == "COMPLETED" {
		return false // finished, but its results could not be read: Resume reads them
	}
	var rest []*op
	for k, o := range ops {
		if o != nil && !seen(k) {
			rest = append(rest, o)
		}
	}
	switch {
	case len(rest) == 0:
	case processed == 0: // stopped before it ran a line
		_ = x.markAll(dctx, rest, state.JournalPlanned, "")
	default:
		x.settleRead(dctx, rest)
	}
	x.warn("the run was cancelled: Shopify was asked to stop its bulk operation " + id + ", which ended " + status)
	return true
}

// settleRead learns whether the lines of ops, sent in a bulk operation that
// has ended without saying, landed: it reads their items back and records
// each entry done or, not applied, planned again. Too many to read now, or
// a failed read, leave them pending for Resume to check.
func (x *executor) settleRead(ctx context.Context, ops []*op) {
	n := 0
	for _, o := range ops {
		n += len(o.entries)
	}
	if n > verifyAfterStop {
		_ = x.markAll(ctx, ops, state.JournalPending, "")
		return
	}
	for _, o := range ops {
		cur, err := x.readFor(ctx, o, allIdx(o))
		if err != nil {
			_ = x.markAll(ctx, []*op{o}, state.JournalPending, "")
			continue
		}
		var done []result
		for i := range o.entries {
			if ok, ids := applied(cur, o, i); ok {
				done = append(done, result{i: i, state: state.JournalDone, ids: ids})
			}
		}
		switch len(done) {
		case len(o.entries):
			if err := x.record(ctx, o, done); err != nil {
				x.setFatal(err)
			}
		case 0:
			_ = x.markAll(ctx, []*op{o}, state.JournalPlanned, "")
		default: // a line is one request: all of it ran or none; a mix means the store moved on
			_ = x.markAll(ctx, []*op{o}, state.JournalPending, "")
		}
	}
}
