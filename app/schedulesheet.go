package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// What the Schedule tab learns of the sheet in its form, as the Sync tab
// does (syncsheet.go): a sheet that names its stock locations (Shopify's
// inventory CSV, a column per location) is not asked for one, and none is
// saved with it.

const (
	stockPickText = "Stock in the sheet is for" // beside the location picker
	stockSaysText = "Stock"                     // beside where the sheet says the quantities go
)

// onSourceChanged follows the Sheet field: what was learnt of the previous
// sheet goes. A sheet typed or pasted (the field has the focus) is asked
// about as it changes; one set by the tab (a schedule picked, Browse…) is
// asked about once set, and the Sync tab's offer when the tab is shown.
func (v *scheduleView) onSourceChanged(string) {
	v.forgetSheet()
	if v.win.Canvas().Focused() == v.source {
		v.inspectSheet()
	}
}

// inspectSheet asks, off the UI goroutine, where the quantities of the
// sheet in the form go under the columns saved for it, unless that is
// known or on its way. Typed key by key, each question cancels the one
// before. It starts background work: call it last.
func (v *scheduleView) inspectSheet() {
	src := strings.TrimSpace(v.source.Text)
	if v.sheet != nil || v.stopInspect != nil || validateScheduleSource(src) != nil {
		return // known, on its way, or not a sheet yet (the field says why)
	}
	ctx, cancel := context.WithCancel(v.ctx)
	v.stopInspect = cancel
	gen := v.inspectGen
	// No trigger: the sheet is read anew and kept for no preview (what the
	// workspace keeps is the Sync tab's sheet, for its Preview).
	req := workspace.SyncRequest{StoreID: v.storeID, Source: src}
	go func() {
		info, err := v.backend.InspectSheet(ctx, req)
		cancel()
		fyne.Do(func() {
			defer v.done("schedule-sheet")
			if gen != v.inspectGen {
				return // another sheet since
			}
			v.stopInspect = nil
			if err != nil {
				// The runs will say what is wrong with the sheet; until
				// then the picker stays, and showing the tab asks again.
				return
			}
			v.sheet = &info
			v.showStock()
		})
	}()
}

// forgetSheet drops what was learnt of the previous sheet: the picker is
// offered until the new one is inspected.
func (v *scheduleView) forgetSheet() {
	v.inspectGen++
	if v.stopInspect != nil {
		v.stopInspect()
		v.stopInspect = nil
	}
	v.sheet = nil
	v.showStock()
}

// needsLocation tells whether the sheet's quantities wait for a picked
// location (a sheet not yet inspected: its runs use the one saved with it).
func (v *scheduleView) needsLocation() bool { return v.sheet.NeedsLocation() }

// locationID is the location saved with the schedule's sheet: the picked
// one, or none for a sheet that names its own.
func (v *scheduleView) locationID() string {
	if !v.needsLocation() {
		return ""
	}
	return v.locIDs[v.location.Selected]
}

// showStock offers the picker when the sheet needs a location and the store
// has several, and otherwise says in one line where the quantities go. Only
// what changes is touched (Show and Hide do nothing when already so): most
// answers change nothing on screen.
func (v *scheduleView) showStock() {
	picker := v.needsLocation()
	if picker && len(v.location.Options) > 1 {
		v.location.Show()
	} else {
		v.location.Hide()
	}
	label := stockPickText
	if picker {
		v.stockNote.Hide()
	} else {
		label = stockSaysText
		if v.stockNote.Text != v.sheet.StockText {
			v.stockNote.SetText(v.sheet.StockText)
		}
		v.stockNote.Show()
	}
	if v.stockItem.Text != label {
		v.stockItem.Text = label
		v.form.Refresh() // the row's label, and its height with the note
	}
}
