package sync

import (
	"context"
	"errors"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// maxAttempts bounds how often one request is re-sent after its outcome
// was unknown (each time after re-reading the store).
const maxAttempts = 6

// executor sends the ops of one run.
type executor struct {
	e     *Engine
	st    Store
	db    *state.DB
	runID string
	// storeID is the run's store, whose record of uploaded images
	// (state.MediaSource) grows as images are added.
	storeID string
	tr      *tracker

	mu       gosync.Mutex
	fatal    error
	warnings []string     // said to the user with the result (a path given up on)
	day      dayLimitHits // Shopify's daily limit on new variants (daylimit.go)
}

func (x *executor) fatalErr() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.fatal
}

func (x *executor) setFatal(err error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.fatal == nil {
		x.fatal = err
	}
}

// result is the outcome of one entry of an op (by index in op.entries).
type result struct {
	i     int
	state state.JournalState
	msg   string
	ids   []string
}

// errClass sorts request errors by what the run does next.
type errClass int

const (
	errNone    errClass = iota
	errItems            // *ItemErrors: per-item outcomes
	errUnknown          // maybe applied: re-read the store, then maybe re-send
	errFatal            // the store can't be used (token, scope, shop): stop the run
	errFailed           // this request failed; the run goes on
)

func classify(err error) errClass {
	var ie *ItemErrors
	switch {
	case err == nil:
		return errNone
	case errors.As(err, &ie):
		return errItems
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, shopify.ErrOutcomeUnknown), errors.Is(err, shopify.ErrUnreachable),
		errors.Is(err, shopify.ErrThrottled):
		return errUnknown
	case errors.Is(err, shopify.ErrUnauthorized), errors.Is(err, shopify.ErrForbidden),
		errors.Is(err, shopify.ErrShopNotFound):
		return errFatal
	default:
		return errFailed
	}
}

// exec sends one op until each of its entries has a known outcome, the
// context ends, or the run hits a fatal error.
func (x *executor) exec(ctx context.Context, o *op) {
	todo := make([]int, 0, len(o.entries))
	pending := false
	for i, en := range o.entries {
		if !final(en.State) {
			todo = append(todo, i)
			pending = pending || en.State == state.JournalPending
		}
	}
	if len(todo) == 0 {
		return
	}
	if pending { // a resumed run: the last attempt's outcome is unknown
		var err error
		if todo, err = x.verify(ctx, o, todo); err != nil {
			x.handleReadErr(err)
			return
		}
	}
	if x.skipCreates(ctx, o, todo) {
		return
	}
	for attempt := 0; len(todo) > 0; attempt++ {
		if ctx.Err() != nil || x.fatalErr() != nil {
			return
		}
		if err := x.db.MarkJournal(context.WithoutCancel(ctx), x.runID, state.JournalPending, "", o.seqs(todo)...); err != nil {
			x.setFatal(err)
			return
		}
		for _, i := range todo {
			o.entries[i].State = state.JournalPending
		}
		res, resend, err := x.send(ctx, o, todo)
		if err := x.record(ctx, o, res); err != nil {
			x.setFatal(err)
			return
		}
		switch classify(err) {
		case errFatal:
			x.setFatal(err)
			return
		case errUnknown:
			if ctx.Err() != nil || attempt+1 >= maxAttempts {
				return // left pending: Resume re-checks it
			}
			x.backoff(ctx, attempt)
			if todo, err = x.verify(ctx, o, todo); err != nil {
				x.handleReadErr(err)
				return
			}
		default:
			todo = resend
		}
	}
}

func (x *executor) handleReadErr(err error) {
	if classify(err) == errFatal {
		x.setFatal(err)
	}
}

func (x *executor) backoff(ctx context.Context, attempt int) {
	d := time.Duration(50<<attempt) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (o *op) seqs(idx []int) []int64 {
	out := make([]int64, len(idx))
	for k, i := range idx {
		out[k] = o.entries[i].Seq
	}
	return out
}

// record writes outcomes to the journal (even when ctx was cancelled: what
// was done stays recorded) and counts them for progress.
func (x *executor) record(ctx context.Context, o *op, res []result) error {
	if len(res) == 0 {
		return nil
	}
	jr := make([]state.JournalResult, len(res))
	failed := 0
	for k, r := range res {
		jr[k] = state.JournalResult{Seq: o.entries[r.i].Seq, State: r.state, Message: r.msg, ShopifyIDs: r.ids}
		o.entries[r.i].State, o.entries[r.i].Message = r.state, r.msg
		if r.ids != nil {
			o.entries[r.i].ShopifyIDs = r.ids
		}
		if r.state == state.JournalFailed || r.state == state.JournalConflict {
			failed++
		}
	}
	if err := x.db.SetJournalResults(context.WithoutCancel(ctx), x.runID, jr); err != nil {
		return err
	}
	if err := x.recordImages(ctx, o); err != nil {
		return err
	}
	x.tr.add(len(res), failed)
	return nil
}

// allResults gives every entry in idx the same outcome.
func allResults(idx []int, st state.JournalState, msg string, ids []string) []result {
	out := make([]result, len(idx))
	for k, i := range idx {
		out[k] = result{i: i, state: st, msg: msg, ids: ids}
	}
	return out
}

// send makes one request for the entries idx of o. It returns the outcomes
// it knows, the entries to send again (a request the store rejected as a
// whole because of other items), and the request's error.
func (x *executor) send(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	switch o.kind {
	case opCreateProduct:
		return x.sendCreate(ctx, o, idx)
	case opUpdateProduct:
		var pf ProductFields
		for _, i := range idx {
			setProductField(&pf, o.entries[i].Field, o.entries[i].New)
		}
		return x.doneOrFail(idx, x.st.ProductUpdate(ctx, o.product.ProductID, pf))
	case opDeleteProduct:
		return x.doneOrFail(idx, x.st.ProductDelete(ctx, o.product.ProductID))
	case opUpdateVariants:
		return x.sendVariantUpdates(ctx, o, idx)
	case opCreateVariants:
		return x.sendVariantCreates(ctx, o, idx)
	case opDeleteVariants:
		ids := make([]string, len(idx))
		for k, i := range idx {
			ids[k] = o.entries[i].ShopifyIDs[1]
		}
		return x.doneOrFail(idx, x.st.VariantsDelete(ctx, o.productID, ids))
	case opActivate:
		q := o.qs[0]
		return x.doneOrFail(idx, x.st.Activate(ctx, o.entries[idx[0]].IdempotencyKey, q.vp.InventoryItemID, q.qc.LocationID, q.qc.New))
	case opSetQuantities:
		return x.sendQuantities(ctx, o, idx)
	case opFixedPricesAdd, opFixedPricesDelete:
		return x.sendFixedPrices(ctx, o, idx)
	case opImages:
		return x.sendImages(ctx, o, idx)
	}
	return nil, nil, errors.New("unknown op")
}

// doneOrFail turns a single-request answer into outcomes for all entries.
func (x *executor) doneOrFail(idx []int, err error) ([]result, []int, error) {
	if err == nil {
		return allResults(idx, state.JournalDone, "", nil), nil, nil
	}
	return x.failAll(idx, err), nil, err
}

// failAll records a refused or failed request; unknown outcomes and fatal
// errors record nothing (the entries stay pending).
func (x *executor) failAll(idx []int, err error) []result {
	switch classify(err) {
	case errItems, errFailed:
		return allResults(idx, state.JournalFailed, errText(err), nil)
	}
	return nil
}

func errText(err error) string {
	if ie, ok := itemErrors(err); ok {
		msgs := make([]string, 0, len(ie.Items))
		for _, it := range ie.Items {
			msgs = append(msgs, it.Message)
		}
		return strings.Join(msgs, "; ")
	}
	return err.Error()
}

func productIDs(sp *SnapProduct) []string {
	ids := []string{sp.ID}
	for _, v := range sp.Variants {
		ids = append(ids, v.ID)
	}
	return ids
}

// sendVariantUpdates sends productVariantsBulkUpdate with, per variant, the
// fields of the entries in idx.
func (x *executor) sendVariantUpdates(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	ins, owner := o.variantInputs(idx)
	return x.itemResults(idx, owner, x.st.VariantsUpdate(ctx, o.productID, ins))
}

// itemResults turns the answer to a request whose input owner[n] carried
// entry idx[n] into outcomes: refused items fail, the others are done when
// the store applied them and sent again when it rejected the whole request.
func (x *executor) itemResults(idx, owner []int, err error) ([]result, []int, error) {
	if err == nil {
		return allResults(idx, state.JournalDone, "", nil), nil, nil
	}
	ie, ok := itemErrors(err)
	if !ok {
		return x.failAll(idx, err), nil, err
	}
	var res []result
	var resend []int
	for n, i := range idx {
		if it, bad := ie.errFor(owner[n]); bad {
			res = append(res, result{i: i, state: state.JournalFailed, msg: it.Message})
		} else if ie.Applied {
			res = append(res, result{i: i, state: state.JournalDone})
		} else {
			resend = append(resend, i)
		}
	}
	return res, resend, nil
}

// variantInputs builds one input per variant from the fields of the entries
// idx; owner[n] is the input that carries entry idx[n].
func (o *op) variantInputs(idx []int) (ins []VariantInput, owner []int) {
	pos := map[string]int{} // variant ID → input index
	owner = make([]int, 0, len(idx))
	for _, i := range idx {
		en := &o.entries[i]
		vid := en.ShopifyIDs[1]
		k, ok := pos[vid]
		if !ok {
			k = len(ins)
			pos[vid] = k
			ins = append(ins, VariantInput{ID: vid})
		}
		setVariantField(&ins[k], en.Field, en.New, o.optionNames(vid))
		owner = append(owner, k)
	}
	return ins, owner
}

// optionNames finds the option names kept with a variant's plan.
func (o *op) optionNames(variantID string) []string {
	for _, vp := range o.variants {
		if vp.VariantID == variantID {
			return vp.OptionNames
		}
	}
	return nil
}

func (x *executor) sendVariantCreates(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	ins := make([]VariantInput, len(idx))
	for k, i := range idx {
		ins[k] = *o.variants[i].Create
	}
	notes, err := x.newVariantImages(ctx, o, ins)
	if err != nil {
		return nil, nil, err
	}
	created, err := x.st.VariantsCreate(ctx, o.productID, ins)
	if isDayLimit(err) {
		return x.dayLimitRefused(o, idx), nil, nil
	}
	if err == nil {
		res := make([]result, len(idx))
		pins, pcreated := make([]*VariantInput, len(ins)), make([]*SnapVariant, len(ins))
		for k, i := range idx {
			res[k] = result{i: i, state: state.JournalDone}
			if k < len(created) {
				res[k].ids = []string{o.productID, created[k].ID, created[k].InventoryItemID}
				pins[k], pcreated[k] = &ins[k], &created[k]
			}
		}
		msg := x.priceCreated(ctx, pins, pcreated) // the variants exist either way
		for k := range res {
			res[k].msg = joinMessages(msg, notes[k])
		}
		return res, nil, nil
	}
	ie, ok := itemErrors(err)
	if !ok {
		return x.failAll(idx, err), nil, err
	}
	var res []result
	var resend []int
	for k, i := range idx {
		if it, bad := ie.errFor(k); bad {
			res = append(res, result{i: i, state: state.JournalFailed, msg: it.Message})
		} else {
			resend = append(resend, i) // bulk create is all or nothing
		}
	}
	return res, resend, nil
}

// sendQuantities sends inventorySetQuantities for the entries idx. The
// idempotency key is the one journalled for the whole batch, or derived from
// the entries when only some are re-sent. A stale quantity becomes a
// conflict of that item, not a failed run.
func (x *executor) sendQuantities(ctx context.Context, o *op, idx []int) ([]result, []int, error) {
	ins := o.quantityInputs(idx)
	key := o.entries[idx[0]].IdempotencyKey
	if len(idx) != len(o.entries) {
		key = idemKey(x.runID, "items", o.seqs(idx)...)
	}
	err := x.st.SetQuantities(ctx, key, ins)
	if err == nil {
		return allResults(idx, state.JournalDone, "", nil), nil, nil
	}
	ie, ok := itemErrors(err)
	if !ok {
		return x.failAll(idx, err), nil, err
	}
	res, resend, stale := quantityOutcomes(ie, idx)
	if len(stale) > 0 {
		res = append(res, x.staleResults(ctx, o, stale)...)
	}
	return res, resend, nil
}

// quantityOutcomes sorts the entries idx of a refused inventorySetQuantities
// call (its item k carries entry idx[k]): refused ones fail, stale ones are
// to be re-read, and the others are done when the call applied them, else
// to be sent again.
func quantityOutcomes(ie *ItemErrors, idx []int) (res []result, again, stale []int) {
	for k, i := range idx {
		it, bad := ie.errFor(k)
		switch {
		case bad && it.Code == CodeStale:
			stale = append(stale, i)
		case bad:
			res = append(res, result{i: i, state: state.JournalFailed, msg: it.Message})
		case ie.Applied:
			res = append(res, result{i: i, state: state.JournalDone})
		default:
			again = append(again, i)
		}
	}
	return res, again, stale
}

// quantityInputs are the quantities of entries idx of a stock op, each
// with the value the plan saw as changeFromQuantity: Shopify refuses a
// level changed since (CHANGE_FROM_QUANTITY_STALE) rather than overwrite
// someone else's count.
func (o *op) quantityInputs(idx []int) []QuantityInput {
	ins := make([]QuantityInput, len(idx))
	for k, i := range idx {
		q := o.qs[i]
		ins[k] = QuantityInput{InventoryItemID: q.vp.InventoryItemID, LocationID: q.qc.LocationID,
			Quantity: q.qc.New, ChangeFromQuantity: *q.qc.Old, Name: q.qc.Name}
	}
	return ins
}

// staleResults re-reads quantities the store called stale: already at the
// new value is done (an earlier attempt of ours), anything else a conflict.
func (x *executor) staleResults(ctx context.Context, o *op, idx []int) []result {
	cur, err := x.readFor(ctx, o, idx)
	out := make([]result, 0, len(idx))
	for _, i := range idx {
		q := o.qs[i]
		now, ok := currentQuantityNamed(cur, q.vp.VariantID, q.qc.LocationID, q.qc.Name)
		switch {
		case err == nil && ok && now == q.qc.New:
			out = append(out, result{i: i, state: state.JournalDone})
		case err == nil && ok:
			out = append(out, result{i: i, state: state.JournalConflict,
				msg: "stock changed in Shopify since the preview (was " + strconv.Itoa(*q.qc.Old) + ", now " + strconv.Itoa(now) + "); left alone"})
		default:
			out = append(out, result{i: i, state: state.JournalConflict, msg: "stock changed in Shopify since the preview; left alone"})
		}
	}
	return out
}
