package state

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	gosync "sync"
)

// journalQueue lets the SetJournalResults calls of a run's many workers
// share transactions (group commit): calls that arrive while another
// transaction holds the writer wait in the queue, and whoever gets the
// writer next commits all of them at once. Each call still returns only
// after its own rows are committed, so "pending before the request is
// sent" still holds on disk. A run marks every request pending before it
// and records its outcome after, so one transaction per call made the
// journal, not Shopify, the limit of a fast store's paced runs.
type journalQueue struct {
	mu      gosync.Mutex
	waiting []*journalWrite
	commits int // transactions committed (tests)
}

// journalWrite is one SetJournalResults call waiting for its transaction.
type journalWrite struct {
	runID   string
	results []JournalResult
	at      int64
	done    chan error // receives the call's outcome once
}

func (q *journalQueue) add(w *journalWrite) {
	q.mu.Lock()
	q.waiting = append(q.waiting, w)
	q.mu.Unlock()
}

// remove takes w out of the queue; false if a committer already took it.
func (q *journalQueue) remove(w *journalWrite) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, x := range q.waiting {
		if x == w {
			q.waiting = append(q.waiting[:i], q.waiting[i+1:]...)
			return true
		}
	}
	return false
}

func (q *journalQueue) take() []*journalWrite {
	q.mu.Lock()
	defer q.mu.Unlock()
	ws := q.waiting
	q.waiting = nil
	return ws
}

// writeJournal queues w and returns once it is committed (or refused).
func (d *DB) writeJournal(ctx context.Context, w *journalWrite) error {
	d.jq.add(w)
	select {
	case d.writer <- struct{}{}:
	case err := <-w.done:
		return err
	case <-ctx.Done():
		if d.jq.remove(w) {
			return ctx.Err()
		}
		return <-w.done // a committer has it: its outcome is on the way
	}
	defer func() { <-d.writer }()
	select {
	case err := <-w.done: // the writer's last holder committed it
		return err
	default:
	}
	d.commitJournal(context.WithoutCancel(ctx), d.jq.take())
	return <-w.done
}

// commitJournal applies ws in one transaction, each call inside its own
// savepoint so that one call's missing entry undoes that call alone, and
// tells every call its outcome. The caller holds d.writer.
func (d *DB) commitJournal(ctx context.Context, ws []*journalWrite) {
	errs := make([]error, len(ws))
	err := func() error {
		tx, err := d.sql.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `UPDATE journal SET state=?, message=?,
			shopify_ids=coalesce(?, shopify_ids), updated_at=? WHERE run_id=? AND seq=?`)
		if err != nil {
			tx.Rollback()
			return err
		}
		defer stmt.Close()
		if len(ws) == 1 { // alone, the transaction is the call's all-or-nothing
			if errs[0] = applyJournalWrite(ctx, stmt, ws[0]); errs[0] != nil {
				tx.Rollback()
				return nil
			}
			return tx.Commit()
		}
		for i, w := range ws {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT journal_write`); err != nil {
				tx.Rollback()
				return err
			}
			errs[i] = applyJournalWrite(ctx, stmt, w)
			if errs[i] != nil {
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO journal_write`); err != nil {
					tx.Rollback()
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE journal_write`); err != nil {
				tx.Rollback()
				return err
			}
		}
		return tx.Commit()
	}()
	if err == nil {
		d.jq.mu.Lock()
		d.jq.commits++
		d.jq.mu.Unlock()
	}
	for i, w := range ws {
		if err != nil {
			errs[i] = err
		}
		w.done <- errs[i]
	}
}

func applyJournalWrite(ctx context.Context, stmt *sql.Stmt, w *journalWrite) error {
	for _, r := range w.results {
		var ids any
		if r.ShopifyIDs != nil {
			ids = strings.Join(r.ShopifyIDs, ",")
		}
		res, err := stmt.ExecContext(ctx, string(r.State), r.Message, ids, w.at, w.runID, r.Seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("run %s entry %d: %w", w.runID, r.Seq, ErrNotFound)
		}
	}
	return nil
}
