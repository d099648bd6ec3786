package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// JournalState is where one item change of a run stands.
//
// The protocol that makes a crashed run resumable:
//
//  1. When the run starts, append every change as JournalPlanned (one
//     transaction, fast even for 10k entries).
//  2. Just before sending a request, MarkJournal its entries JournalPending
//     (with the idempotency key already stored on the entry).
//  3. After the answer, record each entry's outcome with SetJournalResults
//     (done, failed, conflict, skipped) in one transaction.
//
// After a crash, Resume splits the journal: planned entries never started;
// pending entries were in flight, so the outcome is unknown and the store
// must be re-read (or the request re-sent with the same idempotency key);
// done entries are finished and are what an undo reverts.
type JournalState string

// Journal entry states.
const (
	JournalPlanned  JournalState = "planned"  // not sent yet
	JournalPending  JournalState = "pending"  // request sent or about to be; outcome unknown
	JournalDone     JournalState = "done"     // the store confirmed the change
	JournalFailed   JournalState = "failed"   // the store refused it, or it errored
	JournalConflict JournalState = "conflict" // the store's value changed since the plan
	JournalSkipped  JournalState = "skipped"  // deliberately not sent (guard, cancel, dependency)
)

// JournalEntry is one field change of one item in a run.
type JournalEntry struct {
	RunID string
	// Seq orders entries within a run. AppendJournal assigns the next free
	// numbers to entries whose Seq is 0.
	Seq            int64
	ItemKey        string   // product handle, variant SKU, "inventoryItem@location"…
	Field          string   // "price", "available", "create"…
	Old            string   // value replaced (the engine chooses the encoding)
	New            string   // value written
	ShopifyIDs     []string // gids involved (product, variant, inventory item, location)
	IdempotencyKey string   // sent with the request, reused when it is retried
	State          JournalState
	Message        string // error or user error text for people
	SourceRow      int    // row in the source file, 0 if none
	UpdatedAt      time.Time
}

// JournalResult is the outcome of one entry, for SetJournalResults.
type JournalResult struct {
	Seq     int64
	State   JournalState
	Message string
	// ShopifyIDs replaces the entry's IDs when non-nil (for example with the
	// gid of a product the request created).
	ShopifyIDs []string
}

// Resume is a run's journal split by what a resumed run must do.
type Resume struct {
	NotStarted []JournalEntry // planned: send them
	InFlight   []JournalEntry // pending: outcome unknown, re-check against the store
	Done       []JournalEntry // done: leave alone
	Settled    []JournalEntry // failed, conflict or skipped: attempted, outcome known
}

const journalCols = `run_id, seq, item_key, field, old_value, new_value, shopify_ids, idem_key,
	state, message, source_row, updated_at`

// journalBatch is how many rows go in one INSERT (12 columns each; SQLite
// allows 32766 bound values per statement).
const journalBatch = 500

// AppendJournal adds entries to a run in one transaction: all or none. It
// fills in each entry's RunID, UpdatedAt, Seq (when 0) and State (planned
// when empty) in place. A Seq already used in the run is an error.
func (d *DB) AppendJournal(ctx context.Context, runID string, entries []JournalEntry) error {
	if len(entries) == 0 {
		return nil
	}
	t := now()
	err := d.write(ctx, func(tx *sql.Tx) error {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) + 1 FROM journal WHERE run_id=?`,
			runID).Scan(&next); err != nil {
			return err
		}
		for i := range entries {
			e := &entries[i]
			e.RunID, e.UpdatedAt = runID, t
			if e.State == "" {
				e.State = JournalPlanned
			}
			if e.Seq == 0 {
				e.Seq = next
			}
			if e.Seq >= next {
				next = e.Seq + 1
			}
		}
		var stmt *sql.Stmt
		for start := 0; start < len(entries); start += journalBatch {
			chunk := entries[start:min(start+journalBatch, len(entries))]
			if len(chunk) == journalBatch && stmt == nil {
				var err error
				if stmt, err = tx.PrepareContext(ctx, journalInsert(journalBatch)); err != nil {
					return err
				}
				defer stmt.Close()
			}
			args := make([]any, 0, len(chunk)*12)
			for _, e := range chunk {
				args = append(args, runID, e.Seq, e.ItemKey, e.Field, e.Old, e.New,
					strings.Join(e.ShopifyIDs, ","), e.IdempotencyKey, string(e.State), e.Message,
					e.SourceRow, t.UnixMilli())
			}
			var err error
			if len(chunk) == journalBatch {
				_, err = stmt.ExecContext(ctx, args...)
			} else {
				_, err = tx.ExecContext(ctx, journalInsert(len(chunk)), args...)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if isUniqueErr(err) {
		return fmt.Errorf("append journal: sequence number already used in run %s: %w", runID, ErrExists)
	}
	if err != nil {
		return fmt.Errorf("append journal: %w", err)
	}
	return nil
}

// journalInsert is an INSERT of n journal rows.
func journalInsert(n int) string {
	row := "(?,?,?,?,?,?,?,?,?,?,?,?)"
	return `INSERT INTO journal (` + journalCols + `) VALUES ` + row + strings.Repeat(","+row, n-1)
}

// MarkJournal sets the state and message of the given entries of a run in
// one transaction, typically to JournalPending just before their request.
// If any seq does not exist, nothing changes and the error is ErrNotFound.
func (d *DB) MarkJournal(ctx context.Context, runID string, state JournalState, message string, seqs ...int64) error {
	res := make([]JournalResult, len(seqs))
	for i, s := range seqs {
		res[i] = JournalResult{Seq: s, State: state, Message: message}
	}
	return d.SetJournalResults(ctx, runID, res)
}

// SetJournalResults records per-entry outcomes atomically: if any seq does
// not exist, nothing changes and the error is ErrNotFound. Calls made at the
// same time share a transaction (journalQueue); each returns once its rows
// are committed.
func (d *DB) SetJournalResults(ctx context.Context, runID string, results []JournalResult) error {
	if len(results) == 0 {
		return nil
	}
	w := &journalWrite{runID: runID, results: results, at: now().UnixMilli(), done: make(chan error, 1)}
	err := d.writeJournal(ctx, w)
	if err != nil {
		return fmt.Errorf("set journal results: %w", err)
	}
	return nil
}

// JournalEntries returns a run's entries in seq order, only those in the
// given states if any are given.
func (d *DB) JournalEntries(ctx context.Context, runID string, states ...JournalState) ([]JournalEntry, error) {
	q := `SELECT ` + journalCols + ` FROM journal WHERE run_id=?`
	args := []any{runID}
	if len(states) > 0 {
		q += ` AND state IN (?` + strings.Repeat(",?", len(states)-1) + `)`
		for _, s := range states {
			args = append(args, string(s))
		}
	}
	rows, err := d.sql.QueryContext(ctx, q+` ORDER BY seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("read journal: %w", err)
	}
	defer rows.Close()
	var out []JournalEntry
	for rows.Next() {
		var e JournalEntry
		var ids, st string
		var updated int64
		if err := rows.Scan(&e.RunID, &e.Seq, &e.ItemKey, &e.Field, &e.Old, &e.New, &ids,
			&e.IdempotencyKey, &st, &e.Message, &e.SourceRow, &updated); err != nil {
			return nil, fmt.Errorf("read journal: %w", err)
		}
		e.ShopifyIDs, e.State = splitList(ids), JournalState(st)
		e.UpdatedAt = time.UnixMilli(updated).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// JournalCounts returns how many of a run's entries are in each state.
func (d *DB) JournalCounts(ctx context.Context, runID string) (map[JournalState]int, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT state, count(*) FROM journal WHERE run_id=? GROUP BY state`, runID)
	if err != nil {
		return nil, fmt.Errorf("count journal: %w", err)
	}
	defer rows.Close()
	out := map[JournalState]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("count journal: %w", err)
		}
		out[JournalState(st)] = n
	}
	return out, rows.Err()
}

// ResumeRun reads a run's journal and splits it by what a resumed run must
// do (see JournalState). A run with no journal gives an empty Resume; a
// missing run gives ErrNotFound.
func (d *DB) ResumeRun(ctx context.Context, runID string) (Resume, error) {
	if _, err := d.GetRun(ctx, runID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Resume{}, err
		}
		return Resume{}, fmt.Errorf("resume run: %w", err)
	}
	all, err := d.JournalEntries(ctx, runID)
	if err != nil {
		return Resume{}, err
	}
	var r Resume
	for _, e := range all {
		switch e.State {
		case JournalPlanned:
			r.NotStarted = append(r.NotStarted, e)
		case JournalPending:
			r.InFlight = append(r.InFlight, e)
		case JournalDone:
			r.Done = append(r.Done, e)
		default:
			r.Settled = append(r.Settled, e)
		}
	}
	return r, nil
}
