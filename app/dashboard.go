package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// dashboardView shows every store at once: token health, next scheduled run
// and the last run's result.
type dashboardView struct {
	onOpen  func(id string)
	stores  []workspace.StoreSummary
	list    *widget.List
	summary *widget.Label
	content fyne.CanvasObject
}

func newDashboardView(onOpen func(string)) *dashboardView {
	v := &dashboardView{onOpen: onOpen}
	v.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.list = &widget.List{
		Length:     func() int { return len(v.stores) },
		CreateItem: v.createRow,
		UpdateItem: v.updateRow,
		OnSelected: func(i widget.ListItemID) {
			v.list.Unselect(i)
			if i >= 0 && i < len(v.stores) {
				v.onOpen(v.stores[i].ID)
			}
		},
	}
	v.content = container.NewBorder(container.NewPadded(v.summary), nil, nil, nil, v.list)
	return v
}

func (v *dashboardView) createRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	health := widget.NewLabel("")
	next := widget.NewLabel("")
	last := widget.NewLabel("")
	return container.NewBorder(nil, nil, badgeBox(newBadge()), nil,
		container.NewGridWithColumns(4, name, health, next, last))
}

func (v *dashboardView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	s := v.stores[i]
	c := o.(*fyne.Container)
	grid := c.Objects[0].(*fyne.Container)
	badge := c.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container).Objects[0].(*canvas.Circle)
	badge.FillColor = healthColor(s.Health)
	badge.Refresh()
	grid.Objects[0].(*widget.Label).SetText(s.Name)
	grid.Objects[1].(*widget.Label).SetText(s.HealthText)
	next := "no schedule"
	if !s.NextRun.IsZero() {
		next = "next run " + s.NextRun.Local().Format("Mon 15:04")
	}
	grid.Objects[2].(*widget.Label).SetText(next)
	grid.Objects[3].(*widget.Label).SetText(lastRunText(s.LastRun))
}

func lastRunText(r *workspace.RunSummary) string {
	if r == nil {
		return "never synced"
	}
	when := r.Started.Local().Format("2 Jan 15:04")
	if r.Failed() {
		return fmt.Sprintf("%s: %s (%d errors)", when, r.State, r.Errors+r.Conflicts)
	}
	return fmt.Sprintf("%s: %d created, %d updated", when, r.Created, r.Updated)
}

func (v *dashboardView) setStores(stores []workspace.StoreSummary) {
	v.stores = stores
	attention := 0
	for _, s := range stores {
		if s.Health == workspace.HealthAttention || s.Health == workspace.HealthOffline {
			attention++
		}
	}
	text := plural(len(stores), "store")
	if attention > 0 {
		text += fmt.Sprintf(" · %d need attention", attention)
	} else {
		text += " · all healthy"
	}
	v.summary.SetText(text + " · " + time.Now().Format("15:04"))
	v.list.Refresh()
}

// plural writes "1 store", "3 stores".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
