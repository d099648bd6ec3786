package state

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"
)

// storeWithSource makes a store and a saved source for it.
func storeWithSource(t *testing.T, d *DB, domain string) (Store, Source) {
	t.Helper()
	s := mustStore(t, d, domain)
	src, err := d.SaveSource(context.Background(), Source{StoreID: s.ID, Location: "/" + domain + ".csv"})
	if err != nil {
		t.Fatal(err)
	}
	return s, src
}

func TestScheduleCRUD(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s, src := storeWithSource(t, d, "sch.myshopify.com")
	next := time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
	in := Schedule{StoreID: s.ID, SourceID: src.ID, Kind: SpecDaily, Spec: "07:00",
		TimeZone: "Europe/Paris", Enabled: true, CatchUp: "once", NextRunAt: next}
	sch, err := d.CreateSchedule(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.GetSchedule(ctx, sch.ID)
	if err != nil || !reflect.DeepEqual(got, sch) {
		t.Fatalf("GetSchedule = %+v, %v; want %+v", got, err, sch)
	}
	sch.Kind, sch.Spec, sch.Enabled, sch.LastRunAt = SpecCron, "0 */6 * * *", false, next
	if err := d.UpdateSchedule(ctx, sch); err != nil {
		t.Fatal(err)
	}
	got, _ = d.GetSchedule(ctx, sch.ID)
	if got.Kind != SpecCron || got.Spec != "0 */6 * * *" || got.Enabled || !got.LastRunAt.Equal(next) {
		t.Errorf("after UpdateSchedule: %+v", got)
	}
	if err := d.SetSchedulePaused(ctx, sch.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.GetSchedule(ctx, sch.ID); !got.Paused {
		t.Error("SetSchedulePaused(true) did not pause")
	}
	if _, err := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: src.ID, Kind: "weekly", Spec: "x"}); err == nil {
		t.Error("unknown spec kind accepted")
	}
	if _, err := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: "missing", Kind: SpecDaily, Spec: "x"}); err == nil {
		t.Error("schedule for a missing source accepted")
	}

	for name, err := range map[string]error{
		"UpdateSchedule":    d.UpdateSchedule(ctx, Schedule{ID: "missing", SourceID: src.ID, Kind: SpecDaily}),
		"SetSchedulePaused": d.SetSchedulePaused(ctx, "missing", true),
		"DeleteSchedule":    d.DeleteSchedule(ctx, "missing"),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s(missing) = %v, want ErrNotFound", name, err)
		}
	}
	if _, err := d.GetSchedule(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetSchedule(missing) = %v", err)
	}
	if err := d.DeleteSchedule(ctx, sch.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.GetSchedule(ctx, sch.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("schedule still there after delete: %v", err)
	}
}

func TestListAndDueSchedules(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	a, srcA := storeWithSource(t, d, "a.myshopify.com")
	b, srcB := storeWithSource(t, d, "b.myshopify.com")
	t0 := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	mk := func(s Store, src Source, next time.Time, enabled, paused bool) Schedule {
		sch, err := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: src.ID, Kind: SpecInterval,
			Spec: "1h", Enabled: enabled, Paused: paused, NextRunAt: next})
		if err != nil {
			t.Fatal(err)
		}
		return sch
	}
	dueLate := mk(a, srcA, t0.Add(-time.Minute), true, false)
	dueEarly := mk(b, srcB, t0.Add(-time.Hour), true, false)
	dueNow := mk(b, srcB, t0, true, false)
	mk(a, srcA, t0.Add(time.Minute), true, false) // future
	mk(a, srcA, t0.Add(-time.Hour), false, false) // disabled
	mk(a, srcA, t0.Add(-time.Hour), true, true)   // paused
	mk(a, srcA, time.Time{}, true, false)         // never computed

	due, err := d.DueSchedules(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range due {
		got = append(got, s.ID)
	}
	if want := []string{dueEarly.ID, dueLate.ID, dueNow.ID}; !reflect.DeepEqual(got, want) {
		t.Errorf("DueSchedules = %v, want %v", got, want)
	}
	all, _ := d.ListSchedules(ctx, "")
	onlyB, _ := d.ListSchedules(ctx, b.ID)
	if len(all) != 7 || len(onlyB) != 2 || onlyB[0].ID != dueEarly.ID {
		t.Errorf("ListSchedules: all %d, b %d", len(all), len(onlyB))
	}
}

// TestAdvanceScheduleClaimsOnce has many goroutines on two handles race to
// run the same due schedule: exactly one may win.
func TestAdvanceScheduleClaimsOnce(t *testing.T) {
	d := openTest(t)
	d2, err := Open(d.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer d2.Close()
	ctx := context.Background()
	s, src := storeWithSource(t, d, "cas.myshopify.com")
	due := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	sch, err := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: src.ID, Kind: SpecInterval, Spec: "1h", Enabled: true, NextRunAt: due})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := 0; i < 8; i++ {
		h := d
		if i%2 == 1 {
			h = d2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := h.AdvanceSchedule(ctx, sch.ID, due, due.Add(time.Second), due.Add(time.Hour))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d goroutines claimed the schedule, want 1", wins)
	}
	got, _ := d.GetSchedule(ctx, sch.ID)
	if !got.NextRunAt.Equal(due.Add(time.Hour)) || !got.LastRunAt.Equal(due.Add(time.Second)) {
		t.Errorf("after advance: last %v next %v", got.LastRunAt, got.NextRunAt)
	}
	if _, err := d.AdvanceSchedule(ctx, "missing", due, due, due); !errors.Is(err, ErrNotFound) {
		t.Errorf("AdvanceSchedule(missing) = %v", err)
	}
	// A schedule whose next run was never computed can be claimed from zero.
	fresh, _ := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: src.ID, Kind: SpecInterval, Spec: "1h", Enabled: true})
	if ok, err := d.AdvanceSchedule(ctx, fresh.ID, time.Time{}, time.Time{}, due); !ok || err != nil {
		t.Errorf("AdvanceSchedule from zero = %v, %v", ok, err)
	}
}
