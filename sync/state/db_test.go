package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// openTest opens a fresh database in a temporary folder.
func openTest(t testing.TB) *DB {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "shelfsync.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// mustStore creates a store with the given domain.
func mustStore(t testing.TB, d *DB, domain string) Store {
	t.Helper()
	s, err := d.CreateStore(context.Background(), Store{ShopDomain: domain, TokenKind: TokenCustomApp})
	if err != nil {
		t.Fatalf("CreateStore(%s): %v", domain, err)
	}
	return s
}

func TestOpenSetsPragmas(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	var mode string
	var fk, busy int
	if err := d.sql.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := d.sql.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := d.sql.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 || busy != int(busyTimeout.Milliseconds()) {
		t.Errorf("journal_mode=%s foreign_keys=%d busy_timeout=%d; want wal 1 %d", mode, fk, busy, busyTimeout.Milliseconds())
	}
	v, err := userVersion(ctx, d.sql)
	if err != nil || v != SchemaVersion() {
		t.Errorf("user_version = %d, %v; want %d", v, err, SchemaVersion())
	}
}

func TestOpenCreatesPrivateFileAndFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep", "er", "shelfsync.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Path() != path {
		t.Errorf("Path() = %q, want %q", d.Path(), path)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("database mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestOpenRejectsBadPath(t *testing.T) {
	for _, p := range []string{"", filepath.Join(t.TempDir(), "a?mode=ro")} {
		if _, err := Open(p); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

func TestDefaultPath(t *testing.T) {
	p, err := DefaultPath()
	if err != nil {
		t.Skipf("no config dir here: %v", err)
	}
	if filepath.Base(p) != "shelfsync.db" || filepath.Base(filepath.Dir(p)) != "shelfsync" {
		t.Errorf("DefaultPath() = %q", p)
	}
}

// TestMigrateFromOldVersions builds a file as each earlier release left it,
// puts a store in it, and checks that Open upgrades it without losing it.
func TestMigrateFromOldVersions(t *testing.T) {
	for v := 1; v < SchemaVersion(); v++ {
		t.Run(fmt.Sprintf("from v%d", v), func(t *testing.T) { testMigrateFrom(t, v) })
	}
}

func testMigrateFrom(t *testing.T, version int) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", path+"?_txlock=immediate&_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	old := &DB{sql: raw, path: path, writer: make(chan struct{}, 1)}
	if err := old.migrate(ctx, migrations[:version]); err != nil {
		t.Fatalf("migrate to v%d: %v", version, err)
	}
	if _, err := raw.Exec(`INSERT INTO stores (id, display_name, shop_domain, token_kind, created_at, updated_at)
		VALUES ('s1', 'Old shop', 'old.myshopify.com', 'custom_app', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`SELECT retried FROM media_sources`); err == nil {
		t.Fatal("old file already has the newest column; the test no longer tests an upgrade")
	}
	raw.Close()

	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open v%d file: %v", version, err)
	}
	defer d.Close()
	if v, _ := userVersion(ctx, d.sql); v != SchemaVersion() {
		t.Errorf("after upgrade user_version = %d, want %d", v, SchemaVersion())
	}
	s, err := d.GetStore(ctx, "s1")
	if err != nil || s.Name != "Old shop" || !s.AccessIssuedAt.IsZero() {
		t.Fatalf("old store after upgrade: %+v, %v", s, err)
	}
	issued := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := d.SetTokenMeta(ctx, "s1", TokenMeta{Kind: TokenOAuthOffline, AccessIssuedAt: issued}); err != nil {
		t.Fatalf("new column unusable after upgrade: %v", err)
	}
	src, err := d.SaveSource(ctx, Source{StoreID: "s1", Location: "/tmp/catalog.csv"})
	if err != nil {
		t.Fatalf("new table unusable after upgrade: %v", err)
	}
	if _, err := d.CreateSchedule(ctx, Schedule{StoreID: "s1", SourceID: src.ID, Kind: SpecInterval, Spec: "1h"}); err != nil {
		t.Fatalf("new table unusable after upgrade: %v", err)
	}
}

func TestMigrateFailedStepRollsBack(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	bad := append(append([]migration{}, migrations...), migration{
		version: len(migrations) + 1, name: "broken",
		sql: `CREATE TABLE half_done (x INTEGER); THIS IS NOT SQL;`,
	})
	if err := d.migrate(ctx, bad); err == nil {
		t.Fatal("broken migration succeeded")
	}
	if v, _ := userVersion(ctx, d.sql); v != SchemaVersion() {
		t.Errorf("user_version = %d after failed step, want %d", v, SchemaVersion())
	}
	if _, err := d.sql.Exec(`SELECT 1 FROM half_done`); err == nil {
		t.Error("a failed migration left its first statement applied")
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.sql.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, err := Open(path); !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open newer file: %v, want ErrSchemaTooNew", err)
	}
}

func TestMigrationsNumbered(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 || m.name == "" || strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration at %d: version %d name %q", i, m.version, m.name)
		}
	}
}

// secretColumn matches column names that suggest a secret is stored.
// token_kind is the one allowed "token" column: an enum, not a token.
var secretColumn = regexp.MustCompile(`(?i)token|secret|passw|credential|webhook|api_?key|private_?key|bearer|auth_?code|oauth_?state`)

var allowedColumns = map[string]bool{"token_kind": true}

// secretColumns lists table.column names in db that look like secrets.
func secretColumns(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
		WHERE m.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var bad []string
	n := 0
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		n++
		if secretColumn.MatchString(col) && !allowedColumns[col] {
			bad = append(bad, table+"."+col)
		}
	}
	if n < 20 {
		t.Fatalf("only %d columns seen; the schema query is broken", n)
	}
	return bad
}

// TestNoSecretColumns fails if any table has a column named like a secret:
// secrets belong in the OS keychain.
func TestNoSecretColumns(t *testing.T) {
	d := openTest(t)
	if bad := secretColumns(t, d.sql); len(bad) > 0 {
		t.Errorf("columns that look like secrets (keep them in the keychain): %v", bad)
	}
	// The check itself must be able to fail.
	if _, err := d.sql.Exec(`CREATE TABLE probe (refresh_token TEXT, client_secret TEXT)`); err != nil {
		t.Fatal(err)
	}
	if bad := secretColumns(t, d.sql); len(bad) != 2 {
		t.Errorf("detector found %v, want probe.refresh_token and probe.client_secret", bad)
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO settings (key, value, updated_at) VALUES ('a', 'b', 1)`); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("write: %v", err)
	}
	if _, err := d.GetSetting(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Errorf("half of a failed transaction was kept: %v", err)
	}
}

func TestTimesRoundTripAsUTCMillis(t *testing.T) {
	in := time.Date(2026, 3, 4, 5, 6, 7, 891_234_567, time.FixedZone("X", 3600))
	got := fromMS(sql.NullInt64{Int64: msOrNull(in).(int64), Valid: true})
	if !got.Equal(in.Truncate(time.Millisecond)) || got.Location() != time.UTC {
		t.Errorf("round trip %v → %v", in, got)
	}
	if msOrNull(time.Time{}) != nil || !fromMS(sql.NullInt64{}).IsZero() {
		t.Error("zero time must be NULL and back")
	}
}

func TestWriteGivesUpWhenContextEnds(t *testing.T) {
	d := openTest(t)
	held := make(chan struct{})
	release := make(chan struct{})
	go d.write(context.Background(), func(*sql.Tx) error {
		close(held)
		<-release
		return nil
	})
	<-held
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := d.SetSetting(ctx, "k", "v"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("write behind a long transaction = %v, want context.DeadlineExceeded", err)
	}
}
