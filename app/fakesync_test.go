package app

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// fakeSync is an in-memory SyncBackend. It records every request; started
// receives the name of a blocking call once it is waiting, so a test can
// cancel it at the right moment without sleeping.
type fakeSync struct {
	mu         sync.Mutex
	locations  []catalogsync.Location
	plan       *catalogsync.Plan
	planErr    error
	planBlock  bool // PlanSync waits until its ctx ends
	planReqs   []workspace.SyncRequest
	columns    []string // the sheet's header SourceColumns returns
	mapping    []byte   // the mapping JSON SourceColumns returns
	colReqs    []workspace.SyncRequest
	columnsErr error
	inspected  []workspace.SyncRequest // InspectSheet requests
	applySteps int
	applyBlock bool // Apply reports one step, then waits until its ctx ends
	applied    []applyCall
	applyErr   error
	summary    workspace.RunSummary
	history    []workspace.RunSummary
	undoPlan   *catalogsync.Plan
	undoRuns   []string
	heldPlan   *catalogsync.Plan // what LoadPlan returns
	loadRuns   []string
	resumed    []string
	seen       []string // SeenHistory calls
	schedules  []workspace.ScheduleView
	setReqs    []workspace.ScheduleRequest
	removed    []string
	demo       string
	locBlock   bool // Locations waits until its ctx ends
	started    chan string
}

type applyCall struct {
	plan    *catalogsync.Plan
	confirm bool
	ctxErr  error // the ctx's error when Apply returned
}

func newFakeSync() *fakeSync {
	return &fakeSync{
		locations: []catalogsync.Location{
			{ID: "gid://shopify/Location/1", Name: "Main warehouse", IsActive: true},
			{ID: "gid://shopify/Location/2", Name: "Shop floor", IsActive: true},
		},
		plan:       samplePlan(),
		columns:    []string{"Article No", "EAN", "Name", "Preis", "Bestand", "Stock - Shop floor"},
		mapping:    []byte(`{"dialect":"mapped","sku":"Article No","barcode":"EAN","price":"Preis","quantity":{"":"Bestand","Shop floor":"Stock - Shop floor"}}`),
		applySteps: 5,
		summary:    workspace.RunSummary{ID: "run-9", State: "finished", Created: 3, Updated: 5},
		demo:       "/opt/shelfsync/demo/catalog.csv",
		started:    make(chan string, 10),
	}
}

func (f *fakeSync) Locations(ctx context.Context, _ string) ([]catalogsync.Location, error) {
	f.mu.Lock()
	block, locs := f.locBlock, append([]catalogsync.Location(nil), f.locations...)
	f.mu.Unlock()
	if block {
		f.started <- "locations"
		<-ctx.Done()
		f.started <- "locations: " + ctx.Err().Error()
		return nil, ctx.Err()
	}
	return locs, nil
}

func (f *fakeSync) PlanSync(ctx context.Context, req workspace.SyncRequest) (*catalogsync.Plan, error) {
	f.mu.Lock()
	f.planReqs = append(f.planReqs, req)
	block, p, err := f.planBlock, f.plan, f.planErr
	f.mu.Unlock()
	if block {
		f.started <- "plan"
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return p, err
}

func (f *fakeSync) SourceColumns(_ context.Context, req workspace.SyncRequest) ([]string, []byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.colReqs = append(f.colReqs, req)
	if f.columnsErr != nil {
		return nil, nil, f.columnsErr
	}
	if req.Mapping != nil {
		return append([]string(nil), f.columns...), req.Mapping, nil
	}
	return append([]string(nil), f.columns...), f.mapping, nil
}

// InspectSheet reads f.mapping (or req.Mapping) as the mapping saved for the sheet.
func (f *fakeSync) InspectSheet(_ context.Context, req workspace.SyncRequest) (workspace.SheetInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inspected = append(f.inspected, req)
	if f.columnsErr != nil {
		return workspace.SheetInfo{}, f.columnsErr
	}
	raw := req.Mapping
	if raw == nil {
		raw = f.mapping
	}
	var m source.Mapping
	if err := json.Unmarshal(raw, &m); err != nil {
		return workspace.SheetInfo{}, err
	}
	return workspace.SheetInfoOf(&m, append([]byte(nil), raw...)), nil
}

func (f *fakeSync) Apply(ctx context.Context, _ string, p *catalogsync.Plan, confirm bool, progress func(workspace.ApplyProgress)) (workspace.RunSummary, error) {
	f.mu.Lock()
	steps, block, sum, err := f.applySteps, f.applyBlock, f.summary, f.applyErr
	f.mu.Unlock()
	record := func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.applied = append(f.applied, applyCall{plan: p, confirm: confirm, ctxErr: ctx.Err()})
	}
	if len(p.Guards) > 0 && !confirm {
		record()
		return workspace.RunSummary{State: "held"}, catalogsync.ErrGuardsTripped
	}
	if block {
		progress(workspace.ApplyProgress{Phase: "variants", Done: 1, Total: 10, ETA: 90 * time.Second})
		f.started <- "apply"
		<-ctx.Done()
		record()
		return workspace.RunSummary{State: "cancelled"}, ctx.Err()
	}
	for i := 1; i <= steps; i++ {
		progress(workspace.ApplyProgress{Phase: "variants", Done: i, Total: steps, ETA: time.Duration(steps-i) * time.Second})
	}
	record()
	return sum, err
}

func (f *fakeSync) History(context.Context, string) ([]workspace.RunSummary, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]workspace.RunSummary(nil), f.history...), nil
}

func (f *fakeSync) SeenHistory(_ context.Context, storeID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, storeID)
	return nil
}

func (f *fakeSync) PlanUndo(_ context.Context, runID string) (*catalogsync.Plan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.undoRuns = append(f.undoRuns, runID)
	if f.undoPlan == nil {
		return nil, errors.New("nothing to undo")
	}
	return f.undoPlan, nil
}

func (f *fakeSync) LoadPlan(_ context.Context, runID string) (*catalogsync.Plan, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loadRuns = append(f.loadRuns, runID)
	if f.heldPlan == nil {
		return nil, errors.New("run " + runID + " has no recorded plan")
	}
	return f.heldPlan, nil
}

// Resume behaves as Apply on the recorded plan, and records which run.
func (f *fakeSync) Resume(ctx context.Context, runID string, confirm bool, progress func(workspace.ApplyProgress)) (workspace.RunSummary, error) {
	f.mu.Lock()
	f.resumed = append(f.resumed, runID)
	p := f.heldPlan
	f.mu.Unlock()
	return f.Apply(ctx, "", p, confirm, progress)
}

func (f *fakeSync) Schedules(context.Context, string) ([]workspace.ScheduleView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]workspace.ScheduleView(nil), f.schedules...), nil
}

func (f *fakeSync) SetSchedule(_ context.Context, req workspace.ScheduleRequest) (workspace.ScheduleView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setReqs = append(f.setReqs, req)
	s := workspace.ScheduleView{ID: req.ID, StoreID: req.StoreID, Source: req.Source, Spec: req.Spec,
		Text: "Runs " + req.Spec, TimeZone: req.TimeZone, Enabled: req.Enabled, NextRun: time.Now().Add(time.Hour)}
	if s.ID == "" {
		s.ID = "sched-1"
		f.schedules = append(f.schedules, s)
		return s, nil
	}
	for i := range f.schedules {
		if f.schedules[i].ID == s.ID {
			f.schedules[i] = s
		}
	}
	return s, nil
}

func (f *fakeSync) RemoveSchedule(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.removed = append(f.removed, id)
	for i := range f.schedules {
		if f.schedules[i].ID == id {
			f.schedules = append(f.schedules[:i], f.schedules[i+1:]...)
			return nil
		}
	}
	return errors.New("no such schedule")
}

func (f *fakeSync) DemoSheetPath() string { return f.demo }

// signals collects what views report through their settled hooks. Reports
// can come in any order (a run's end and the history reload it starts), so
// wait keeps the ones it skipped for later waits.
type signals struct {
	ch      chan string
	backlog []string
}

func newSignals() *signals { return &signals{ch: make(chan string, 100)} }

// hook is the views' settled hook.
func (s *signals) hook(what string) { s.ch <- what }

// wait blocks until what is reported (or was, since the last wait for it).
func (s *signals) wait(t *testing.T, what string) {
	t.Helper()
	for i, got := range s.backlog {
		if got == what {
			s.backlog = append(s.backlog[:i], s.backlog[i+1:]...)
			return
		}
	}
	deadline := time.After(30 * time.Second) // the demo store test talks to a real (local) server
	for {
		select {
		case got := <-s.ch:
			if got == what {
				return
			}
			s.backlog = append(s.backlog, got)
		case <-deadline:
			t.Fatalf("timed out waiting for %s (seen %v)", what, s.backlog)
		}
	}
}

// waitFor blocks until ch reports what (other reports are skipped).
func waitFor(t *testing.T, ch <-chan string, what string) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case got := <-ch:
			if got == what {
				return
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func intp(n int) *int       { return &n }
func strp(s string) *string { return &s }

// samplePlan has one product of each kind, an error with its cell and a row
// the source could not read.
func samplePlan() *catalogsync.Plan {
	return &catalogsync.Plan{
		Version: 1, Kind: "sync", Source: "/home/me/catalog.csv",
		Notes: []string{"read as Shopify's product CSV (new column names)"},
		Locations: []catalogsync.Location{
			{ID: "gid://shopify/Location/1", Name: "Main warehouse", IsActive: true},
		},
		Products: []catalogsync.ProductPlan{
			{Handle: "ocean-blue-shirt", Title: "Ocean Blue Shirt", Action: catalogsync.ActCreate,
				Create: &catalogsync.ProductInput{Handle: "ocean-blue-shirt",
					ProductFields: catalogsync.ProductFields{Title: strp("Ocean Blue Shirt"), Vendor: strp("Ocean Co")},
					Variants: []catalogsync.VariantInput{{SKU: strp("OBS-M"), Price: strp("39.00"),
						Quantities: []catalogsync.LocationQuantity{{LocationID: "gid://shopify/Location/1", Quantity: 12}}}}},
				Variants: []catalogsync.VariantPlan{{Key: "OBS-M", Action: catalogsync.ActCreate}}},
			{Handle: "classic-tee", Title: "Classic Tee", ProductID: "gid://shopify/Product/2", Action: catalogsync.ActUpdate,
				Fields: []catalogsync.FieldChange{{Field: catalogsync.FieldTitle, Old: "Tee", New: "Classic Tee"}},
				Variants: []catalogsync.VariantPlan{{Key: "TEE-1", Action: catalogsync.ActUpdate,
					Fields: []catalogsync.FieldChange{{Field: catalogsync.FieldPrice, Old: "19.90", New: "21.00"}},
					Quantities: []catalogsync.QuantityChange{{LocationID: "gid://shopify/Location/1", Location: "Main warehouse",
						Old: intp(4), New: 7}}}}},
			{Handle: "plain-mug", Title: "Plain Mug", Action: catalogsync.ActUnchanged,
				Variants: []catalogsync.VariantPlan{{Key: "MUG", Action: catalogsync.ActUnchanged}}},
			{Handle: "broken-hat", Title: "Broken Hat", Action: catalogsync.ActUnchanged,
				Variants: []catalogsync.VariantPlan{{Key: "HAT-1", Action: catalogsync.ActError, Row: 12,
					Cell: catalog.Cell{Row: 12, Column: "Variant Price"}, Message: `not a price: "abc"`}}},
		},
		SourceErrors: []catalog.RowError{{Cell: catalog.Cell{Row: 20, Column: "Handle"}, Message: "the handle is empty"}},
		Counts: catalogsync.PlanCounts{
			Products: catalogsync.ActionCounts{Create: 1, Update: 1, Unchanged: 2, Error: 1},
			Variants: catalogsync.ActionCounts{Create: 1, Update: 1, Unchanged: 1, Error: 1},
			Changes:  4,
		},
	}
}
