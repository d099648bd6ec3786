package sync

import (
	"context"
	"strings"

	"github.com/shelfsync/shelfsync/sync/state"
)

// msgHandleTaken is the per-row advice when a product the plan meant to
// create turns out to exist: nothing was written to it.
const msgHandleTaken = "a product with this handle already exists in the store (maybe archived or draft) and was left untouched — " +
	"preview and sync again to update that product, or give this row a different handle to create a new one"

// sendCreate creates o's product, but only after an exact lookup of its
// handle just before sending: the plan may be minutes old, and a product
// the snapshot missed must never be overwritten. The create itself is sent
// without an identifier, so the store refuses a taken handle rather than
// replacing that product's variants.
func (x *executor) sendCreate(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	in := o.product.Create
	if found, err := x.lookupHandles(ctx, []string{in.Handle}); err != nil {
		return x.failAll(idx, err), nil, err
	} else if found[in.Handle] != nil {
		return allResults(idx, state.JournalFailed, msgHandleTaken, nil), nil, nil
	}
	sp, err := x.st.ProductSet(ctx, *in)
	if isDayLimit(err) {
		return x.dayLimitRefused(o, idx), nil, nil
	}
	if err == nil {
		x.recordCreatedImages(ctx, in, sp.ID)
		return allResults(idx, state.JournalDone, joinMessages(x.publishCreated(ctx, in, sp.ID), x.priceCreatedProduct(ctx, in, &sp)), productIDs(&sp)), nil, nil
	}
	if !handleTaken(err) {
		return x.failAll(idx, err), nil, err
	}
	// The handle was free a moment ago. A product exactly as this input
	// makes it is an earlier attempt of ours whose answer was lost (a
	// resend after an unknown outcome): record it. Anything else is a
	// product someone else made meanwhile: leave it alone.
	found, lerr := x.lookupHandles(ctx, []string{in.Handle})
	if lerr == nil {
		if cur := found[in.Handle]; cur != nil && productAsCreated(cur, in) {
			x.recordCreatedImages(ctx, in, cur.ID)
			return allResults(idx, state.JournalDone, joinMessages(x.publishCreated(ctx, in, cur.ID), x.priceCreatedProduct(ctx, in, cur)), productIDs(cur)), nil, nil
		}
	}
	return allResults(idx, state.JournalFailed, msgHandleTaken, nil), nil, nil
}

// lookupHandles reads the products with exactly these handles (any status).
func (x *executor) lookupHandles(ctx context.Context, handles []string) (map[string]*SnapProduct, error) {
	ps, err := x.st.Products(ctx, ProductQuery{Handles: handles})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*SnapProduct, len(ps))
	for i := range ps {
		out[ps[i].Handle] = &ps[i]
	}
	return out, nil
}

// handleTaken reports whether the store refused a create because the
// handle belongs to another product: the code HANDLE_NOT_UNIQUE ("Handle
// already in use. Please provide a new handle.", schema
// ProductSetUserErrorCode), or that message on the handle field from a
// payload whose errors carry no code (UserError).
func handleTaken(err error) bool {
	ie, ok := itemErrors(err)
	if !ok {
		return false
	}
	for _, it := range ie.Items {
		msg := strings.ToLower(it.Message)
		if it.Code == CodeHandleTaken || strings.Contains(msg, "handle") && strings.Contains(msg, "already in use") {
			return true
		}
	}
	return false
}
