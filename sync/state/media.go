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
	// Retried says the image was fetched again after Shopify could not
	// process the first upload from Source: it is not tried a third time.
	Retried bool
}

// RecordMediaSources keeps (or replaces) the records of one store.
func (d *DB) RecordMediaSources(ctx context.Context, storeID string, list []MediaSource) error {
	if len(list) == 0 {
		return nil
	}
	return d.write(ctx, func(tx *sql.Tx) error {
		for _, m := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO media_sources (store_id, product_id, source, media_id, retried, updated_at)
				VALUES (?,?,?,?,?,?) ON CONFLICT (store_id, product_id, source)
				DO UPDATE SET media_id=excluded.media_id, retried=excluded.retried, updated_at=excluded.updated_at`,
				storeID, m.ProductID, m.Source, m.MediaID, m.Retried, now().UnixMilli()); err != nil {
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

// MediaRecords returns the records of the products productIDs of one
// store: product ID → source → media ID, and the media IDs of the images
// fetched in a retry (MediaSource.Retried).
func (d *DB) MediaRecords(ctx context.Context, storeID string, productIDs []string) (map[string]map[string]string, map[string]bool, error) {
	out, retried := map[string]map[string]string{}, map[string]bool{}
	const chunk = 500
	for len(productIDs) > 0 {
		n := min(chunk, len(productIDs))
		args := []any{storeID}
		for _, id := range productIDs[:n] {
			args = append(args, id)
		}
		rows, err := d.sql.QueryContext(ctx, `SELECT product_id, source, media_id, retried FROM media_sources
			WHERE store_id=? AND product_id IN (?`+strings.Repeat(",?", n-1)+`)`, args...)
		if err != nil {
			return nil, nil, fmt.Errorf("read media sources: %w", err)
		}
		for rows.Next() {
			var p, s, m string
			var r bool
			if err := rows.Scan(&p, &s, &m, &r); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("read media sources: %w", err)
			}
			if out[p] == nil {
				out[p] = map[string]string{}
			}
			out[p][s] = m
			if r {
				retried[m] = true
			}
		}
		if err := rows.Close(); err != nil {
			return nil, nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("read media sources: %w", err)
		}
		productIDs = productIDs[n:]
	}
	return out, retried, nil
}
