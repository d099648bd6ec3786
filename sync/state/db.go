// Package state is Shelfsync's embedded database: stores, saved sources and
// mappings, schedules, run history, run journals and non-secret settings.
//
// It is SQLite through the pure-Go driver modernc.org/sqlite, in WAL mode with
// a busy timeout and foreign keys on, so the window and a `shelfsync run-due`
// started by cron can use the same file at once. Every write is one
// transaction, so a crash never leaves a half-written record. Secrets (tokens,
// refresh tokens, client secrets, webhook URLs) never live here: the OS
// keychain holds them under the store's ID.
package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors, usable with errors.Is.
var (
	// ErrNotFound means no row has the given ID or name.
	ErrNotFound = errors.New("not found")
	// ErrAmbiguous means a name or ID prefix matches more than one row.
	ErrAmbiguous = errors.New("ambiguous")
	// ErrExists means a unique value (such as a shop domain) is already taken.
	ErrExists = errors.New("already exists")
	// ErrSchemaTooNew means the file was written by a newer Shelfsync.
	ErrSchemaTooNew = errors.New("database was created by a newer version of Shelfsync")
)

// busyTimeout is how long a write waits for another process's write to end.
// Runs write small transactions, so 10 s only runs out if something hangs.
const busyTimeout = 10 * time.Second

// DB is an open Shelfsync database. It is safe for concurrent use by many
// goroutines, and several processes may open the same file.
type DB struct {
	sql  *sql.DB
	path string
	// writer (capacity 1) serialises this process's write transactions, so
	// goroutines queue in Go (and can give up when their ctx ends) instead of
	// polling SQLite's busy handler; other processes are still kept out by
	// SQLite's own lock and busy_timeout.
	writer chan struct{}
	jq     journalQueue // journal writes waiting to share a transaction
}

// DefaultPath is where the app keeps its database:
// os.UserConfigDir()/shelfsync/shelfsync.db.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config folder: %w", err)
	}
	return filepath.Join(dir, "shelfsync", "shelfsync.db"), nil
}

// Open opens (creating if needed) the database at path and brings its schema
// up to date. The parent folder is created with mode 0700.
func Open(path string) (*DB, error) {
	if path == "" || strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open database: invalid path %q", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Create the file ourselves so it is private (SQLite gives the -wal and
	// -shm files the same mode as the database file).
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	f.Close()

	// _txlock=immediate: every transaction takes the write lock at BEGIN, so
	// two writers never deadlock upgrading a read lock (which busy_timeout
	// cannot resolve). Reads run outside transactions.
	dsn := path + "?_txlock=immediate" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	d := &DB{sql: sqldb, path: path, writer: make(chan struct{}, 1)}
	ctx, cancel := context.WithTimeout(context.Background(), 2*busyTimeout)
	defer cancel()
	if err := d.migrateRetrying(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return d, nil
}

// migrateRetrying migrates, trying again while another process holds the
// file: switching a brand-new file to WAL does not wait in SQLite's busy
// handler, so two processes opening it at the same instant can see
// SQLITE_BUSY (seen on Windows under Wine).
func (d *DB) migrateRetrying(ctx context.Context) error {
	for wait := 50 * time.Millisecond; ; wait *= 2 {
		err := d.migrate(ctx, migrations)
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// Path is the file the database was opened from.
func (d *DB) Path() string { return d.path }

// Close closes the database.
func (d *DB) Close() error { return d.sql.Close() }

// write runs fn in one write transaction: all of it lands, or none of it.
func (d *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	select {
	case d.writer <- struct{}{}:
		defer func() { <-d.writer }()
	case <-ctx.Done():
		return ctx.Err()
	}
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// execOne runs a single-row UPDATE or DELETE and maps "no row" to ErrNotFound.
func (d *DB) execOne(ctx context.Context, what, query string, args ...any) error {
	return d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%s: %w", what, ErrNotFound)
		}
		return nil
	})
}

// newID returns a fresh random UUID.
func newID() string { return uuid.NewString() }

// now is the current time, rounded to what the database keeps (milliseconds).
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// msOrNull stores a time as UTC unix milliseconds; the zero time is NULL.
func msOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS reads a time stored by msOrNull; NULL is the zero time.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// boolInt stores a bool as 0 or 1.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// splitList reads a comma-separated list; "" is an empty list.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// isUniqueErr reports whether err is a UNIQUE or PRIMARY KEY violation.
func isUniqueErr(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}
