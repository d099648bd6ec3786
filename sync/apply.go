package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	gosync "sync"
	"time"

	"github.com/shelfsync/shelfsync/sync/state"
)

// ApplyOptions configure Apply and Resume.
type ApplyOptions struct {
	// Confirm applies a plan even though it tripped guards.
	Confirm bool
	// Progress, when set, is called as the run goes, from the engine's
	// goroutines but never two calls at once. It must not block for long.
	Progress func(Progress)
}

// Progress is one progress event of a run. Done and Total count item
// changes (journal entries), not requests.
type Progress struct {
	RunID   string
	Phase   string // PhaseBulk, PhaseProducts, PhaseVariants, PhaseInventory, PhaseFinishing
	Done    int
	Total   int
	Failed  int // failed or conflicting changes so far
	Elapsed time.Duration
	ETA     time.Duration // 0 when unknown
}

// RunResult is how a run ended.
type RunResult struct {
	RunID      string
	State      state.RunState
	Counts     state.Counts
	Duration   time.Duration
	ReportPath string
	// Problems are the changes that failed or conflicted, for people.
	Problems []Outcome
	// Warnings are what the store said that a person should know although
	// nothing failed: Shopify served another API version than Shelfsync
	// asks for, or called something Shelfsync uses deprecated.
	Warnings []string
}

// Noticer is a Store that can tell what the shop said besides its answers
// (shopify.Client.Notices): the run shows these as warnings.
type Noticer interface {
	Notices() []string
}

// Outcome is the result of one item change.
type Outcome struct {
	Item    string `json:"item"`
	Field   string `json:"field"`
	Row     int    `json:"row,omitempty"`
	State   string `json:"state"`
	Message string `json:"message,omitempty"`
}

// Apply records the plan as a run (unless it already is one), then sends its
// changes. A plan with guard trips is refused with ErrGuardsTripped unless
// o.Confirm is set; the run is then kept as held, with its plan, for review.
// Cancelling ctx stops the run at once; what was done stays recorded and
// Resume finishes it.
func (e *Engine) Apply(ctx context.Context, st Store, p *Plan, o ApplyOptions) (*RunResult, error) {
	if e.DB == nil {
		return nil, ErrNoDB
	}
	run, err := e.recordRun(ctx, p)
	if err != nil {
		return nil, err
	}
	if len(p.Guards) > 0 && !o.Confirm {
		run.State = state.RunHeld
		run.Summary = "held: " + p.Guards[0].Message
		if err := e.DB.UpdateRun(ctx, run); err != nil {
			return nil, err
		}
		return &RunResult{RunID: run.ID, State: state.RunHeld}, ErrGuardsTripped
	}
	return e.execute(ctx, st, p, run, o)
}

// Resume finishes a run that was cancelled, failed or killed: changes whose
// outcome is unknown are re-checked against the store first, so nothing is
// created twice and nothing is lost.
func (e *Engine) Resume(ctx context.Context, st Store, runID string, o ApplyOptions) (*RunResult, error) {
	if e.DB == nil {
		return nil, ErrNoDB
	}
	p, err := e.LoadPlan(ctx, runID)
	if err != nil {
		return nil, err
	}
	run, err := e.DB.GetRun(ctx, p.RunID)
	if err != nil {
		return nil, err
	}
	switch run.State {
	case state.RunFinished, state.RunUndone:
		return nil, fmt.Errorf("run %s is %s; there is nothing to resume", run.ID, run.State)
	case state.RunHeld:
		if !o.Confirm {
			return &RunResult{RunID: run.ID, State: state.RunHeld}, ErrGuardsTripped
		}
	}
	return e.execute(ctx, st, p, run, o)
}

func (e *Engine) recordRun(ctx context.Context, p *Plan) (state.Run, error) {
	if p.RunID != "" {
		return e.DB.GetRun(ctx, p.RunID)
	}
	if p.StoreID == "" {
		return state.Run{}, errors.New("the plan names no store (Options.StoreID)")
	}
	trigger := e.Trigger
	if trigger == "" {
		trigger = state.TriggerManual
	}
	run, err := e.DB.CreateRun(ctx, state.Run{StoreID: p.StoreID, Kind: state.RunKind(p.Kind), Trigger: trigger,
		Source: p.Source, State: state.RunPlanned, UndoOf: p.UndoOf, Summary: p.Summary()})
	if err != nil {
		return run, err
	}
	p.RunID = run.ID
	raw, err := json.Marshal(p)
	if err != nil {
		return run, err
	}
	return run, e.DB.SetRunPlan(ctx, run.ID, raw)
}

// execute runs (or resumes) a recorded plan.
func (e *Engine) execute(ctx context.Context, st Store, p *Plan, run state.Run, o ApplyOptions) (*RunResult, error) {
	ops := buildOps(p, run.ID, e.stockBatch)
	if err := e.loadJournal(ctx, run.ID, ops); err != nil {
		return nil, err
	}
	if run.StartedAt.IsZero() {
		run.StartedAt = e.now()
	}
	run.State = state.RunRunning
	if err := e.DB.UpdateRun(ctx, run); err != nil {
		return nil, err
	}
	tr := newTracker(run.ID, ops, o.Progress, e.now)
	x := &executor{e: e, st: st, db: e.DB, runID: run.ID, storeID: p.StoreID, tr: tr}
	// A created product carries its own variants and stock, so one pool
	// sends all ops in phase order, with no pause between phases; ops on the
	// same product go one at a time (runOps).
	x.settleBulk(ctx, ops)    // a resumed run: bulk operations it started, waited for first
	x.bulkCreate(ctx, ops)    // many new products: one bulk operation first
	x.bulkUpdate(ctx, p, ops) // many variant updates: bulk operations, when faster
	x.runOps(ctx, ops)
	tr.setPhase(PhaseFinishing)
	return e.finish(context.WithoutCancel(ctx), p, run, x, ctx.Err())
}

// loadJournal appends the ops' entries on a first run, or copies the
// recorded states into them on a resume.
func (e *Engine) loadJournal(ctx context.Context, runID string, ops []*op) error {
	have, err := e.DB.JournalEntries(ctx, runID)
	if err != nil {
		return err
	}
	n := 0
	for _, o := range ops {
		n += len(o.entries)
	}
	if len(have) == 0 {
		all := make([]state.JournalEntry, 0, n)
		for _, o := range ops {
			all = append(all, o.entries...)
		}
		if len(all) == 0 {
			return nil
		}
		if err := e.DB.AppendJournal(ctx, runID, all); err != nil {
			return err
		}
		for _, o := range ops {
			for k := range o.entries {
				o.entries[k].State = state.JournalPlanned
			}
		}
		return nil
	}
	if len(have) != n {
		return fmt.Errorf("run %s: its journal has %d entries but its plan makes %d", runID, len(have), n)
	}
	bySeq := make(map[int64]state.JournalEntry, len(have))
	for _, h := range have {
		bySeq[h.Seq] = h
	}
	for _, o := range ops {
		for k := range o.entries {
			h, ok := bySeq[o.entries[k].Seq]
			if !ok || h.Field != o.entries[k].Field || h.ItemKey != o.entries[k].ItemKey {
				return fmt.Errorf("run %s: journal entry %d does not match its plan", runID, o.entries[k].Seq)
			}
			o.entries[k].State, o.entries[k].Message, o.entries[k].ShopifyIDs = h.State, h.Message, h.ShopifyIDs
		}
	}
	return nil
}

// runOps sends ops in order with e.workersFor(st) workers, one writer per
// product: an op whose product has another op in flight waits behind it in
// that product's line, and the worker that finishes one op of a product
// sends the next. Shopify applies one product's writes one after the other
// and answers concurrent ones with INTERNAL_SERVER_ERROR
// (Shopify/shopify-api-js#1256); ops of different products, and inventory
// ops, still go in parallel.
func (x *executor) runOps(ctx context.Context, ops []*op) {
	work := make(chan *op)
	lines := productLines{waiting: map[string][]*op{}}
	var wg gosync.WaitGroup
	for range x.e.workersFor(x.st) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range work {
				for ; o != nil; o = lines.next(o) {
					x.exec(ctx, o)
				}
			}
		}()
	}
	phase := ""
	for _, o := range ops {
		if ctx.Err() != nil || x.fatalErr() != nil {
			break
		}
		if settled(o) { // sent in bulk, or before a resume: the progress names only what is sent now
			continue
		}
		if o.phase != phase {
			phase = o.phase
			x.tr.setPhase(phase)
		}
		if lines.claim(o) {
			work <- o
		}
	}
	close(work)
	wg.Wait()
}

// finish records how the run ended and writes its report.
func (e *Engine) finish(ctx context.Context, p *Plan, run state.Run, x *executor, ctxErr error) (*RunResult, error) {
	entries, err := e.DB.JournalEntries(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	res := &RunResult{RunID: run.ID, Counts: countRun(p, entries)}
	open := 0
	for _, en := range entries {
		switch en.State {
		case state.JournalPlanned, state.JournalPending:
			open++
		case state.JournalFailed, state.JournalConflict:
			res.Problems = append(res.Problems, Outcome{Item: en.ItemKey, Field: en.Field, Row: en.SourceRow,
				State: string(en.State), Message: en.Message})
		}
	}
	fatal := x.fatalErr()
	switch {
	case ctxErr != nil && open > 0:
		run.State = state.RunCancelled
	case fatal != nil:
		run.State = state.RunFailed
	case open > 0:
		run.State = state.RunFailed // changes whose outcome stayed unknown; Resume re-checks them
	default:
		run.State = state.RunFinished
	}
	run.FinishedAt = e.now()
	run.Duration += run.FinishedAt.Sub(x.tr.start)
	run.Counts = res.Counts
	run.Summary = runSummary(run.State, res.Counts, open)
	res.Warnings = append(res.Warnings, x.warnings...)
	if nt, ok := x.st.(Noticer); ok {
		res.Warnings = append(res.Warnings, nt.Notices()...)
		for _, w := range res.Warnings {
			run.Summary += "; warning: " + w
		}
	}
	for _, n := range x.dayLimitNotes(p) { // history and the CLI show the summary
		res.Warnings = append(res.Warnings, n)
		run.Summary += "; " + n
	}
	if path, err := e.writeReport(run, p, entries); err == nil {
		run.ReportPath, res.ReportPath = path, path
	} else if fatal == nil {
		fatal = err
	}
	if err := e.DB.UpdateRun(ctx, run); err != nil {
		return nil, err
	}
	if p.Kind == string(state.KindUndo) && run.State == state.RunFinished && p.UndoOf != "" {
		if err := e.DB.SetRunState(ctx, p.UndoOf, state.RunUndone); err != nil {
			return nil, err
		}
	}
	res.State, res.Duration = run.State, run.Duration
	x.tr.report()
	switch {
	case fatal != nil:
		return res, fatal
	case ctxErr != nil && open > 0:
		return res, ctxErr
	}
	return res, nil
}

func runSummary(st state.RunState, c state.Counts, open int) string {
	s := fmt.Sprintf("%s: %d created, %d updated, %d unchanged, %d skipped, %d errors, %d conflicts",
		st, c.Created, c.Updated, c.Unchanged, c.Skipped, c.Errors, c.Conflicts)
	if open > 0 {
		s += fmt.Sprintf(" (%d changes not finished: resume the run)", open)
	}
	return s
}

// countRun tallies a run: created and updated items from the journal (an
// item counts once however many of its fields changed), the rest from the plan.
func countRun(p *Plan, entries []state.JournalEntry) state.Counts {
	var c state.Counts
	updated := map[string]bool{}
	for _, en := range entries {
		switch en.State {
		case state.JournalDone:
			switch en.Field {
			case FieldCreate:
				c.Created++
			default:
				if !updated[en.ItemKey] {
					updated[en.ItemKey] = true
					c.Updated++
				}
			}
		case state.JournalFailed:
			c.Errors++
		case state.JournalConflict:
			c.Conflicts++
		case state.JournalSkipped:
			c.Skipped++
		}
	}
	pc := p.Counts
	c.Unchanged = pc.Variants.Unchanged
	c.Skipped += pc.Products.Skipped + pc.Variants.Skipped
	c.Errors += pc.Products.Error + pc.Variants.Error
	c.Conflicts += pc.Products.Conflict + pc.Variants.Conflict
	return c
}

// tracker turns finished entries into Progress events.
type tracker struct {
	mu     gosync.Mutex
	runID  string
	fn     func(Progress)
	now    func() time.Time
	start  time.Time
	phase  string
	total  int
	done   int
	failed int
	base   int // entries already settled when this process started
}

func newTracker(runID string, ops []*op, fn func(Progress), now func() time.Time) *tracker {
	t := &tracker{runID: runID, fn: fn, now: now, start: now()}
	for _, o := range ops {
		for _, en := range o.entries {
			t.total++
			if final(en.State) {
				t.done++
			}
		}
	}
	t.base = t.done
	return t
}

func (t *tracker) setPhase(p string) {
	t.mu.Lock()
	t.phase = p
	t.mu.Unlock()
	t.report()
}

func (t *tracker) add(done, failed int) {
	t.mu.Lock()
	t.done += done
	t.failed += failed
	t.mu.Unlock()
	t.report()
}

func (t *tracker) report() {
	if t.fn == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	el := t.now().Sub(t.start)
	pr := Progress{RunID: t.runID, Phase: t.phase, Done: t.done, Total: t.total, Failed: t.failed, Elapsed: el}
	if n := t.done - t.base; n > 0 && t.done < t.total {
		pr.ETA = time.Duration(float64(el) / float64(n) * float64(t.total-t.done))
	}
	t.fn(pr)
}

// settled reports whether every entry of o has its outcome.
func settled(o *op) bool {
	for _, en := range o.entries {
		if !final(en.State) {
			return false
		}
	}
	return true
}

func final(s state.JournalState) bool {
	return s != state.JournalPlanned && s != state.JournalPending && s != ""
}
