package app

import (
	"context"
	gosync "sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// storeTabSet is the Sync, Schedule and History tabs of one store, with
// what the window needs to drive them.
type storeTabSet struct {
	sync        *syncView
	schedule    *scheduleView
	history     *historyView
	items       []*container.TabItem // Sync, Schedule, History
	scheduleTab *container.TabItem
	historyTab  *container.TabItem
	ctx         context.Context
	cancel      context.CancelFunc
}

// newStoreTabs builds the tabs for storeID and starts loading them. onChanged
// (on the UI goroutine) tells the window a run changed the store.
func newStoreTabs(b SyncBackend, w fyne.Window, storeID string, onChanged func()) *storeTabSet {
	t := buildStoreTabs(b, w, storeID, onChanged)
	t.load()
	return t
}

// buildStoreTabs builds the tabs without loading them (tests set hooks first).
func buildStoreTabs(b SyncBackend, w fyne.Window, storeID string, onChanged func()) *storeTabSet {
	ctx, cancel := context.WithCancel(context.Background())
	t := &storeTabSet{ctx: ctx, cancel: cancel}
	t.history = newHistoryView(ctx, b, w, storeID, onChanged)
	t.sync = newSyncView(ctx, b, w, storeID, func() {
		t.history.load() // the run just made is history now
		if onChanged != nil {
			onChanged()
		}
	})
	t.schedule = newScheduleView(ctx, b, w, storeID)
	t.schedule.onChanged = onChanged
	t.sync.onSource = t.schedule.offerSource
	t.scheduleTab = container.NewTabItemWithIcon("Schedule", theme.HistoryIcon(), t.schedule.content)
	t.historyTab = container.NewTabItemWithIcon("History", theme.ListIcon(), t.history.content)
	t.items = []*container.TabItem{
		container.NewTabItemWithIcon("Sync", theme.ViewRefreshIcon(), t.sync.content),
		t.scheduleTab,
		t.historyTab,
	}
	return t
}

// load fills the three tabs off the UI goroutine.
func (t *storeTabSet) load() {
	inBackground(t.fetch)
}

// fetch reads what the three tabs show, side by side, off the UI goroutine,
// and returns one function that shows it all (nil when the user left).
func (t *storeTabSet) fetch() func() {
	fetches := []func() func(){t.sync.fetchLocations, t.schedule.fetch, t.history.fetch}
	shows := make([]func(), len(fetches))
	var wg gosync.WaitGroup
	for i, fetch := range fetches {
		wg.Go(func() { shows[i] = fetch() })
	}
	wg.Wait()
	if t.ctx.Err() != nil {
		return nil // the user left the store: nothing to show
	}
	return func() {
		for _, show := range shows {
			show()
		}
		t.sync.afterShow()
	}
}

// onDropped hands a file dropped on the window to the Sync tab; pass it to
// fyne.Window.SetOnDropped while this store is shown.
func (t *storeTabSet) onDropped(pos fyne.Position, uris []fyne.URI) { t.sync.onDropped(pos, uris) }

// stop cancels every preview, run and load of these tabs.
func (t *storeTabSet) stop() {
	t.sync.stop()
	t.cancel()
}

// storeTabs returns the Sync, Schedule and History tabs for a store and a
// stop function that cancels their background work (call it when the user
// leaves the store). Use newStoreTabs to also route window drops.
func storeTabs(b SyncBackend, w fyne.Window, storeID string, onChanged func()) (tabs []*container.TabItem, stop func()) {
	t := newStoreTabs(b, w, storeID, onChanged)
	return t.items, t.stop
}
