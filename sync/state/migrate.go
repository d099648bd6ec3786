package state

// Schema (latest version). Times are UTC unix milliseconds in INTEGER columns,
// NULL when unset. IDs are UUID text. Lists (scopes, Shopify IDs) are
// comma-separated text. No column ever holds a secret: tokens, refresh
// tokens, client secrets and webhook URLs live in the OS keychain
// (TestNoSecretColumns enforces the naming side of that).
//
//	stores      id PK, display_name, shop_domain UNIQUE NOCASE, base_url (loopback
//	            override for simulated shops, '' for real ones), token_kind
//	            (custom_app|oauth_offline|oauth_expiring|client_credentials),
//	            client_id, scopes, access_expires_at, refresh_expires_at,
//	            shop_name, plan, group_label, last_verified_at, status_code,
//	            status_message, needs_attention 0/1, created_at, updated_at,
//	            access_issued_at (v3)
//	runs        id PK, store_id → stores ON DELETE CASCADE, kind
//	            (sync|undo|export), trigger (manual|scheduled|cli), source, state
//	            (planned|running|held|cancelled|failed|finished|undone),
//	            created_at, started_at, finished_at, n_created, n_updated,
//	            n_unchanged, n_skipped, n_errors, n_conflicts, duration_ms,
//	            summary, report_path, plan BLOB (gzip), undo_of → runs ON DELETE
//	            SET NULL.  Index (store_id, created_at).
//	journal     (run_id → runs ON DELETE CASCADE, seq) PK, item_key, field,
//	            old_value, new_value, shopify_ids, idem_key, state
//	            (planned|pending|done|failed|conflict|skipped), message,
//	            source_row, updated_at.  WITHOUT ROWID.
//	sources     id PK, store_id → stores ON DELETE CASCADE, location (path or
//	            URL), mapping (JSON text), sheet, location_id, match_strategy,
//	            created_at, updated_at.  UNIQUE (store_id, location).
//	schedules   id PK, store_id → stores ON DELETE CASCADE, source_id → sources
//	            ON DELETE CASCADE, spec_kind (interval|daily|cron), spec,
//	            time_zone, enabled 0/1, catch_up, paused 0/1, last_run_at,
//	            next_run_at, created_at, updated_at.  Index (next_run_at).
//	settings    key PK, value, updated_at.
//	media_sources (store_id → stores ON DELETE CASCADE, product_id, source) PK,
//	            media_id, updated_at (v4): the address each image Shelfsync
//	            added was fetched from, which Shopify does not keep;
//	            retried 0/1 (v5): fetched again after Shopify could not
//	            process the first upload (not tried a third time).
//	            WITHOUT ROWID.
//
// The schema version is PRAGMA user_version. Each migration runs in its own
// write transaction that re-reads the version first, so two processes opening
// an old file at once apply every step exactly once.

import (
	"context"
	"database/sql"
	"fmt"
)

// migration is one numbered schema step. Steps are never edited once
// released; a change is a new step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is the whole history, in order; version i+1 is at index i.
var migrations = []migration{
	{1, "stores, runs, journal", `
CREATE TABLE stores (
	id                 TEXT PRIMARY KEY,
	display_name       TEXT NOT NULL,
	shop_domain        TEXT NOT NULL UNIQUE COLLATE NOCASE,
	base_url           TEXT NOT NULL DEFAULT '',
	token_kind         TEXT NOT NULL CHECK (token_kind IN
	                     ('custom_app','oauth_offline','oauth_expiring','client_credentials')),
	client_id          TEXT NOT NULL DEFAULT '',
	scopes             TEXT NOT NULL DEFAULT '',
	access_expires_at  INTEGER,
	refresh_expires_at INTEGER,
	shop_name          TEXT NOT NULL DEFAULT '',
	plan               TEXT NOT NULL DEFAULT '',
	group_label        TEXT NOT NULL DEFAULT '',
	last_verified_at   INTEGER,
	status_code        TEXT NOT NULL DEFAULT '',
	status_message     TEXT NOT NULL DEFAULT '',
	needs_attention    INTEGER NOT NULL DEFAULT 0,
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL
);
CREATE TABLE runs (
	id          TEXT PRIMARY KEY,
	store_id    TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
	kind        TEXT NOT NULL CHECK (kind IN ('sync','undo','export')),
	trigger     TEXT NOT NULL CHECK (trigger IN ('manual','scheduled','cli')),
	source      TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL CHECK (state IN
	              ('planned','running','held','cancelled','failed','finished','undone')),
	created_at  INTEGER NOT NULL,
	started_at  INTEGER,
	finished_at INTEGER,
	n_created   INTEGER NOT NULL DEFAULT 0,
	n_updated   INTEGER NOT NULL DEFAULT 0,
	n_unchanged INTEGER NOT NULL DEFAULT 0,
	n_skipped   INTEGER NOT NULL DEFAULT 0,
	n_errors    INTEGER NOT NULL DEFAULT 0,
	n_conflicts INTEGER NOT NULL DEFAULT 0,
	duration_ms INTEGER NOT NULL DEFAULT 0,
	summary     TEXT NOT NULL DEFAULT '',
	report_path TEXT NOT NULL DEFAULT '',
	plan        BLOB,
	undo_of     TEXT REFERENCES runs(id) ON DELETE SET NULL
);
CREATE INDEX runs_by_store ON runs(store_id, created_at);
CREATE INDEX runs_by_undo_of ON runs(undo_of);
CREATE TABLE journal (
	run_id      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	seq         INTEGER NOT NULL,
	item_key    TEXT NOT NULL,
	field       TEXT NOT NULL DEFAULT '',
	old_value   TEXT NOT NULL DEFAULT '',
	new_value   TEXT NOT NULL DEFAULT '',
	shopify_ids TEXT NOT NULL DEFAULT '',
	idem_key    TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL CHECK (state IN
	              ('planned','pending','done','failed','conflict','skipped')),
	message     TEXT NOT NULL DEFAULT '',
	source_row  INTEGER NOT NULL DEFAULT 0,
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
`},
	{2, "sources, schedules, settings", `
CREATE TABLE sources (
	id             TEXT PRIMARY KEY,
	store_id       TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
	location       TEXT NOT NULL,
	mapping        TEXT NOT NULL DEFAULT '{}',
	sheet          TEXT NOT NULL DEFAULT '',
	location_id    TEXT NOT NULL DEFAULT '',
	match_strategy TEXT NOT NULL DEFAULT '',
	created_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	UNIQUE (store_id, location)
);
CREATE TABLE schedules (
	id          TEXT PRIMARY KEY,
	store_id    TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
	source_id   TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
	spec_kind   TEXT NOT NULL CHECK (spec_kind IN ('interval','daily','cron')),
	spec        TEXT NOT NULL,
	time_zone   TEXT NOT NULL DEFAULT '',
	enabled     INTEGER NOT NULL DEFAULT 1,
	catch_up    TEXT NOT NULL DEFAULT '',
	paused      INTEGER NOT NULL DEFAULT 0,
	last_run_at INTEGER,
	next_run_at INTEGER,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL
);
CREATE INDEX schedules_by_store ON schedules(store_id);
CREATE INDEX schedules_by_source ON schedules(source_id);
CREATE INDEX schedules_by_next ON schedules(next_run_at);
CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);
`},
	{3, "token issue time", `
ALTER TABLE stores ADD COLUMN access_issued_at INTEGER;
`},
	{4, "media sources", `
CREATE TABLE media_sources (
	store_id   TEXT NOT NULL REFERENCES stores(id) ON DELETE CASCADE,
	product_id TEXT NOT NULL,
	source     TEXT NOT NULL,
	media_id   TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (store_id, product_id, source)
) WITHOUT ROWID;
`},
	{5, "media retries", `
ALTER TABLE media_sources ADD COLUMN retried INTEGER NOT NULL DEFAULT 0;
`},
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate applies every step of steps newer than the file's version.
func (d *DB) migrate(ctx context.Context, steps []migration) error {
	for i, m := range steps {
		if m.version != i+1 {
			return fmt.Errorf("migration %d is numbered %d", i+1, m.version)
		}
		err := d.write(ctx, func(tx *sql.Tx) error {
			v, err := userVersion(ctx, tx)
			if err != nil {
				return err
			}
			if v >= m.version {
				return nil // already applied, perhaps by another process just now
			}
			if v != m.version-1 {
				return fmt.Errorf("schema version %d cannot take migration %d", v, m.version)
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			// PRAGMA takes no bound parameters; the version is our own int.
			_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate database to version %d (%s): %w", m.version, m.name, err)
		}
	}
	v, err := userVersion(ctx, d.sql)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > len(steps) {
		return fmt.Errorf("%w (schema %d, this build knows %d)", ErrSchemaTooNew, v, len(steps))
	}
	return nil
}

// queryer is what *sql.DB and *sql.Tx have in common for reads.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// userVersion reads PRAGMA user_version.
func userVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
