package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// The products Shopify's daily variant limit leaves for tomorrow are created by the next
// day's scheduled run, with nothing to do by hand: they are still not in the store, so it plans
// them again. The first run's history says what waits and why. The demo store (Grow) is made
// "past the threshold" by lowering it to its own size, with 2 new variants a day.
func TestScheduledRunCreatesWhatWaited(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	clock := time.Now
	w, s := demoWorkspace(t, func() time.Time { return clock() })
	clock = w.demo.Server.Now // the shop's day and the workspace's are one
	sh := w.demo.Shop
	have := 0
	for _, p := range sh.Snapshot() {
		have += len(p.Variants)
	}
	sh.SetVariantLimit(have, 2)
	w.dayLimit = catalogsync.DayLimit{Threshold: have, PerDay: 2}

	sheet := filepath.Join(t.TempDir(), "new.csv")
	if err := os.WriteFile(sheet, []byte("Handle,Title,Variant SKU,Variant Price\n"+
		"new-1,New 1,N-1,3.00\nnew-2,New 2,N-2,3.00\nnew-3,New 3,N-3,3.00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := w.ReadSource(ctx, SyncRequest{StoreID: s.ID, Source: sheet}); err != nil {
		t.Fatal(err)
	}
	next := clock().UTC().Add(2 * time.Hour)
	sc, err := w.SetSchedule(ctx, ScheduleRequest{StoreID: s.ID, Source: sheet, Spec: "daily " + next.Format("15:04"), TimeZone: "UTC", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}

	ev := w.RunSchedule(ctx, sc.ID, true) // "Run now"
	const waits = "1 product (1 variant) wait for tomorrow: Shopify allows non-Plus stores past"
	if ev.Err != nil || ev.Run.Created != 2 || !strings.Contains(ev.Run.Message, waits) ||
		!strings.Contains(ev.Run.Message, "tomorrow's scheduled run") {
		t.Fatalf("first run: %+v", ev)
	}
	hist, err := w.History(ctx, s.ID)
	if err != nil || len(hist) == 0 || !strings.Contains(hist[0].Message, waits) {
		t.Fatalf("history does not say what waits: %+v %v", hist, err)
	}

	w.demo.Server.Advance(26 * time.Hour) // the next day, past the schedule's time
	events := w.RunDue(ctx)
	if len(events) != 1 || events[0].Err != nil || events[0].Run.Created != 1 || strings.Contains(events[0].Run.Message, "wait for tomorrow") {
		t.Fatalf("the next day's scheduled run: %+v", events)
	}
	created := map[string]bool{}
	for _, p := range sh.Snapshot() {
		created[p.Handle] = true
	}
	if !created["new-1"] || !created["new-2"] || !created["new-3"] {
		t.Fatalf("store after two days: %v", created)
	}
}
