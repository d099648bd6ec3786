package app

import (
	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// syncMemory is what a store's Sync tab was showing: the sheet, its
// options and its preview. The window keeps one per store, so a visit to
// another store (which rebuilds the tabs) does not lose them.
type syncMemory struct {
	source, url, location string
	mapping               []byte
	archive               bool
	blankClears           bool
	clearsFromSheet       bool // the tick came from the sheet's saved columns
	plan                  *catalogsync.Plan
	status                string
}

// remember captures the tab's state; nothing when no sheet was chosen.
func (v *syncView) remember() *syncMemory {
	if v.source == "" && v.url.Text == "" {
		return nil
	}
	return &syncMemory{source: v.source, url: v.url.Text, location: v.location.Selected, mapping: v.mapping,
		archive: v.archive.Checked, blankClears: v.blankClears.Checked, clearsFromSheet: v.clearsFromSheet, plan: v.plan, status: v.planStatus.Text}
}

// restore puts a remembered state back. The location can only be chosen
// once the store's locations are known, so the rest waits for that
// (restoreAfterLocations), as choosing it would clear the preview.
func (v *syncView) restore(m *syncMemory) {
	if m == nil {
		return
	}
	v.url.SetText(m.url)
	if m.source != "" {
		v.chooseSource(m.source)
	}
	v.mapping = m.mapping
	v.pending = m
}

// restoreAfterLocations finishes restore once the locations are offered.
func (v *syncView) restoreAfterLocations() {
	m := v.pending
	if m == nil {
		return
	}
	v.pending = nil
	for _, name := range v.location.Options {
		if name == m.location {
			v.location.SetSelected(name)
		}
	}
	v.archive.SetChecked(m.archive)
	v.blankClears.SetChecked(m.blankClears) // unticked, it changes nothing: the sheet is not inspected yet
	v.clearsFromSheet = m.clearsFromSheet
	if m.plan != nil {
		v.plan = m.plan
		v.preview.setPlan(m.plan)
		v.planStatus.SetText(m.status)
		v.updateApply()
	}
	v.inspectAfterShow = m.source != "" // under the remembered columns, once the tabs are shown

}
