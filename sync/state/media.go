package state

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// MediaSource says that the image MediaID of a product was fetched from
// Source (the sheet's address). Shopify keeps no image's source address, so
// this record is how a later run knows the image is already there and
// must not be uploaded again.
type MediaSource struct {
	ProductID string
	Source    string
	MediaID   string
}

// RecordMediaSources keeps (or replaces) the records of one store.
func (d *DB) RecordMediaSources(ctx context.Context, storeID string, list []MediaSource) error {
	if len(list) == 0 {
		return nil
	}
	return d.write(ctx, func(tx *sql.Tx) error {
		for _, m := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO media_sources (store_id, product_id, source, media_id, updated_at)
				VALUES (?,?,?,?,?) ON CONFLICT (store_id, product_id, source)
				DO UPDATE SET media_id=excluded.media_id, updated_at=excluded.updated_at`,
				storeID, m.ProductID, m.Source, m.MediaID, now().UnixMilli()); err != nil {
				return fmt.Errorf("record media source: %w", err)
			}
		}
		return nil
	})
}

// ForgetMediaSources drops the records of these media of one store (images
// an undo took off their product).
func (d *DB) ForgetMediaSources(ctx context.Context, storeID string, mediaIDs []string) error {
	if len(mediaIDs) == 0 {
		return nil
	}
	return d.write(ctx, func(tx *sql.Tx) error {
		for _, id := range mediaIDs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM media_sources WHERE store_id=? AND media_id=?`, storeID, id); err != nil {
				return fmt.Errorf("forget media source: %w", err)
			}
		}
		return nil
	})
}

// MediaSources returns the records of the products productIDs of one
// store: product ID → source → media ID.
func (d *DB) MediaSources(ctx context.Context, storeID string, productIDs []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	const chunk = 500
	for len(productIDs) > 0 {
		n := min(chunk, len(productIDs))
		args := []any{storeID}
		for _, id := range productIDs[:n] {
			args = append(args, id)
		}
		rows, err := d.sql.QueryContext(ctx, `SELECT product_id, source, media_id FROM media_sources
			WHERE store_id=? AND product_id IN (?`+strings.Repeat(",?", n-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read media sources: %w", err)
		}
		for rows.Next() {
			var p, s, m string
			if err := rows.Scan(&p, &s, &m); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read media sources: %w", err)
			}
			if out[p] == nil {
				out[p] = map[string]string{}
			}
			out[p][s] = m
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("read media sources: %w", err)
		}
		productIDs = productIDs[n:]
	}
	return out, nil
}
