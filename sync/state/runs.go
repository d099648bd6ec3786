package state

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// RunKind is what a run does.
type RunKind string

// Run kinds.
const (
	KindSync   RunKind = "sync"
	KindUndo   RunKind = "undo"
	KindExport RunKind = "export"
)

// Trigger is who started a run.
type Trigger string

// Triggers.
const (
	TriggerManual    Trigger = "manual"    // from the window
	TriggerScheduled Trigger = "scheduled" // by a schedule (window or run-due)
	TriggerCLI       Trigger = "cli"       // by a shelfsync command
)

// RunState is where a run is in its life.
type RunState string

// Run states.
const (
	RunPlanned   RunState = "planned"   // plan computed, nothing sent
	RunRunning   RunState = "running"   // applying; a crash leaves it here, see the journal to resume
	RunHeld      RunState = "held"      // guards tripped; the plan is kept for review
	RunCancelled RunState = "cancelled" // stopped by the user
	RunFailed    RunState = "failed"    // stopped by an error
	RunFinished  RunState = "finished"  // every change attempted; see Counts for errors
	RunUndone    RunState = "undone"    // a later undo run reverted it
)

// Counts tallies a run's items by outcome.
type Counts struct {
	Created, Updated, Unchanged, Skipped, Errors, Conflicts int
}

// Run is one sync, undo or export of one store. Its plan is kept separately
// (SetRunPlan, RunPlan) so listing history stays cheap.
type Run struct {
	ID         string // UUID, assigned by CreateRun when empty
	StoreID    string
	Kind       RunKind
	Trigger    Trigger
	Source     string // file path or URL ("" for undo)
	State      RunState
	CreatedAt  time.Time // set by CreateRun; history is ordered by it
	StartedAt  time.Time
	FinishedAt time.Time
	Counts     Counts
	Duration   time.Duration // stored in milliseconds
	Summary    string        // one line for people
	ReportPath string        // report file written for this run, if any
	UndoOf     string        // for an undo run, the run it reverts
}

const runCols = `id, store_id, kind, trigger, source, state, created_at, started_at, finished_at,
	n_created, n_updated, n_unchanged, n_skipped, n_errors, n_conflicts, duration_ms, summary,
	report_path, undo_of`

// CreateRun records a new run. An empty ID gets a new UUID, an empty State is
// RunPlanned, and CreatedAt is set to now.
func (d *DB) CreateRun(ctx context.Context, r Run) (Run, error) {
	if r.ID == "" {
		r.ID = newID()
	}
	if r.State == "" {
		r.State = RunPlanned
	}
	r.CreatedAt = now()
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO runs (`+runCols+`)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			r.ID, r.StoreID, string(r.Kind), string(r.Trigger), r.Source, string(r.State),
			r.CreatedAt.UnixMilli(), msOrNull(r.StartedAt), msOrNull(r.FinishedAt),
			r.Counts.Created, r.Counts.Updated, r.Counts.Unchanged, r.Counts.Skipped,
			r.Counts.Errors, r.Counts.Conflicts, r.Duration.Milliseconds(), r.Summary,
			r.ReportPath, nullString(r.UndoOf))
		return err
	})
	if err != nil {
		return Run{}, fmt.Errorf("create run: %w", err)
	}
	return r, nil
}

// UpdateRun writes a run's source, state, times, counts, duration, summary,
// report path and UndoOf. ID, StoreID, Kind, Trigger and CreatedAt never change.
func (d *DB) UpdateRun(ctx context.Context, r Run) error {
	return d.execOne(ctx, "update run", `UPDATE runs SET source=?, state=?, started_at=?,
		finished_at=?, n_created=?, n_updated=?, n_unchanged=?, n_skipped=?, n_errors=?,
		n_conflicts=?, duration_ms=?, summary=?, report_path=?, undo_of=? WHERE id=?`,
		r.Source, string(r.State), msOrNull(r.StartedAt), msOrNull(r.FinishedAt),
		r.Counts.Created, r.Counts.Updated, r.Counts.Unchanged, r.Counts.Skipped,
		r.Counts.Errors, r.Counts.Conflicts, r.Duration.Milliseconds(), r.Summary,
		r.ReportPath, nullString(r.UndoOf), r.ID)
}

// SetRunState changes only a run's state.
func (d *DB) SetRunState(ctx context.Context, id string, st RunState) error {
	return d.execOne(ctx, "set run state", `UPDATE runs SET state=? WHERE id=?`, string(st), id)
}

// SetRunPlan stores a run's plan (any bytes, typically JSON), gzip-compressed.
// A nil plan removes it.
func (d *DB) SetRunPlan(ctx context.Context, id string, plan []byte) error {
	var blob any
	if plan != nil {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(plan) // writes to a bytes.Buffer cannot fail
		if err := zw.Close(); err != nil {
			return fmt.Errorf("set run plan: %w", err)
		}
		blob = buf.Bytes()
	}
	return d.execOne(ctx, "set run plan", `UPDATE runs SET plan=? WHERE id=?`, blob, id)
}

// RunPlan returns the plan stored by SetRunPlan, nil if none, or ErrNotFound
// if there is no such run.
func (d *DB) RunPlan(ctx context.Context, id string) ([]byte, error) {
	var blob []byte
	err := d.sql.QueryRowContext(ctx, `SELECT plan FROM runs WHERE id=?`, id).Scan(&blob)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	if err != nil || blob == nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(blob))
	if err != nil {
		return nil, fmt.Errorf("read run plan: %w", err)
	}
	plan, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("read run plan: %w", err)
	}
	return plan, nil
}

// GetRun returns the run with the given ID, or ErrNotFound.
func (d *DB) GetRun(ctx context.Context, id string) (Run, error) {
	r, err := scanRun(d.sql.QueryRowContext(ctx, `SELECT `+runCols+` FROM runs WHERE id=?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("get run: %w", err)
	}
	return r, nil
}

// FindRun resolves a full run ID or a unique prefix of one (as typed after
// `shelfsync undo`). Several matches give ErrAmbiguous, none ErrNotFound.
func (d *DB) FindRun(ctx context.Context, idPrefix string) (Run, error) {
	p := strings.ToLower(strings.TrimSpace(idPrefix))
	if p == "" {
		return Run{}, fmt.Errorf("find run: empty ID: %w", ErrNotFound)
	}
	// LIKE would treat % and _ as wildcards; a range on the primary key doesn't.
	runs, err := d.queryRuns(ctx, `SELECT `+runCols+` FROM runs
		WHERE id >= ? AND id < ? ORDER BY id LIMIT 2`, p, p+"\uffff")
	if err != nil {
		return Run{}, fmt.Errorf("find run: %w", err)
	}
	switch len(runs) {
	case 0:
		return Run{}, fmt.Errorf("run %q: %w", idPrefix, ErrNotFound)
	case 1:
		return runs[0], nil
	}
	if runs[0].ID == p {
		return runs[0], nil
	}
	return Run{}, fmt.Errorf("run %q matches %s, %s…: %w", idPrefix, runs[0].ID, runs[1].ID, ErrAmbiguous)
}

// ListRuns returns a store's runs, newest first, at most limit of them
// (limit <= 0: all). An empty storeID lists the runs of every store.
func (d *DB) ListRuns(ctx context.Context, storeID string, limit int) ([]Run, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	q := `SELECT ` + runCols + ` FROM runs WHERE (?1 = '' OR store_id = ?1)
		ORDER BY created_at DESC, rowid DESC LIMIT ?2`
	runs, err := d.queryRuns(ctx, q, storeID, limit)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// ListRunsInState returns every run (all stores) in one of the given states,
// oldest first: for example the runs left "running" by a crash.
func (d *DB) ListRunsInState(ctx context.Context, states ...RunState) ([]Run, error) {
	if len(states) == 0 {
		return nil, nil
	}
	args := make([]any, len(states))
	for i, s := range states {
		args[i] = string(s)
	}
	q := `SELECT ` + runCols + ` FROM runs WHERE state IN (?` + strings.Repeat(",?", len(states)-1) +
		`) ORDER BY created_at, rowid`
	runs, err := d.queryRuns(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list runs in state: %w", err)
	}
	return runs, nil
}

// LatestRunPerStore returns each store's newest run of one of the given kinds
// (any kind when none are given), keyed by store ID. Stores with no such run
// are absent.
func (d *DB) LatestRunPerStore(ctx context.Context, kinds ...RunKind) (map[string]Run, error) {
	filter := ""
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = string(k)
	}
	if len(kinds) > 0 {
		filter = `AND r2.kind IN (?` + strings.Repeat(",?", len(kinds)-1) + `)`
	}
	q := `SELECT ` + runCols + ` FROM runs WHERE rowid IN (
		SELECT (SELECT r2.rowid FROM runs r2 WHERE r2.store_id = s.id ` + filter + `
		        ORDER BY r2.created_at DESC, r2.rowid DESC LIMIT 1)
		FROM stores s)`
	runs, err := d.queryRuns(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("latest run per store: %w", err)
	}
	out := make(map[string]Run, len(runs))
	for _, r := range runs {
		out[r.StoreID] = r
	}
	return out, nil
}

// PruneRuns deletes each store's runs beyond its newest keepPerStore, with
// their journals and plans, sparing runs that are running or held. It returns
// how many runs it deleted. A finished run that is pruned can no longer be
// undone.
func (d *DB) PruneRuns(ctx context.Context, keepPerStore int) (int, error) {
	var n int64
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE rowid IN (
			SELECT rowid FROM (
				SELECT rowid, state, row_number() OVER (
					PARTITION BY store_id ORDER BY created_at DESC, rowid DESC) AS rn
				FROM runs)
			WHERE rn > ? AND state NOT IN ('running', 'held'))`, max(keepPerStore, 0))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune runs: %w", err)
	}
	return int(n), nil
}

func (d *DB) queryRuns(ctx context.Context, q string, args ...any) ([]Run, error) {
	rows, err := d.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRun(sc scanner) (Run, error) {
	var r Run
	var kind, trig, st string
	var created int64
	var started, finished sql.NullInt64
	var durMS int64
	var undoOf sql.NullString
	err := sc.Scan(&r.ID, &r.StoreID, &kind, &trig, &r.Source, &st, &created, &started, &finished,
		&r.Counts.Created, &r.Counts.Updated, &r.Counts.Unchanged, &r.Counts.Skipped,
		&r.Counts.Errors, &r.Counts.Conflicts, &durMS, &r.Summary, &r.ReportPath, &undoOf)
	if err != nil {
		return Run{}, err
	}
	r.Kind, r.Trigger, r.State = RunKind(kind), Trigger(trig), RunState(st)
	r.CreatedAt = time.UnixMilli(created).UTC()
	r.StartedAt, r.FinishedAt = fromMS(started), fromMS(finished)
	r.Duration = time.Duration(durMS) * time.Millisecond
	r.UndoOf = undoOf.String
	return r, nil
}

// nullString stores "" as NULL (for optional foreign keys).
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
