package workspace

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/schedule"
	"github.com/shelfsync/shelfsync/sync/state"
)

// Schedules lists a store's schedules ("" for every store).
func (w *Workspace) Schedules(ctx context.Context, storeID string) ([]ScheduleView, error) {
	scheds, err := w.db.ListSchedules(ctx, storeID)
	if err != nil {
		return nil, err
	}
	out := make([]ScheduleView, 0, len(scheds))
	for _, sc := range scheds {
		v, err := w.scheduleView(ctx, sc)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (w *Workspace) scheduleView(ctx context.Context, sc state.Schedule) (ScheduleView, error) {
	src, err := w.db.GetSource(ctx, sc.SourceID)
	if err != nil {
		return ScheduleView{}, err
	}
	v := ScheduleView{ID: sc.ID, StoreID: sc.StoreID, Source: src.Location, Spec: sc.Spec, TimeZone: sc.TimeZone,
		Enabled: sc.Enabled, Paused: sc.Paused, CatchUp: sc.CatchUp, LastRun: sc.LastRunAt, NextRun: sc.NextRunAt,
		LocationID: src.LocationID}
	if spec, err := schedule.Parse(sc.Spec, sc.TimeZone); err == nil {
		v.Text = spec.String()
	} else {
		v.Text = "invalid: " + err.Error()
	}
	return v, nil
}

var specKinds = map[schedule.Kind]state.SpecKind{
	schedule.KindInterval: state.SpecInterval,
	schedule.KindDaily:    state.SpecDaily,
	schedule.KindCron:     state.SpecCron,
}

// SetSchedule creates or changes a schedule after checking its spec.
func (w *Workspace) SetSchedule(ctx context.Context, req ScheduleRequest) (ScheduleView, error) {
	spec, err := schedule.Parse(req.Spec, req.TimeZone)
	if err != nil {
		return ScheduleView{}, err
	}
	if req.Source == "" {
		return ScheduleView{}, errors.New("choose the file or URL the schedule syncs from")
	}
	if _, err := w.db.GetStore(ctx, req.StoreID); err != nil {
		return ScheduleView{}, err
	}
	src, err := w.db.FindSource(ctx, req.StoreID, req.Source)
	if errors.Is(err, state.ErrNotFound) {
		src, err = w.db.SaveSource(ctx, state.Source{StoreID: req.StoreID, Location: req.Source})
	}
	if err == nil && req.LocationID != "" && req.LocationID != src.LocationID {
		src.LocationID = req.LocationID
		src, err = w.db.SaveSource(ctx, src)
	}
	if err != nil {
		return ScheduleView{}, err
	}
	catchUp := cmp.Or(req.CatchUp, catchUpOnce)
	if catchUp != catchUpOnce && catchUp != catchUpSkip {
		return ScheduleView{}, fmt.Errorf("catch-up is %q or %q, not %q", catchUpOnce, catchUpSkip, req.CatchUp)
	}
	now := w.now()
	sc := state.Schedule{ID: req.ID, StoreID: req.StoreID, SourceID: src.ID, Kind: specKinds[spec.Kind()],
		Spec: spec.Text(), TimeZone: spec.Zone(), Enabled: req.Enabled, CatchUp: catchUp, NextRunAt: spec.Next(now)}
	if req.ID == "" {
		sc, err = w.db.CreateSchedule(ctx, sc)
	} else {
		var old state.Schedule
		if old, err = w.db.GetSchedule(ctx, req.ID); err == nil {
			sc.LastRunAt, sc.Paused, sc.CreatedAt = old.LastRunAt, old.Paused, old.CreatedAt
			err = w.db.UpdateSchedule(ctx, sc)
		}
	}
	if err != nil {
		return ScheduleView{}, err
	}
	return w.scheduleView(ctx, sc)
}

// RemoveSchedule deletes a schedule; the source and its mapping stay.
func (w *Workspace) RemoveSchedule(ctx context.Context, id string) error {
	return w.db.DeleteSchedule(ctx, id)
}

// SchedulesPaused reports the global pause.
func (w *Workspace) SchedulesPaused(ctx context.Context) bool {
	v, _ := w.db.SettingOr(ctx, state.SettingSchedulesPaused, "")
	return v == "true"
}

// PauseSchedules pauses or resumes every schedule.
func (w *Workspace) PauseSchedules(ctx context.Context, paused bool) error {
	return w.db.SetSetting(ctx, state.SettingSchedulesPaused, fmt.Sprint(paused))
}

// RunEvent reports a run started by a schedule (or "Run all now").
type RunEvent struct {
	StoreID   string
	StoreName string
	Run       RunSummary // zero when the run never started
	Held      bool       // the plan tripped a guard: kept for review, nothing written
	Err       error
	AlertErr  error // the store's webhook could not be posted; names the URL by scheme and host only
	// TellSuccess says the user asked to hear about successful runs of this
	// store too (Alerts tab), for the desktop notification.
	TellSuccess bool
	// AlreadyTold: the slot was skipped for the same token problem as the
	// last one. The store is still red and Err says why, but notifications
	// and webhooks were sent the first time only, not every slot.
	AlreadyTold bool
}

// What to do about slots missed while Shelfsync was not running.
const (
	catchUpOnce = "once"
	catchUpSkip = "skip"
	// missedAfter is how late a slot may start and still count as on time
	// (the window checks every 30 s; cron may start run-due a little late).
	missedAfter = 2 * time.Minute
)

// claim takes a due schedule for this process: it moves the schedule's next
// run forward in the database, which only one process can do for the same
// slot, so the window and a cron 'run-due' never both run it.
func (w *Workspace) claim(ctx context.Context, id string, now time.Time, force bool) (state.Schedule, bool, error) {
	sc, err := w.db.GetSchedule(ctx, id)
	if err != nil {
		return sc, false, err
	}
	spec, err := schedule.Parse(sc.Spec, sc.TimeZone)
	if err != nil {
		return sc, false, err
	}
	if !force && (sc.NextRunAt.IsZero() || sc.NextRunAt.After(now.Add(time.Second))) {
		return sc, false, nil // not due, or another process already ran this slot
	}
	ok, err := w.db.AdvanceSchedule(ctx, id, sc.NextRunAt, now, spec.Next(now))
	if ok && !force && sc.CatchUp == catchUpSkip && now.Sub(sc.NextRunAt) > missedAfter {
		return sc, false, err // a missed slot: moved on to the next one without running
	}
	return sc, ok, err
}

// RunSchedule runs one schedule now: it checks (and renews) the store's
// token first, plans, and applies only when no guard tripped; otherwise the
// run is held with its plan for review. A store whose token cannot be
// renewed is marked and skipped, not retried in a loop.
func (w *Workspace) RunSchedule(ctx context.Context, id string, force bool) RunEvent {
	return w.alerted(ctx, w.runSchedule(ctx, id, force)) // posts the store's webhook, if any (notify.go)
}

func (w *Workspace) runSchedule(ctx context.Context, id string, force bool) RunEvent {
	sc, ok, err := w.claim(ctx, id, w.now(), force)
	ev := RunEvent{StoreID: sc.StoreID, Err: err}
	if err != nil || !ok {
		return ev
	}
	rec, err := w.db.GetStore(ctx, sc.StoreID)
	if err != nil {
		ev.Err = err
		return ev
	}
	ev.StoreName = rec.Name
	// The token is checked again even when the last check said "reconnect":
	// a stored status is never trusted to skip a slot (the store may have
	// been reconnected by another process), and a repeat is not told twice.
	before := rec.Status.Code
	st, err := w.TokenStatus(ctx, rec.ID, true)
	if err != nil {
		ev.Err = err
		return ev
	}
	if rec, err = w.db.GetStore(ctx, rec.ID); err != nil { // as the check left it
		ev.Err = err
		return ev
	}
	// Skip only for the token's sake: an earlier failed or held run that
	// nobody opened yet is no reason to stop syncing.
	rec.NeedsAttention = false
	if health, title, fix := judge(rec, oauth.RequiredMissing(st.Missing), w.now()); health == HealthAttention || health == HealthOffline {
		_ = w.db.SetNeedsAttention(ctx, rec.ID, true)
		ev.Err = fmt.Errorf("%s: %s. %s", rec.Name, title, fix)
		ev.AlreadyTold = rec.Status.Code == before && before != "" // the last slot said the same
		return ev
	}
	src, err := w.db.GetSource(ctx, sc.SourceID)
	if err != nil {
		ev.Err = err
		return ev
	}
	plan, err := w.PlanSync(ctx, SyncRequest{StoreID: rec.ID, Source: src.Location, Sheet: src.Sheet,
		LocationID: src.LocationID, Trigger: string(state.TriggerScheduled)})
	if err != nil {
		_ = w.db.SetNeedsAttention(ctx, rec.ID, true)
		ev.Err = err
		return ev
	}
	// Apply refuses a plan that tripped a guard and keeps it as a held run
	// with its plan, for a person to review; nothing is written.
	ev.Run, ev.Err = w.apply(ctx, rec.ID, plan, false, nil, string(state.TriggerScheduled))
	if errors.Is(ev.Err, catalogsync.ErrGuardsTripped) {
		ev.Held, ev.Err = true, nil
		_ = w.db.SetNeedsAttention(ctx, rec.ID, true)
	}
	return ev
}

// RunDue runs every schedule that is due now, at most limit at a time, and
// returns what happened (for 'shelfsync run-due' from cron or a timer).
func (w *Workspace) RunDue(ctx context.Context) []RunEvent {
	if w.SchedulesPaused(ctx) {
		return nil
	}
	due, err := w.db.DueSchedules(ctx, w.now())
	if err != nil {
		return []RunEvent{{Err: err}}
	}
	events := make([]RunEvent, len(due))
	sem := make(chan struct{}, w.concurrency())
	done := make(chan struct{})
	for i, sc := range due {
		go func() {
			defer func() { done <- struct{}{} }()
			if !sc.Enabled || sc.Paused {
				return
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			events[i] = w.RunSchedule(ctx, sc.ID, false)
		}()
	}
	for range due {
		<-done
	}
	out := events[:0]
	for _, ev := range events {
		if ev.Run.ID != "" || ev.Held || ev.Err != nil { // not skipped, not run elsewhere
			out = append(out, ev)
		}
	}
	return out
}

// RunAllNow runs every enabled schedule now, of one agency client's stores
// when group is not "", in parallel within the concurrency limit; runs of
// one store never overlap (the store lock).
func (w *Workspace) RunAllNow(ctx context.Context, group string) []RunEvent {
	scheds, err := w.db.ListSchedules(ctx, "")
	if err != nil {
		return []RunEvent{{Err: err}}
	}
	var ids []string
	for _, sc := range scheds {
		if !sc.Enabled {
			continue
		}
		if group != "" {
			rec, err := w.db.GetStore(ctx, sc.StoreID)
			if err != nil || rec.Group != group {
				continue
			}
		}
		ids = append(ids, sc.ID)
	}
	events := make([]RunEvent, len(ids))
	sem := make(chan struct{}, w.concurrency())
	done := make(chan struct{})
	for i, id := range ids {
		go func() {
			defer func() { done <- struct{}{} }()
			sem <- struct{}{}
			defer func() { <-sem }()
			events[i] = w.RunSchedule(ctx, id, true)
		}()
	}
	for range ids {
		<-done
	}
	return events
}

// RunScheduler runs due schedules until ctx ends, checking every interval
// (and at once on start, which catches up runs missed while the app was
// closed, once each). Each finished run is reported to onEvent.
func (w *Workspace) RunScheduler(ctx context.Context, interval time.Duration, onEvent func(RunEvent)) {
	if interval <= 0 {
		interval = 30 * time.Second
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, ev := range w.RunDue(ctx) {
				if onEvent != nil {
					onEvent(ev)
				}
			}
			t.Reset(interval)
		}
	}
}

// concurrency is how many stores sync (or are checked) at once.
func (w *Workspace) concurrency() int {
	return cmp.Or(max(w.conc, 0), schedule.DefaultConcurrency())
}
