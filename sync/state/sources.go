package state

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Source is a catalog source saved for a store (a file path or URL), with the
// column mapping and options the user chose for it.
type Source struct {
	ID       string // UUID, assigned on first save
	StoreID  string
	Location string // file path or URL; unique per store

	// Mapping is the saved column mapping as JSON. Its shape belongs to
	// sync/source; this package only keeps it. Empty means "{}".
	Mapping json.RawMessage

	Sheet         string // selected XLSX sheet ("" for the first / CSV)
	LocationID    string // Shopify location gid for a single quantity column
	MatchStrategy string // how rows match store items (for example "handle", "sku")

	CreatedAt time.Time
	UpdatedAt time.Time
}

const sourceCols = `id, store_id, location, mapping, sheet, location_id, match_strategy,
	created_at, updated_at`

// SaveSource inserts or updates the source for (StoreID, Location) and
// returns it as stored. The ID of an existing source is kept, so schedules
// that point at it stay valid.
func (d *DB) SaveSource(ctx context.Context, s Source) (Source, error) {
	if s.StoreID == "" || s.Location == "" {
		return Source{}, errors.New("save source: store and location are required")
	}
	if len(s.Mapping) == 0 {
		s.Mapping = json.RawMessage("{}")
	}
	if !json.Valid(s.Mapping) {
		return Source{}, errors.New("save source: mapping is not valid JSON")
	}
	if s.ID == "" {
		s.ID = newID()
	}
	t := now().UnixMilli()
	var out Source
	err := d.write(ctx, func(tx *sql.Tx) error {
		row := tx.QueryRowContext(ctx, `INSERT INTO sources (`+sourceCols+`)
			VALUES (?,?,?,?,?,?,?,?,?)
			ON CONFLICT (store_id, location) DO UPDATE SET mapping=excluded.mapping,
				sheet=excluded.sheet, location_id=excluded.location_id,
				match_strategy=excluded.match_strategy, updated_at=excluded.updated_at
			RETURNING `+sourceCols,
			s.ID, s.StoreID, s.Location, string(s.Mapping), s.Sheet, s.LocationID,
			s.MatchStrategy, t, t)
		var err error
		out, err = scanSource(row)
		return err
	})
	if err != nil {
		return Source{}, fmt.Errorf("save source: %w", err)
	}
	return out, nil
}

// GetSource returns the source with the given ID, or ErrNotFound.
func (d *DB) GetSource(ctx context.Context, id string) (Source, error) {
	return d.oneSource(ctx, `SELECT `+sourceCols+` FROM sources WHERE id=?`, id)
}

// FindSource returns a store's source at location, or ErrNotFound.
func (d *DB) FindSource(ctx context.Context, storeID, location string) (Source, error) {
	return d.oneSource(ctx, `SELECT `+sourceCols+` FROM sources WHERE store_id=? AND location=?`,
		storeID, location)
}

// ListSources returns a store's sources, most recently saved first.
func (d *DB) ListSources(ctx context.Context, storeID string) ([]Source, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT `+sourceCols+` FROM sources WHERE store_id=?
		ORDER BY updated_at DESC, rowid DESC`, storeID)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var out []Source
	for rows.Next() {
		s, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DeleteSource removes a source and, by cascade, its schedules.
func (d *DB) DeleteSource(ctx context.Context, id string) error {
	return d.execOne(ctx, "delete source", `DELETE FROM sources WHERE id=?`, id)
}

func (d *DB) oneSource(ctx context.Context, q string, args ...any) (Source, error) {
	s, err := scanSource(d.sql.QueryRowContext(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Source{}, fmt.Errorf("source: %w", ErrNotFound)
	}
	if err != nil {
		return Source{}, fmt.Errorf("get source: %w", err)
	}
	return s, nil
}

func scanSource(sc scanner) (Source, error) {
	var s Source
	var mapping string
	var created, updated int64
	err := sc.Scan(&s.ID, &s.StoreID, &s.Location, &mapping, &s.Sheet, &s.LocationID,
		&s.MatchStrategy, &created, &updated)
	if err != nil {
		return Source{}, err
	}
	s.Mapping = json.RawMessage(mapping)
	s.CreatedAt = time.UnixMilli(created).UTC()
	s.UpdatedAt = time.UnixMilli(updated).UTC()
	return s, nil
}
