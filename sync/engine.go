package sync

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Engine plans, applies, resumes and undoes runs. The zero value plans
// without history; set DB to record runs and journals (Apply needs it).
// An Engine is safe for concurrent use by runs on different stores.
type Engine struct {
	// DB keeps runs, plans and journals.
	DB *state.DB
	// ReportsDir is where each run's report CSV is written ("" for none).
	ReportsDir string
	// Concurrency is how many requests a run keeps in flight per store
	// (default: workersFor, from the store's restore rate). The shared
	// rate-limit pacer of the store's client decides when each may go;
	// enough of them must wait in line to hide network latency.
	Concurrency int
	// BulkCreateMin: when a run creates at least this many products and the
	// store is a BulkCreator, they go in one bulk operation instead of one
	// productSet each (0: never). Shopify runs a bulk mutation on its side,
	// outside the per-request rate limit.
	BulkCreateMin int
	// BulkUpdates lets a run send its variant updates and stock levels as
	// bulk operations when the store can (BulkUpdater) and that is estimated
	// faster than pacing them (UpdatePath). The plan records the choice and
	// its reason.
	BulkUpdates bool
	// DayLimit is Shopify's daily limit on new variants as the planner applies it (zero:
	// Shopify's numbers; tests lower them).
	DayLimit DayLimit
	// Trigger is recorded on the runs this engine starts (default manual).
	Trigger state.Trigger
	// MediaWait bounds how long a run waits for Shopify to process the
	// images it added before it orders them or sets them on variants
	// (default 2 minutes).
	MediaWait time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time

	// stockBatch is how many quantities one inventorySetQuantities call
	// (or bulk line) carries: 0 is MaxBatch, Shopify's input limit. Tests
	// make it small to have many stock lines from a small catalog.
	stockBatch int
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// RateLimited is a Store whose requests share a rate limit that restores
// RestoreRate points per second (0 while unknown).
type RateLimited interface {
	RestoreRate() float64
}

// workersFor is how many requests a run keeps in flight on st: 16 per 100
// points/s of its restore rate, between 16 and 64. In flight = requests
// per second × answer time (Little's law): a one-variant update costs about
// 10 points (productVariantsBulkUpdate: 10 + 0.2 per variant since
// 2025-10), so a Standard store (100 points/s) takes 10 a second and Plus
// (1,000 points/s) 100; with answers taking a few hundred ms, 16 workers
// kept Plus about half used. Waiting workers cost nothing but a goroutine.
func (e *Engine) workersFor(st Store) int {
	if e.Concurrency > 0 {
		return e.Concurrency
	}
	n := 16
	if rl, ok := st.(RateLimited); ok {
		n = int(math.Ceil(16 * rl.RestoreRate() / 100))
	}
	return min(max(n, 16), maxWorkers)
}

// maxWorkers bounds a run's requests in flight per store; the client keeps
// as many connections open for them.
const maxWorkers = shopify.IdleConnsPerShop

// ErrNoDB means the engine needs a database for this (Apply, Resume, Undo).
var ErrNoDB = errors.New("the sync engine has no database to record the run in")

// previousSKUs returns the SKUs of the store's last finished sync run, or
// nil when there is none (or no database).
func (e *Engine) previousSKUs(ctx context.Context, storeID string) ([]string, error) {
	if e.DB == nil || storeID == "" {
		return nil, nil
	}
	runs, err := e.DB.ListRuns(ctx, storeID, 50)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		if r.Kind != state.KindSync || (r.State != state.RunFinished && r.State != state.RunUndone) {
			continue
		}
		raw, err := e.DB.RunPlan(ctx, r.ID)
		if err != nil || raw == nil {
			continue
		}
		var only struct {
			SKUs []string `json:"skus"`
		}
		if json.Unmarshal(raw, &only) == nil && len(only.SKUs) > 0 {
			return only.SKUs, nil
		}
	}
	return nil, nil
}

// LoadPlan returns the plan recorded with a run (a held run, say), with its
// RunID set, ready to be shown or applied.
func (e *Engine) LoadPlan(ctx context.Context, runID string) (*Plan, error) {
	if e.DB == nil {
		return nil, ErrNoDB
	}
	run, err := e.DB.FindRun(ctx, runID)
	if err != nil {
		return nil, err
	}
	raw, err := e.DB.RunPlan(ctx, run.ID)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, errors.New("run " + run.ID + " has no recorded plan")
	}
	var p Plan
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	p.RunID = run.ID
	return &p, nil
}
