package state

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SpecKind says how a schedule's Spec is written.
type SpecKind string

// Schedule spec kinds. The scheduler owns the spec syntax; this package
// only keeps the text.
const (
	SpecInterval SpecKind = "interval" // for example "6h"
	SpecDaily    SpecKind = "daily"    // for example "07:30"
	SpecCron     SpecKind = "cron"     // a cron expression
)

// Schedule runs one store's sync from one saved source at set times.
// The global pause is the SettingSchedulesPaused setting.
type Schedule struct {
	ID       string // UUID, assigned by CreateSchedule when empty
	StoreID  string
	SourceID string
	Kind     SpecKind
	Spec     string
	TimeZone string // IANA name; "" means local time
	Enabled  bool
	CatchUp  string // what to do about times missed while off; the scheduler's vocabulary
	Paused   bool

	LastRunAt time.Time
	NextRunAt time.Time // zero: not computed yet
	CreatedAt time.Time
	UpdatedAt time.Time
}

const scheduleCols = `id, store_id, source_id, spec_kind, spec, time_zone, enabled, catch_up,
	paused, last_run_at, next_run_at, created_at, updated_at`

// CreateSchedule adds a schedule. An empty ID gets a new UUID. Remember to
// set Enabled: a new schedule is off unless told otherwise.
func (d *DB) CreateSchedule(ctx context.Context, s Schedule) (Schedule, error) {
	if s.ID == "" {
		s.ID = newID()
	}
	s.CreatedAt = now()
	s.UpdatedAt = s.CreatedAt
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO schedules (`+scheduleCols+`)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			s.ID, s.StoreID, s.SourceID, string(s.Kind), s.Spec, s.TimeZone, boolInt(s.Enabled),
			s.CatchUp, boolInt(s.Paused), msOrNull(s.LastRunAt), msOrNull(s.NextRunAt),
			s.CreatedAt.UnixMilli(), s.UpdatedAt.UnixMilli())
		return err
	})
	if err != nil {
		return Schedule{}, fmt.Errorf("create schedule: %w", err)
	}
	return s, nil
}

// UpdateSchedule writes every field of s except ID, StoreID and CreatedAt.
func (d *DB) UpdateSchedule(ctx context.Context, s Schedule) error {
	return d.execOne(ctx, "update schedule", `UPDATE schedules SET source_id=?, spec_kind=?,
		spec=?, time_zone=?, enabled=?, catch_up=?, paused=?, last_run_at=?, next_run_at=?,
		updated_at=? WHERE id=?`,
		s.SourceID, string(s.Kind), s.Spec, s.TimeZone, boolInt(s.Enabled), s.CatchUp,
		boolInt(s.Paused), msOrNull(s.LastRunAt), msOrNull(s.NextRunAt), now().UnixMilli(), s.ID)
}

// SetSchedulePaused pauses or resumes one schedule.
func (d *DB) SetSchedulePaused(ctx context.Context, id string, paused bool) error {
	return d.execOne(ctx, "pause schedule", `UPDATE schedules SET paused=?, updated_at=? WHERE id=?`,
		boolInt(paused), now().UnixMilli(), id)
}

// AdvanceSchedule records that the schedule ran at ranAt and is next due at
// next, but only if its NextRunAt is still expectedNext. It reports whether
// it did: when the window and a cron-started run-due both find the schedule
// due, only the one whose AdvanceSchedule returns true should run it.
func (d *DB) AdvanceSchedule(ctx context.Context, id string, expectedNext, ranAt, next time.Time) (bool, error) {
	var claimed bool
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE schedules SET last_run_at=?, next_run_at=?,
			updated_at=? WHERE id=? AND next_run_at IS ?`,
			msOrNull(ranAt), msOrNull(next), now().UnixMilli(), id, msOrNull(expectedNext))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		if !claimed {
			var one int
			if err := tx.QueryRowContext(ctx, `SELECT 1 FROM schedules WHERE id=?`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("advance schedule %q: %w", id, err)
	}
	return claimed, nil
}

// GetSchedule returns the schedule with the given ID, or ErrNotFound.
func (d *DB) GetSchedule(ctx context.Context, id string) (Schedule, error) {
	s, err := scanSchedule(d.sql.QueryRowContext(ctx, `SELECT `+scheduleCols+` FROM schedules WHERE id=?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Schedule{}, fmt.Errorf("schedule %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("get schedule: %w", err)
	}
	return s, nil
}

// ListSchedules returns a store's schedules (every store's when storeID is
// ""), oldest first.
func (d *DB) ListSchedules(ctx context.Context, storeID string) ([]Schedule, error) {
	return d.querySchedules(ctx, `SELECT `+scheduleCols+` FROM schedules
		WHERE (?1 = '' OR store_id = ?1) ORDER BY created_at, rowid`, storeID)
}

// DueSchedules returns the enabled, unpaused schedules whose NextRunAt is at
// or before t, earliest first. It does not look at the global pause setting.
func (d *DB) DueSchedules(ctx context.Context, t time.Time) ([]Schedule, error) {
	return d.querySchedules(ctx, `SELECT `+scheduleCols+` FROM schedules
		WHERE enabled = 1 AND paused = 0 AND next_run_at IS NOT NULL AND next_run_at <= ?
		ORDER BY next_run_at, rowid`, t.UnixMilli())
}

// DeleteSchedule removes a schedule.
func (d *DB) DeleteSchedule(ctx context.Context, id string) error {
	return d.execOne(ctx, "delete schedule", `DELETE FROM schedules WHERE id=?`, id)
}

func (d *DB) querySchedules(ctx context.Context, q string, args ...any) ([]Schedule, error) {
	rows, err := d.sql.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	defer rows.Close()
	var out []Schedule
	for rows.Next() {
		s, err := scanSchedule(rows)
		if err != nil {
			return nil, fmt.Errorf("list schedules: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func scanSchedule(sc scanner) (Schedule, error) {
	var s Schedule
	var kind string
	var last, next sql.NullInt64
	var created, updated int64
	err := sc.Scan(&s.ID, &s.StoreID, &s.SourceID, &kind, &s.Spec, &s.TimeZone, &s.Enabled,
		&s.CatchUp, &s.Paused, &last, &next, &created, &updated)
	if err != nil {
		return Schedule{}, err
	}
	s.Kind = SpecKind(kind)
	s.LastRunAt, s.NextRunAt = fromMS(last), fromMS(next)
	s.CreatedAt = time.UnixMilli(created).UTC()
	s.UpdatedAt = time.UnixMilli(updated).UTC()
	return s, nil
}
