package app

import (
	"context"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// storeRow is one line of the store list: a group header or a store.
type storeRow struct {
	header string
	store  workspace.StoreSummary
}

// storesView is the left column: every store grouped by agency client, each
// with its health badge, and "Connect a store" at the bottom.
type storesView struct {
	backend  Backend
	onSelect func(workspace.StoreSummary)
	onError  func(string, error)
	settled  settledFunc

	rows    []storeRow
	list    *widget.List
	connect *widget.Button
	content fyne.CanvasObject
}

func newStoresView(b Backend, onSelect func(workspace.StoreSummary), onConnect func(), onError func(string, error)) *storesView {
	v := &storesView{backend: b, onSelect: onSelect, onError: onError}
	v.list = &widget.List{
		Length:     func() int { return len(v.rows) },
		CreateItem: v.createRow,
		UpdateItem: v.updateRow,
		OnSelected: v.onSelected,
	}
	v.connect = widget.NewButtonWithIcon("Connect a store", theme.ContentAddIcon(), onConnect)
	v.connect.Importance = widget.HighImportance
	v.content = container.NewBorder(nil, container.NewPadded(v.connect), nil, nil, v.list)
	return v
}

func (v *storesView) createRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("Store name", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("shop.myshopify.com")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, newHealthBadge(workspace.HealthUnknown), nil, container.NewVBox(name, detail))
}

func (v *storesView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	row := v.rows[i]
	c := o.(*fyne.Container)
	texts := c.Objects[0].(*fyne.Container)
	name, detail := texts.Objects[0].(*widget.Label), texts.Objects[1].(*widget.Label)
	badge := c.Objects[1].(*healthBadge)
	if row.header != "" {
		name.SetText(row.header)
		detail.SetText("")
		detail.Hide()
		badge.Hide()
		return
	}
	s := row.store
	name.SetText(s.Name)
	detail.SetText(healthLabel(s.Health) + " · " + s.HealthText)
	detail.Show()
	badge.setHealth(s.Health)
	badge.Show()
}

func (v *storesView) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	if v.rows[i].header != "" {
		v.list.Unselect(i)
		return
	}
	v.onSelect(v.rows[i].store)
}

// refresh reloads the stores off the UI goroutine and calls done (on the UI
// goroutine) with them.
func (v *storesView) refresh(ctx context.Context, done func([]workspace.StoreSummary)) {
	go func() {
		stores, err := v.backend.Stores(ctx)
		fyne.Do(func() {
			defer v.settled.tell("stores")
			if err != nil {
				v.onError("Could not load your stores", err)
				return
			}
			v.setStores(stores)
			if done != nil {
				done(stores)
			}
		})
	}()
}

// setStores groups stores by agency client: ungrouped stores first, then
// each client in alphabetical order with a header.
func (v *storesView) setStores(stores []workspace.StoreSummary) {
	sorted := append([]workspace.StoreSummary(nil), stores...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Group != sorted[j].Group {
			return sorted[i].Group < sorted[j].Group
		}
		return sorted[i].Name < sorted[j].Name
	})
	v.rows = v.rows[:0]
	group := ""
	for _, s := range sorted {
		if s.Group != "" && s.Group != group {
			v.rows = append(v.rows, storeRow{header: s.Group})
		}
		group = s.Group
		v.rows = append(v.rows, storeRow{store: s})
	}
	v.list.UnselectAll()
	v.list.Refresh()
}

// selectStore highlights the store with the given ID, if listed.
func (v *storesView) selectStore(id string) {
	for i, r := range v.rows {
		if r.header == "" && r.store.ID == id {
			v.list.Select(i)
			return
		}
	}
}
