package sync

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	gosync "sync"
	"time"

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

// PhaseBulkUpdates is the progress phase while variant updates run as bulk operations.
const PhaseBulkUpdates = "variant updates (bulk operations)"

// UpdatePath is how a plan's variant updates will be sent, and why.
type UpdatePath struct {
	Path         string  `json:"path"`  // PathPaced or PathBulk
	Lines        int     `json:"lines"` // productVariantsBulkUpdate calls
	Operations   int     `json:"operations,omitempty"`
	PacedSeconds float64 `json:"pacedSeconds"`
	BulkSeconds  float64 `json:"bulkSeconds"`
	Reason       string  `json:"reason"`
}

// choosePath decides how the plan's variant updates go: through bulk
// operations when the store can run them and that is estimated faster than
// pacing them within the store's rate limit.
func (e *Engine) choosePath(p *Plan, st Store) {
	ops := bulkEligible(buildOps(p, ""))
	if len(ops) == 0 {
		return
	}
	points := 0.0
	for _, o := range ops {
		points += 10 + 0.2*float64(len(o.variants)) // productVariantsBulkUpdate (F6)
	}
	up := &UpdatePath{Path: PathPaced, Lines: len(ops)}
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
		up.Operations = min(MaxBulkOperations, len(ops))
		perOp := math.Ceil(float64(len(ops)) / float64(up.Operations))
		up.PacedSeconds = points / rate
		up.BulkSeconds = perOp/AssumedBulkLinesPerSecond + bulkOverhead.Seconds()
		if up.BulkSeconds < up.PacedSeconds {
			up.Path = PathBulk
			up.Reason = fmt.Sprintf("Variant updates of %d products go to Shopify as %d bulk operations: about %s, against %s one request at a time within the store's rate limit of %.0f points/s (bulk speed assumed %.0f lines/s per operation)",
				len(ops), up.Operations, roundDur(up.BulkSeconds), roundDur(up.PacedSeconds), rate, AssumedBulkLinesPerSecond)
		} else {
			up.Operations = 0
			up.Reason = fmt.Sprintf("Variant updates of %d products go one request at a time within the store's rate limit: about %s, sooner than bulk operations (about %s)",
				len(ops), roundDur(up.PacedSeconds), roundDur(up.BulkSeconds))
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

// bulkUpdate sends the plan's variant updates as up to MaxBulkOperations
// bulk operations at once, when the plan chose the bulk path. Each chunk's
// entries are marked pending with the chunk's tag before it starts and with
// the operation's ID once it has, so a run killed at any point finds the
// operation again (settleBulk) instead of sending a line twice. A shop that
// refuses bulk operations leaves every update to the paced path, and the
// progress says so.
func (x *executor) bulkUpdate(ctx context.Context, p *Plan, ops []*op) {
	bu, ok := x.st.(BulkUpdater)
	if !ok || p.UpdatePath == nil || p.UpdatePath.Path != PathBulk {
		return
	}
	todo := bulkEligible(ops)
	if len(todo) == 0 {
		return
	}
	x.tr.setPhase(PhaseBulkUpdates)
	n := min(MaxBulkOperations, len(todo))
	size := (len(todo) + n - 1) / n
	type started struct {
		id  string
		ops []*op
	}
	var runs []started
	for c := 0; len(todo) > 0 && ctx.Err() == nil; c++ {
		chunk := todo[:min(size, len(todo))]
		todo = todo[len(chunk):]
		tag := x.runID + "/" + strconv.Itoa(c)
		id, err := x.startChunk(ctx, bu, tag, chunk)
		if err != nil {
			if bulkRefused(err) {
				x.tr.setPhase(PhaseVariants + " (paced: the store refused a bulk operation: " + err.Error() + ")")
				x.warn("variant updates were sent paced: the store refused a bulk operation (" + err.Error() + ")")
			} else if classify(err) == errFatal {
				x.setFatal(err)
			}
			break
		}
		runs = append(runs, started{id, chunk})
	}
	var wg gosync.WaitGroup
	for _, r := range runs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.collect(ctx, bu, r.id, r.ops)
		}()
	}
	wg.Wait()
}

// startChunk marks the chunk's entries pending with its tag, starts its bulk
// operation and records the operation's ID. When the start fails the
// entries go back to planned, unless the start may have happened: then the
// app's latest bulk mutation is checked for the tag.
func (x *executor) startChunk(ctx context.Context, bu BulkUpdater, tag string, chunk []*op) (string, error) {
	if err := x.markLines(ctx, chunk, bulkMark+tag, ""); err != nil {
		return "", err
	}
	lines := make([]VariantUpdateLine, len(chunk))
	for k, o := range chunk {
		ins, _ := o.variantInputs(allIdx(o))
		lines[k] = VariantUpdateLine{ProductID: o.productID, Variants: ins}
	}
	id, err := bu.StartVariantUpdates(ctx, tag, lines)
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
// without a result (the operation failed or was cancelled before them) stay
// pending without the mark: the paced path re-reads them before it sends
// them, so a line that did run is not sent again.
func (x *executor) collect(ctx context.Context, bu BulkUpdater, id string, ops []*op) {
	seen := make([]bool, len(ops))
	var mu gosync.Mutex
	err := bu.WaitVariantUpdates(ctx, id, func(line int, lerr error) {
		if line < 0 || line >= len(ops) || ops[line] == nil {
			return
		}
		mu.Lock()
		seen[line] = true
		mu.Unlock()
		o := ops[line]
		if rerr := x.record(ctx, o, lineResults(o, line, lerr)); rerr != nil {
			x.setFatal(rerr)
		}
	})
	if err != nil && ctx.Err() != nil {
		return // killed or cancelled: the marks stay, Resume waits for the operation
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

// lineResults turns one result line into outcomes for the op's entries.
func lineResults(o *op, line int, err error) []result {
	idx := allIdx(o)
	if err == nil {
		return allResults(idx, state.JournalDone, "", nil)
	}
	ie, ok := itemErrors(err)
	if !ok {
		return allResults(idx, state.JournalFailed, "bulk operation line "+strconv.Itoa(line+1)+": "+err.Error(), nil)
	}
	_, owner := o.variantInputs(idx)
	res := make([]result, len(idx))
	for n, i := range idx {
		res[n] = result{i: i, state: state.JournalDone}
		if it, bad := ie.errFor(owner[n]); bad {
			res[n] = result{i: i, state: state.JournalFailed, msg: it.Message}
		}
	}
	return res
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
		if len(f) > 1 {
			c.id = f[1]
		}
	}
	if len(tags) == 0 {
		return
	}
	bu, ok := x.st.(BulkUpdater)
	x.tr.setPhase(PhaseBulkUpdates + " (resumed)")
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
