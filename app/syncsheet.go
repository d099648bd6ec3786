package app

import (
	"encoding/json"

	"fyne.io/fyne/v2"

	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// What the Sync tab learns of a sheet before its preview (InspectSheet):
// whether to ask for a location, and whether its saved columns make blank
// cells clear their field.

const (
	clearsText      = "Blank cells clear their field"
	clearsSavedText = "Blank cells clear their field (saved with this sheet's columns)"
)

// inspectSheet asks, off the UI goroutine, where the chosen sheet's
// quantities go and whether its mapping clears blank cells. A later choice
// (another sheet, other columns) replaces an answer still on its way.
func (v *syncView) inspectSheet() {
	src := v.source
	// Manual: what is read now is kept for the preview that follows.
	req := workspace.SyncRequest{StoreID: v.storeID, Source: src, Mapping: v.mapping, Trigger: "manual"}
	v.inspectGen++
	gen := v.inspectGen
	go func() {
		info, err := v.backend.InspectSheet(v.ctx, req)
		fyne.Do(func() {
			defer v.done("sheet")
			if gen != v.inspectGen || src != v.source {
				return
			}
			if err != nil {
				// The preview reports what is wrong with the sheet; until
				// then the picker stays, and the engine says whether it is needed.
				return
			}
			v.sheet = &info
			v.showStock()
			v.showSheetClears()
		})
	}()
}

// afterShow starts what waits for the tab to be on screen: inspecting a
// restored sheet. Background work is started last, as in tests fyne.Do runs
// on the worker, beside whatever the callback does after starting it.
func (v *syncView) afterShow() {
	if v.inspectAfterShow {
		v.inspectAfterShow = false
		v.inspectSheet()
	}
}

// useSheetMapping shows what the mapping chosen in the column editor says
// of the sheet: the same as InspectSheet would, without asking.
func (v *syncView) useSheetMapping(mapping []byte) {
	var m source.Mapping
	if err := json.Unmarshal(mapping, &m); err != nil {
		v.inspectSheet() // the preview will say what is wrong with it
		return
	}
	v.inspectGen++ // an answer on its way is about the columns before these
	info := workspace.SheetInfoOf(&m, mapping)
	v.sheet = &info
	v.showStock()
	v.showSheetClears()
}

// forgetSheet drops what was learnt of the previous sheet: the picker is
// offered until the new one is inspected, and a tick that came from the
// previous sheet's columns goes with them.
func (v *syncView) forgetSheet() {
	v.inspectGen++
	v.sheet = nil
	v.showStock()
	if v.clearsFromSheet {
		v.clearsFromSheet = false
		v.blankClears.Checked = false // not SetChecked: that would rewrite the new sheet's mapping
		v.blankClears.Refresh()
	}
	v.blankClears.SetText(clearsText)
}

// needsLocation tells whether the sheet's quantities wait for the picker.
func (v *syncView) needsLocation() bool { return v.sheet.NeedsLocation() }

// showStock offers the location picker only when the sheet needs one, and
// otherwise says in one line where the quantities go.
func (v *syncView) showStock() {
	if v.needsLocation() {
		v.stockNote.Hide()
		v.stockLabel.Show()
		v.location.Show()
	} else {
		v.stockLabel.Hide()
		v.location.Hide()
		v.stockNote.SetText(v.sheet.StockText)
		v.stockNote.Show()
	}
	v.options.Refresh()
}

// showSheetClears makes "Blank cells clear their field" show what the
// sheet's saved columns do: ticked, and saying so, when they clear blanks.
func (v *syncView) showSheetClears() {
	if v.sheet == nil || !v.sheet.BlankClears {
		v.blankClears.SetText(clearsText)
		return
	}
	v.blankClears.SetText(clearsSavedText)
	if !v.blankClears.Checked {
		v.blankClears.Checked = true // as the sheet's columns are: no option changed
		v.clearsFromSheet = true
		v.blankClears.Refresh()
	}
	v.options.Refresh()
}

// onBlankClears follows "Blank cells clear their field". Ticked, blank
// cells clear for this run (SyncRequest.BlankClears). Unticked, they clear
// nothing, also where the sheet's saved columns said they do: the mapping
// goes to the preview without blankClears and is saved so, for the next
// run and the schedule too (a merchant who unticks it expects blanks never
// to delete a value again, not only this once).
func (v *syncView) onBlankClears(on bool) {
	v.clearsFromSheet = false
	if !on {
		switch {
		case v.mapping != nil:
			v.mapping = withoutBlankClears(v.mapping)
		case v.sheet != nil && v.sheet.BlankClears:
			v.mapping = withoutBlankClears(v.sheet.Mapping)
		}
		if v.sheet != nil && v.sheet.BlankClears {
			v.sheet.BlankClears = false
			v.blankClears.SetText(clearsText)
			v.options.Refresh()
			v.optionsChanged()
			v.planStatus.SetText("Blank cells will leave their fields alone: this sheet's saved columns change when you press Preview.")
			return
		}
	}
	v.optionsChanged()
}
