package sync

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// The bulk path for variant updates (issue 13). Paced, productVariantsBulkUpdate
// costs 10 + 0.2 points per variant (FACTS §7, F6), so a Standard shop (100
// points/s) updates at most ~35,000 one-variant products an hour. Bulk
// mutations do not count against the rate limit and, since API 2026-01, an
// app may run five at once per shop
// (https://shopify.dev/changelog/faster-bulk-operations).
const (
	// AssumedBulkLinesPerSecond is how many lines one bulk mutation is
	// assumed to get through per second. Shopify publishes no rate: this is
	// an ASSUMPTION (the simulator's default, fakeshop.DefaultBulkMutationRate),
	// used only to choose between the paths.
	AssumedBulkLinesPerSecond = 100.0
	// MaxBulkOperations is how many bulk operations of a kind an app may run
	// at once per shop from API 2026-01 (faster-bulk-operations changelog).
	MaxBulkOperations = 5
	// bulkOverhead is the fixed time of the bulk path: staging the files,
	// starting the operations, polling (1 s to 15 s apart) and reading the
	// results (an assumption).
	bulkOverhead = 20 * time.Second
)

// Update paths.
const (
	PathPaced = "paced"
	PathBulk  = "bulk"
)

// Progress phases while bulk operations run: variant updates, stock, or both.
const (
	PhaseBulkUpdates = "variant updates (bulk operations)"
	PhaseBulkStock   = "stock (bulk operations)"
	PhaseBulkBoth    = "variant updates and stock (bulk operations)"
)

// bulkPhase names the bulk phase for what it sends.
func bulkPhase(variants, stock bool) string {
	switch {
	case variants && stock:
		return PhaseBulkBoth
	case stock:
		return PhaseBulkStock
	}
	return PhaseBulkUpdates
}

// UpdatePath is how a plan's variant updates and stock levels will be
// sent, and why. Both go the same path.
type UpdatePath struct {
	Path  string `json:"path"`  // PathPaced or PathBulk
	Lines int    `json:"lines"` // productVariantsBulkUpdate calls
	// StockLines are inventorySetQuantities calls (at most 250 quantities
	// each) setting Quantities stock levels.
	StockLines   int     `json:"stockLines,omitempty"`
	Quantities   int     `json:"quantities,omitempty"`
	Operations   int     `json:"operations,omitempty"`
	PacedSeconds float64 `json:"pacedSeconds"`
	BulkSeconds  float64 `json:"bulkSeconds"`
	Reason       string  `json:"reason"`
}

// choosePath decides how the plan's variant updates and stock levels go:
// through bulk operations when the store can run them and that is
// estimated faster than pacing them within the store's rate limit.
func (e *Engine) choosePath(p *Plan, st Store) {
	all := buildOps(p, "", e.stockBatch)
	vs, ss := bulkEligible(all), stockEligible(all)
	if len(vs)+len(ss) == 0 {
		return
	}
	points := 10 * float64(len(ss)) // inventorySetQuantities: a mutation's 10, its input unpriced
	for _, o := range vs {
		points += 10 + 0.2*float64(len(o.variants)) // productVariantsBulkUpdate (F6)
	}
	up := &UpdatePath{Path: PathPaced, Lines: len(vs), StockLines: len(ss)}
	for _, o := range ss {
		up.Quantities += len(o.qs)
	}
	what := up.what()
	bu, ok := st.(BulkUpdater)
	rate := 0.0
	if ok {
		rate = bu.RestoreRate()
	}
	switch {
	case !ok || !e.BulkUpdates:
		up.Reason = "sent one request per product within the store's rate limit"
	case rate <= 0:
		up.Reason = "sent one request per product (the store's rate limit is not known yet)"
	default:
		pieces := bulkPieces(vs, ss)
		up.Operations = len(pieces)
		up.PacedSeconds = points / rate
		up.BulkSeconds = float64(makespan(pieces, MaxBulkOperations))/AssumedBulkLinesPerSecond + bulkOverhead.Seconds()
		if up.BulkSeconds < up.PacedSeconds {
			up.Path = PathBulk
			ops := plural(up.Operations, "bulk operation")
			if up.Operations > MaxBulkOperations {
				ops += fmt.Sprintf(" (at most %d at once)", MaxBulkOperations)
			}
			up.Reason = fmt.Sprintf("%s go to Shopify as %s: about %s, against %s one request at a time within the store's rate limit of %.0f points/s (bulk speed assumed %.0f lines/s per operation)",
				what, ops, roundDur(up.BulkSeconds), roundDur(up.PacedSeconds), rate, AssumedBulkLinesPerSecond)
		} else {
			up.Operations = 0
			up.Reason = fmt.Sprintf("%s go one request at a time within the store's rate limit: about %s, sooner than bulk operations (about %s)",
				what, roundDur(up.PacedSeconds), roundDur(up.BulkSeconds))
		}
	}
	p.UpdatePath = up
	// The preview names the path when the choice matters: bulk, or a paced
	// run long enough that bulk was a real option. A few updates sent in
	// seconds need no note beside the sheet's own problems.
	if up.Path == PathBulk || up.PacedSeconds >= notablePacedSeconds {
		p.Notes = append(p.Notes, up.Reason)
	}
}

// notablePacedSeconds is how long paced updates must take before the
// preview says why they are not sent as bulk operations.
const notablePacedSeconds = 60

// what names the updates a path carries, for the preview: "Variant updates
// of 300 products", "Stock of 1200 levels (5 requests of up to 250)", or
// both.
func (up *UpdatePath) what() string {
	v := fmt.Sprintf("variant updates of %s", plural(up.Lines, "product"))
	s := fmt.Sprintf("stock of %s (%s of up to %d)", plural(up.Quantities, "level"), plural(up.StockLines, "request"), MaxBatch)
	out := v
	switch {
	case up.Lines > 0 && up.StockLines > 0:
		out = v + " and " + s
	case up.StockLines > 0:
		out = s
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// plural is "1 product" or "2 products".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func roundDur(sec float64) string {
	return (time.Duration(sec) * time.Second).Round(time.Second).String()
}

// bulkEligible picks the variant-update ops a bulk line can carry: not yet
// sent, and without metafields (those go with metafieldsSet, paced).
func bulkEligible(ops []*op) []*op {
	var out []*op
	for _, o := range ops {
		if o.kind != opUpdateVariants || !untouched(o) {
			continue
		}
		ins, _ := o.variantInputs(allIdx(o))
		ok := true
		for _, in := range ins {
			if len(metafieldsOf(in.ID, in.Extra)) > 0 {
				ok = false
			}
		}
		if ok {
			out = append(out, o)
		}
	}
	return out
}

// stockEligible picks the stock ops a bulk line can carry: not yet sent
// inventorySetQuantities batches (each at most MaxBatch quantities of one
// name, one line each). A level not stocked yet (inventoryActivate) stays
// paced: those are few.
func stockEligible(ops []*op) []*op {
	var out []*op
	for _, o := range ops {
		if o.kind == opSetQuantities && untouched(o) {
			out = append(out, o)
		}
	}
	return out
}

// bulkPieces splits the lines of each kind (one mutation per bulk
// operation) into operations of at most a fifth of all lines, longest first:
// started in that order on MaxBulkOperations slots, each next one where a
// slot frees first, they end at about the same time, so a short stock
// operation runs where a variant one finished early instead of taking a
// slot from the start.
func bulkPieces(kinds ...[]*op) [][]*op {
	total := 0
	for _, k := range kinds {
		total += len(k)
	}
	if total == 0 {
		return nil
	}
	size := (total + MaxBulkOperations - 1) / MaxBulkOperations
	var pieces [][]*op
	for _, k := range kinds {
		for len(k) > 0 {
			n := min(size, len(k))
			pieces = append(pieces, k[:n:n])
			k = k[n:]
		}
	}
	slices.SortStableFunc(pieces, func(a, b []*op) int { return len(b) - len(a) })
	return pieces
}

// makespan is how many lines the busiest of slots runs when pieces start in
// order, each on the slot that frees first.
func makespan(pieces [][]*op, slots int) int {
	load := make([]int, slots)
	for _, p := range pieces {
		load[slices.Index(load, slices.Min(load))] += len(p)
	}
	return slices.Max(load)
}

func allIdx(o *op) []int {
	idx := make([]int, len(o.entries))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// bulkMark starts the message of a pending entry sent in a bulk operation:
// "bulk <tag>#<line>" until the operation's ID is known, then
// "bulk <tag>#<line> <id>" (line: the entry's line in the operation's file).
const bulkMark = "bulk "

// bulkUpdate sends the plan's variant updates and stock levels as bulk
// operations, at most MaxBulkOperations at once, when the plan chose the
// bulk path. Each operation's entries are marked pending with its tag before
// it starts and with the operation's ID once it has, so a run killed at any
// point finds the operation again (settleBulk) instead of sending a line
// twice. Operations start one after the other (so at most the latest lacks
// its recorded ID, which StartedWithTag can find); the next starts when a
// slot frees. A shop that refuses bulk operations leaves the rest to the
// paced path, and the run says so.
func (x *executor) bulkUpdate(ctx context.Context, p *Plan, ops []*op) {
	bu, ok := x.st.(BulkUpdater)
	if !ok || p.UpdatePath == nil || p.UpdatePath.Path != PathBulk {
		return
	}
	vs, ss := bulkEligible(ops), stockEligible(ops)
	pieces := bulkPieces(vs, ss)
	if len(pieces) == 0 {
		return
	}
	x.tr.setPhase(bulkPhase(len(vs) > 0, len(ss) > 0))
	slots, running := MaxBulkOperations, 0
	ended := make(chan struct{}, len(pieces))
	var wg gosync.WaitGroup
	for len(pieces) > 0 && ctx.Err() == nil && x.fatalErr() == nil {
		if running >= slots {
			select {
			case <-ended:
				running--
			case <-ctx.Done():
			}
			continue
		}
		piece := pieces[0]
		tag := x.runID + "/" + strconv.FormatInt(piece[0].entries[0].Seq, 10)
		id, err := x.startChunk(ctx, bu, tag, piece)
		if err != nil {
			if shopify.BulkBusy(err) && running > 0 {
				slots = running // the shop runs fewer at once than assumed: wait for one of ours
				continue
			}
			x.bulkGivenUp(err, len(vs) > 0, len(ss) > 0)
			break
		}
		pieces, running = pieces[1:], running+1
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.collect(ctx, bu, id, piece)
			ended <- struct{}{}
		}()
	}
	wg.Wait()
}

// bulkGivenUp says why the updates not started in bulk go paced.
func (x *executor) bulkGivenUp(err error, variants, stock bool) {
	what := "variant updates"
	switch {
	case variants && stock:
		what = "variant updates and stock"
	case stock:
		what = "stock"
	}
	switch {
	case bulkRefused(err):
		x.warn(what + " were sent paced: the store refused a bulk operation (" + err.Error() + ")")
	case classify(err) == errFatal:
		x.setFatal(err)
	case classify(err) != errUnknown:
		x.warn(what + " were sent paced: a bulk operation could not be started (" + err.Error() + ")")
	}
}

// startChunk marks the chunk's entries pending with its tag, starts its bulk
// operation and records the operation's ID. When the start fails the
// entries go back to planned, unless the start may have happened: then the
// app's latest bulk mutation is checked for the tag.
func (x *executor) startChunk(ctx context.Context, bu BulkUpdater, tag string, chunk []*op) (string, error) {
	if err := x.markLines(ctx, chunk, bulkMark+tag, ""); err != nil {
		return "", err
	}
	var id string
	var err error
	if chunk[0].kind == opSetQuantities {
		lines := make([]StockUpdateLine, len(chunk))
		for k, o := range chunk {
			lines[k] = StockUpdateLine{Key: o.entries[0].IdempotencyKey, Quantities: o.quantityInputs(allIdx(o))}
		}
		id, err = bu.StartStockUpdates(ctx, tag, lines)
	} else {
		lines := make([]VariantUpdateLine, len(chunk))
		for k, o := range chunk {
			ins, _ := o.variantInputs(allIdx(o))
			lines[k] = VariantUpdateLine{ProductID: o.productID, Variants: ins}
		}
		id, err = bu.StartVariantUpdates(ctx, tag, lines)
	}
	if err != nil && classify(err) == errUnknown {
		if found, ferr := bu.StartedWithTag(context.WithoutCancel(ctx), tag); ferr == nil && found != "" {
			id, err = found, nil
		}
	}
	if err != nil {
		if classify(err) != errUnknown {
			if merr := x.markAll(ctx, chunk, state.JournalPlanned, ""); merr != nil {
				return "", merr
			}
		}
		return "", err
	}
	return id, x.markLines(ctx, chunk, bulkMark+tag, " "+id)
}

// markLines marks the ops' entries pending with prefix#line+suffix, line
// being the op's position in chunk (nil ops are skipped).
func (x *executor) markLines(ctx context.Context, chunk []*op, prefix, suffix string) error {
	var res []state.JournalResult
	for k, o := range chunk {
		if o == nil {
			continue
		}
		msg := prefix + "#" + strconv.Itoa(k) + suffix
		for i := range o.entries {
			res = append(res, state.JournalResult{Seq: o.entries[i].Seq, State: state.JournalPending, Message: msg})
			o.entries[i].State, o.entries[i].Message = state.JournalPending, msg
		}
	}
	err := x.db.SetJournalResults(context.WithoutCancel(ctx), x.runID, res)
	if err != nil {
		x.setFatal(err)
	}
	return err
}

func (x *executor) markAll(ctx context.Context, ops []*op, st state.JournalState, msg string) error {
	var seqs []int64
	for _, o := range ops {
		if o == nil {
			continue
		}
		for i := range o.entries {
			seqs = append(seqs, o.entries[i].Seq)
			o.entries[i].State, o.entries[i].Message = st, msg
		}
	}
	err := x.db.MarkJournal(context.WithoutCancel(ctx), x.runID, st, msg, seqs...)
	if err != nil {
		x.setFatal(err)
	}
	return err
}

// collect waits for one bulk operation and records each result line. Lines
// without a result (the operation failed or was cancelled before them), and
// stock lines Shopify refused as a whole for another item's sake, stay
// pending without the mark: the paced path re-reads them before it sends
// them, so a line that did run is not sent again. Stock Shopify called
// stale is re-read: already at the new value is done, else a conflict.
func (x *executor) collect(ctx context.Context, bu BulkUpdater, id string, ops []*op) {
	seen := make([]bool, len(ops))
	type entries struct {
		o   *op
		idx []int
	}
	var again, stale []entries
	var mu gosync.Mutex
	list := "variants"
	if o := firstOp(ops); o != nil && o.kind == opSetQuantities {
		list = "quantities"
	}
	onLine := func(line int, lerr error) {
		if line < 0 || line >= len(ops) || ops[line] == nil {
			return
		}
		o := ops[line]
		res, a, st := lineResults(o, line, lerr)
		mu.Lock()
		if seen[line] { // read again after the operation was stopped
			mu.Unlock()
			return
		}
		seen[line] = true
		if len(a) > 0 {
			again = append(again, entries{o, a})
		}
		if len(st) > 0 {
			stale = append(stale, entries{o, st})
		}
		mu.Unlock()
		if rerr := x.record(ctx, o, res); rerr != nil {
			x.setFatal(rerr)
		}
	}
	err := bu.WaitBulkLines(ctx, id, list, len(ops), onLine)
	stopped := false
	if err != nil && ctx.Err() != nil {
		// Cancelled: the operation is stopped on Shopify too, and what it
		// did is recorded (stopBulk). Killed, or it could not be stopped:
		// the marks stay, and Resume waits for the operation.
		stopped = x.stopBulk(ctx, bu, id, list, ops, func(k int) bool {
			mu.Lock()
			defer mu.Unlock()
			return seen[k]
		}, onLine)
	}
	for _, s := range stale {
		if rerr := x.record(ctx, s.o, x.staleResults(context.WithoutCancel(ctx), s.o, s.idx)); rerr != nil {
			x.setFatal(rerr)
		}
	}
	for _, a := range again {
		_ = x.markEntries(ctx, a.o, a.idx, state.JournalPending, "")
	}
	if stopped || err != nil && ctx.Err() != nil {
		return
	}
	if err != nil && classify(err) == errFatal {
		x.setFatal(err)
	}
	var rest []*op
	for k, o := range ops {
		if !seen[k] && o != nil {
			rest = append(rest, o)
		}
	}
	if len(rest) > 0 {
		_ = x.markAll(ctx, rest, state.JournalPending, "")
	}
}

func firstOp(ops []*op) *op {
	for _, o := range ops {
		if o != nil {
			return o
		}
	}
	return nil
}

// markEntries sets entries idx of o to st with msg.
func (x *executor) markEntries(ctx context.Context, o *op, idx []int, st state.JournalState, msg string) error {
	for _, i := range idx {
		o.entries[i].State, o.entries[i].Message = st, msg
	}
	err := x.db.MarkJournal(context.WithoutCancel(ctx), x.runID, st, msg, o.seqs(idx)...)
	if err != nil {
		x.setFatal(err)
	}
	return err
}

// lineResults turns one result line into outcomes for the op's entries, the
// entries to send again (after a re-read), and those Shopify called stale.
func lineResults(o *op, line int, err error) (res []result, again, stale []int) {
	idx := allIdx(o)
	if err == nil {
		return allResults(idx, state.JournalDone, "", nil), nil, nil
	}
	ie, ok := itemErrors(err)
	if !ok {
		return allResults(idx, state.JournalFailed, "bulk operation line "+strconv.Itoa(line+1)+": "+err.Error(), nil), nil, nil
	}
	if o.kind == opSetQuantities {
		// inventorySetQuantities applies all of a call or nothing (fakeshop
		// models it so; the docs do not say, and ie.Applied is false): the
		// items without an error are re-read and sent again, never assumed
		// done.
		return quantityOutcomes(ie, idx)
	}
	_, owner := o.variantInputs(idx)
	res = make([]result, len(idx))
	for n, i := range idx {
		res[n] = result{i: i, state: state.JournalDone}
		if it, bad := ie.errFor(owner[n]); bad {
			res[n] = result{i: i, state: state.JournalFailed, msg: it.Message}
		}
	}
	return res, nil, nil
}

// settleBulk, on a resumed run, finds the bulk operations its pending
// entries were sent in (by ID, or by tag when the run died before it
// recorded the ID), waits for each to end and records its lines.
func (x *executor) settleBulk(ctx context.Context, ops []*op) {
	type chunk struct {
		id    string
		lines []*op // by line number; nil for lines already settled
	}
	chunks := map[string]*chunk{}
	var tags []string
	kinds := map[opKind]bool{}
	for _, o := range ops {
		if len(o.entries) == 0 || o.entries[0].State != state.JournalPending || !strings.HasPrefix(o.entries[0].Message, bulkMark) {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(o.entries[0].Message, bulkMark))
		if len(f) == 0 {
			continue
		}
		tag, ln, ok := strings.Cut(f[0], "#")
		line, err := strconv.Atoi(ln)
		if !ok || err != nil || line < 0 {
			continue
		}
		c := chunks[tag]
		if c == nil {
			c = &chunk{}
			chunks[tag] = c
			tags = append(tags, tag)
		}
		for len(c.lines) <= line {
			c.lines = append(c.lines, nil)
		}
		c.lines[line] = o
		kinds[o.kind] = true
		if len(f) > 1 {
			c.id = f[1]
		}
	}
	if len(tags) == 0 {
		return
	}
	bu, ok := x.st.(BulkUpdater)
	x.tr.setPhase(bulkPhase(kinds[opUpdateVariants], kinds[opSetQuantities]) + " (resumed)")
	var wg gosync.WaitGroup
	for _, t := range tags {
		c := chunks[t]
		if !ok { // cannot ask: the paced path re-reads before sending
			_ = x.markAll(ctx, c.lines, state.JournalPending, "")
			continue
		}
		if c.id == "" {
			found, err := bu.StartedWithTag(ctx, t)
			if err != nil {
				x.handleReadErr(err)
				return
			}
			if found == "" { // never started: the lines are unsent
				_ = x.markAll(ctx, c.lines, state.JournalPlanned, "")
				continue
			}
			c.id = found
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.collect(ctx, bu, c.id, c.lines)
		}()
	}
	wg.Wait()
}

// warn keeps a message for the run's result.
func (x *executor) warn(msg string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.warnings = append(x.warnings, msg)
}
