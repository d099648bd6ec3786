package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
)

// Well-known setting keys. Values are plain text; callers parse them.
const (
	SettingSchedulesPaused = "schedules.paused"     // "true" pauses every schedule
	SettingOAuthPort       = "oauth.port"           // loopback port for the OAuth callback
	SettingConcurrency     = "sync.concurrency"     // parallel requests per store
	SettingNotifySuccess   = "notify.on_success"    // "true" notifies on successful runs too
	SettingLastStoreID     = "window.last_store_id" // store selected when the window closed
)

// ErrSecretSetting is returned when a setting key names something secret:
// tokens, client secrets, passwords and webhook URLs go in the OS keychain.
var ErrSecretSetting = errors.New("secrets and webhook URLs belong in the system keychain, not in settings")

var secretKey = regexp.MustCompile(`(?i)token|secret|passw|credential|webhook|api_?key|private_?key`)

// GetSetting returns a setting's value, or ErrNotFound if it was never set.
func (d *DB) GetSetting(ctx context.Context, key string) (string, error) {
	var v string
	err := d.sql.QueryRowContext(ctx, `SELECT value FROM settings WHERE key=?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("setting %q: %w", key, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("get setting: %w", err)
	}
	return v, nil
}

// SettingOr returns a setting's value, or def if it was never set.
func (d *DB) SettingOr(ctx context.Context, key, def string) (string, error) {
	v, err := d.GetSetting(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return def, nil
	}
	return v, err
}

// SetSetting stores a non-secret setting. A key that names a secret (token,
// secret, password, webhook…) is refused with ErrSecretSetting.
func (d *DB) SetSetting(ctx context.Context, key, value string) error {
	if key == "" {
		return errors.New("set setting: empty key")
	}
	if secretKey.MatchString(key) {
		return fmt.Errorf("set setting %q: %w", key, ErrSecretSetting)
	}
	return d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?,?,?)
			ON CONFLICT (key) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at`,
			key, value, now().UnixMilli())
		if err != nil {
			return fmt.Errorf("set setting: %w", err)
		}
		return nil
	})
}

// DeleteSetting removes a setting; removing one that is not set is not an error.
func (d *DB) DeleteSetting(ctx context.Context, key string) error {
	return d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key=?`, key); err != nil {
			return fmt.Errorf("delete setting: %w", err)
		}
		return nil
	})
}

// Settings returns every setting.
func (d *DB) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := d.sql.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, fmt.Errorf("list settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("list settings: %w", err)
		}
		out[k] = v
	}
	return out, rows.Err()
}
