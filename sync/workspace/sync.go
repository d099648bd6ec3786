package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/lock"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/state"
)

// engine returns a sync engine recording runs with the given trigger.
func (w *Workspace) engine(trigger string) *catalogsync.Engine {
	t := state.TriggerManual
	switch trigger {
	case string(state.TriggerScheduled):
		t = state.TriggerScheduled
	case string(state.TriggerCLI):
		t = state.TriggerCLI
	}
	return &catalogsync.Engine{DB: w.db, ReportsDir: filepath.Join(w.dir, "reports"), Trigger: t, Now: w.now,
		BulkCreateMin: bulkCreateMin, BulkUpdates: true, DayLimit: w.dayLimit}
}

// bulkCreateMin is how many new products make a run create them in one bulk
// operation: below it, one productSet each is done in well under a minute
// (10 points each on a 100-point-a-second plan), and a bulk operation's
// upload and polling would only add to it.
const bulkCreateMin = 250

// shopStore is the engine's view of a store: its Admin API client.
func (w *Workspace) shopStore(ctx context.Context, storeID string) (catalogsync.Store, error) {
	c, err := w.Client(ctx, storeID)
	if err != nil {
		return nil, err
	}
	return catalogsync.NewShopStore(c), nil
}

// Locations lists the store's locations, for the quantity-column choice.
func (w *Workspace) Locations(ctx context.Context, storeID string) ([]catalogsync.Location, error) {
	st, err := w.shopStore(ctx, storeID)
	if err != nil {
		return nil, err
	}
	return st.Locations(ctx)
}

// ReadSource reads a file, URL or Google Sheet with the store's saved
// mapping for it (or req.Mapping, which is then saved). With the manual
// trigger it uses up the sheet kept from inspecting it, if still good.
func (w *Workspace) ReadSource(ctx context.Context, req SyncRequest) (*catalog.Catalog, error) {
	opts, saved, found, err := w.sourceOptions(ctx, req)
	if err != nil {
		return nil, err
	}
	cat, err := w.readSheet(ctx, req, opts, false)
	if err != nil {
		return nil, err
	}
	// Remember the choices made for this source, for the next run and its schedule.
	if req.Mapping != nil || req.LocationID != "" || req.Sheet != "" {
		if !found {
			saved = state.Source{StoreID: req.StoreID, Location: req.Source}
		}
		if req.Mapping != nil {
			saved.Mapping = req.Mapping
		}
		if req.LocationID != "" {
			saved.LocationID = req.LocationID
		}
		if req.Sheet != "" {
			saved.Sheet = req.Sheet
		}
		if _, err := w.db.SaveSource(ctx, saved); err != nil {
			return nil, err
		}
	}
	return cat, nil
}

// sourceOptions is how req.Source is read: req's mapping and sheet, else
// the ones saved for this store and source (found tells whether there are),
// else detection. opts.Mapping is nil when the layout is to be detected.
func (w *Workspace) sourceOptions(ctx context.Context, req SyncRequest) (opts source.Options, saved state.Source, found bool, err error) {
	saved, err = w.db.FindSource(ctx, req.StoreID, req.Source)
	found = err == nil
	if err != nil && !errors.Is(err, state.ErrNotFound) {
		return opts, saved, false, err
	}
	opts.Sheet, opts.BlankClears = req.Sheet, req.BlankClears
	mapping := req.Mapping
	if mapping == nil && found {
		mapping = saved.Mapping
		if opts.Sheet == "" {
			opts.Sheet = saved.Sheet
		}
	}
	if raw := strings.TrimSpace(string(mapping)); raw != "" && raw != "null" && raw != "{}" {
		var m source.Mapping
		if err := json.Unmarshal(mapping, &m); err != nil {
			return opts, saved, found, fmt.Errorf("the saved column mapping is unreadable: %w", err)
		}
		opts.Mapping = &m
	}
	return opts, saved, found, nil
}

// SourceColumns reads the sheet's header row and returns it with the JSON
// of the mapping a sync would use: req.Mapping, else the one saved for this
// store and source, else the one detected from the header. A mapping that
// no longer fits the sheet is still returned with the columns: fixing it is
// what the caller asks them for. Nothing is saved (with the manual
// trigger, the sheet is kept for the preview).
func (w *Workspace) SourceColumns(ctx context.Context, req SyncRequest) (columns []string, mapping []byte, err error) {
	opts, _, _, err := w.sourceOptions(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	cat, err := w.readSheet(ctx, req, opts, true)
	if cat == nil || len(cat.Columns) == 0 {
		if err == nil {
			err = errors.New("the sheet has no header row")
		}
		return nil, nil, err
	}
	m := opts.Mapping
	if m == nil {
		d := source.Detect(cat.Columns)
		m = &d
	}
	mapping, err = json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	return cat.Columns, mapping, nil
}

// SheetInfo is what the Sync tab and the command line need to know of a
// sheet before its preview: whether to ask for a location, and whether blank
// cells clear their field under the mapping a sync would use.
type SheetInfo struct {
	// Stock is where the sheet's quantities go: only source.StockPicked
	// asks for a location (SyncRequest.LocationID).
	Stock source.Stock
	// StockText says in one line where they go ("" for StockPicked).
	StockText string
	// BlankClears: the mapping (req.Mapping or the one saved for this store
	// and source) makes blank cells clear their field, whatever
	// SyncRequest.BlankClears says; unticking it means sending that mapping
	// without it (which is then saved).
	BlankClears bool
	// Mapping is the JSON of that mapping when one is given or saved, nil
	// when the layout is detected from the header.
	Mapping []byte
}

// InspectSheet says where a sheet's quantities go and whether its mapping
// clears blank cells. With a mapping given or saved the sheet is not read;
// otherwise its header is read to detect the layout (with the manual
// trigger, the sheet is kept for the preview). Nothing is saved.
func (w *Workspace) InspectSheet(ctx context.Context, req SyncRequest) (SheetInfo, error) {
	opts, _, _, err := w.sourceOptions(ctx, req)
	if err != nil {
		return SheetInfo{}, err
	}
	if m := opts.Mapping; m != nil {
		raw, err := json.Marshal(m)
		if err != nil {
			return SheetInfo{}, err
		}
		return SheetInfoOf(m, raw), nil
	}
	cat, err := w.readSheet(ctx, req, opts, true)
	if cat == nil || len(cat.Columns) == 0 {
		if err == nil {
			err = errors.New("the sheet has no header row")
		}
		return SheetInfo{}, err
	}
	d := source.Detect(cat.Columns)
	return SheetInfoOf(&d, nil), nil
}

// NeedsLocation tells whether the sheet's quantities go to a location the
// user picks: a single quantity column that names none, or a sheet not
// inspected (nil: the engine then decides, and says ErrNoLocation).
func (s *SheetInfo) NeedsLocation() bool {
	return s == nil || s.Stock == source.StockPicked
}

// SheetInfoOf is what mapping m says of a sheet; raw is its JSON when it
// is given or saved (nil when detected). A front end that has just chosen
// the mapping (the column editor) needs no InspectSheet.
func SheetInfoOf(m *source.Mapping, raw []byte) SheetInfo {
	s := m.Stock()
	return SheetInfo{Stock: s, StockText: source.StockText(s, m.StockLocations()), BlankClears: m.BlankClears, Mapping: raw}
}

// PlanSync reads the source, reads what the store has now, and returns the
// preview. Nothing is written to the store.
func (w *Workspace) PlanSync(ctx context.Context, req SyncRequest) (*catalogsync.Plan, error) {
	if req.LocationID == "" {
		if saved, err := w.db.FindSource(ctx, req.StoreID, req.Source); err == nil {
			req.LocationID = saved.LocationID
		}
	}
	cat, err := w.ReadSource(ctx, req)
	if err != nil {
		return nil, err
	}
	st, err := w.shopStore(ctx, req.StoreID)
	if err != nil {
		return nil, err
	}
	opts := catalogsync.Options{StoreID: req.StoreID, Source: req.Source, DefaultLocationID: req.LocationID,
		Missing: catalogsync.MissingAction(req.Missing)}
	if opts.PublishNew, err = w.PublishNew(ctx, req.StoreID); err != nil {
		return nil, err
	}
	return w.engine(req.Trigger).Plan(ctx, st, cat, opts)
}

// Apply writes a plan to its store, holding the store's lock so no other
// run (in this process or another) works on it at the same time.
func (w *Workspace) Apply(ctx context.Context, storeID string, plan *catalogsync.Plan, confirmGuards bool, progress func(ApplyProgress)) (RunSummary, error) {
	sum, err := w.apply(ctx, storeID, plan, confirmGuards, progress, "")
	w.alerted(ctx, RunEvent{StoreID: storeID, Run: sum, Err: err}) // webhook (notify.go); its error is kept for Alerts
	return sum, err
}

func (w *Workspace) apply(ctx context.Context, storeID string, plan *catalogsync.Plan, confirmGuards bool, progress func(ApplyProgress), trigger string) (RunSummary, error) {
	return w.locked(ctx, storeID, plan.Kind, progress, func(st catalogsync.Store, opts catalogsync.ApplyOptions) (*catalogsync.RunResult, error) {
		opts.Confirm = confirmGuards
		return w.engine(trigger).Apply(ctx, st, plan, opts)
	})
}

// Resume finishes a run that was interrupted (the app was killed), cancelled
// or stopped by an error, or applies a held run's plan once the user has
// confirmed its guards. Changes whose outcome is unknown are checked against
// the store first, so nothing is written twice.
func (w *Workspace) Resume(ctx context.Context, runID string, confirmGuards bool, progress func(ApplyProgress)) (RunSummary, error) {
	r, err := w.db.FindRun(ctx, runID)
	if err != nil {
		return RunSummary{}, fmt.Errorf("run %q: %w", runID, err)
	}
	sum, err := w.locked(ctx, r.StoreID, string(r.Kind), progress, func(st catalogsync.Store, opts catalogsync.ApplyOptions) (*catalogsync.RunResult, error) {
		// Checked under the store's lock, so no run can start in between.
		if newer, err := w.newerRun(ctx, r); err != nil || newer != nil {
			if err == nil {
				err = fmt.Errorf("run %s was superseded by the run of %s, which changed the store since; "+
					"resuming it could overwrite that run's changes. Preview the sheet again instead",
					shortRunID(r.ID), newer.CreatedAt.Local().Format("2 Jan 15:04"))
			}
			return nil, err
		}
		opts.Confirm = confirmGuards
		return w.engine("").Resume(ctx, st, r.ID, opts)
	})
	w.alerted(ctx, RunEvent{StoreID: r.StoreID, Run: sum, Err: err})
	return sum, err
}

// newerRun returns the store's newest sync or undo run recorded after r,
// or nil when r is the newest.
func (w *Workspace) newerRun(ctx context.Context, r state.Run) (*state.Run, error) {
	runs, err := w.db.ListRuns(ctx, r.StoreID, 0) // newest first
	if err != nil {
		return nil, err
	}
	for i := range runs {
		if runs[i].ID == r.ID {
			return nil, nil
		}
		if runs[i].Kind == state.KindSync || runs[i].Kind == state.KindUndo {
			return &runs[i], nil
		}
	}
	return nil, nil
}

// markSuperseded flags the stopped runs that a later sync or undo came
// after; runs is newest first.
func markSuperseded(runs []RunSummary) {
	later := false
	for i := range runs {
		if later && runs[i].Resumable() {
			runs[i].Superseded = true
		}
		if runs[i].Kind == string(state.KindSync) || runs[i].Kind == string(state.KindUndo) {
			later = true
		}
	}
}

func shortRunID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// locked runs fn with the store's lock held, so no other run (in this
// process or another) works on the store at the same time, and marks the
// store red when a sync ends with problems.
func (w *Workspace) locked(ctx context.Context, storeID, kind string, progress func(ApplyProgress),
	fn func(catalogsync.Store, catalogsync.ApplyOptions) (*catalogsync.RunResult, error)) (RunSummary, error) {
	l, err := lock.TryLock(w.lockDir(), storeID, "sync")
	if err != nil {
		return RunSummary{}, err
	}
	defer l.Unlock()
	st, err := w.shopStore(ctx, storeID)
	if err != nil {
		return RunSummary{}, err
	}
	var opts catalogsync.ApplyOptions
	if progress != nil {
		opts.Progress = func(p catalogsync.Progress) {
			progress(ApplyProgress{Phase: p.Phase, Done: p.Done, Total: p.Total, ETA: p.ETA})
		}
	}
	res, err := fn(st, opts)
	if res == nil {
		return RunSummary{}, err
	}
	// Only a run that stopped marks the store red; one that finished with
	// row errors shows amber from its last run (summaryOf).
	if res.State == state.RunFailed && kind != "undo" {
		_ = w.db.SetNeedsAttention(context.WithoutCancel(ctx), storeID, true)
	}
	// A cancelled run still has a summary to show.
	sum, gerr := w.run(context.WithoutCancel(ctx), res.RunID)
	if gerr != nil {
		return RunSummary{}, errors.Join(err, gerr)
	}
	return sum, err
}

func (w *Workspace) lockDir() string { return filepath.Join(w.dir, "locks") }

// History lists a store's runs, newest first. Reading it does not clear
// the store's "failed run nobody looked at" flag: SeenHistory does, when a
// person opens the history.
func (w *Workspace) History(ctx context.Context, storeID string) ([]RunSummary, error) {
	s, err := w.db.GetStore(ctx, storeID)
	if err != nil {
		return nil, err
	}
	runs, err := w.db.ListRuns(ctx, storeID, 200)
	if err != nil {
		return nil, err
	}
	out := make([]RunSummary, 0, len(runs))
	for _, r := range runs {
		out = append(out, w.interrupted(runSummary(r, s.Name)))
	}
	markSuperseded(out)
	return out, nil
}

// SeenHistory records that someone opened the store's history, which turns
// a store that was red for a failed run nobody looked at back to normal.
func (w *Workspace) SeenHistory(ctx context.Context, storeID string) error {
	s, err := w.db.GetStore(ctx, storeID)
	if err != nil || !s.NeedsAttention {
		return err
	}
	return w.db.SetNeedsAttention(ctx, storeID, false)
}

func (w *Workspace) run(ctx context.Context, runID string) (RunSummary, error) {
	r, err := w.db.GetRun(ctx, runID)
	if err != nil {
		return RunSummary{}, err
	}
	s, err := w.db.GetStore(ctx, r.StoreID)
	if err != nil {
		return RunSummary{}, err
	}
	sum := w.interrupted(runSummary(r, s.Name))
	if sum.Resumable() {
		newer, err := w.newerRun(ctx, r)
		if err != nil {
			return RunSummary{}, err
		}
		sum.Superseded = newer != nil
	}
	return sum, nil
}

// interrupted shows a run left "running" by a process that died as
// "interrupted": nobody holds its store's lock, so nobody is running it.
func (w *Workspace) interrupted(r RunSummary) RunSummary {
	if r.State != string(state.RunRunning) {
		return r
	}
	// Never by taking the store lock: a run starting at that moment would
	// fail as busy (finding 13 of the security review).
	if running, err := lock.Running(w.lockDir(), r.StoreID); err != nil || running {
		return r // held: the run is alive (or someone else is busy with the store)
	}
	r.State = StateInterrupted
	return r
}

// FindRun resolves a run ID or a unique prefix of one.
func (w *Workspace) FindRun(ctx context.Context, ref string) (RunSummary, error) {
	r, err := w.db.FindRun(ctx, ref)
	if err != nil {
		return RunSummary{}, fmt.Errorf("run %q: %w", ref, err)
	}
	return w.run(ctx, r.ID)
}

// PlanUndo previews putting back what a finished run replaced; items that
// changed in the store since are conflicts and are left alone.
func (w *Workspace) PlanUndo(ctx context.Context, runID string) (*catalogsync.Plan, error) {
	r, err := w.db.FindRun(ctx, runID)
	if err != nil {
		return nil, err
	}
	st, err := w.shopStore(ctx, r.StoreID)
	if err != nil {
		return nil, err
	}
	return w.engine("").PlanUndo(ctx, st, r.ID)
}

// LoadPlan returns the plan kept with a run (a held run's, for review).
func (w *Workspace) LoadPlan(ctx context.Context, runID string) (*catalogsync.Plan, error) {
	return w.engine("").LoadPlan(ctx, runID)
}

// Export writes the store's whole catalog as a Shopify product CSV.
func (w *Workspace) Export(ctx context.Context, storeID string, out io.Writer) error {
	st, err := w.shopStore(ctx, storeID)
	if err != nil {
		return err
	}
	return w.engine("").Export(ctx, st, out)
}

// DemoSheetPath writes the demo merchant's spreadsheet next to the
// database (once) and returns its path, so the demo has a sheet to sync.
func (w *Workspace) DemoSheetPath() string {
	p := filepath.Join(w.dir, "demo-sheet.csv")
	if _, err := os.Stat(p); err != nil {
		if err := os.WriteFile(p, demoSheet(), 0o600); err != nil {
			return ""
		}
	}
	return p
}
