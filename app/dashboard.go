package app

import (
	"fmt"
	"image/color"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// dashboardView shows every store at once: token health, next scheduled run,
// the last run's result and a small chart of recent runs. An agency sees at
// a glance which store needs them.
type dashboardView struct {
	onOpen  func(id string)
	onRun   func(group string) // "" runs every store's schedules
	stores  []workspace.StoreSummary
	rows    *fyne.Container
	summary *widget.Label
	which   *widget.Select // all stores, or one agency client (hidden without clients)
	runAll  *widget.Button
	content fyne.CanvasObject
}

// allStores is the "which stores" choice that means every one.
const allStores = "All stores"

func newDashboardView(onOpen func(string), onRun func(group string)) *dashboardView {
	v := &dashboardView{onOpen: onOpen, onRun: onRun}
	v.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.which = widget.NewSelect([]string{allStores}, nil)
	v.which.SetSelected(allStores)
	v.which.Hide()
	v.runAll = widget.NewButtonWithIcon("Run schedules now", theme.MediaPlayIcon(), func() {
		group := v.which.Selected
		if group == allStores {
			group = ""
		}
		v.onRun(group)
	})
	v.rows = container.NewVBox()
	head := container.NewBorder(nil, nil, nil, container.NewHBox(v.which, v.runAll), v.summary)
	v.content = container.NewBorder(container.NewVBox(container.NewPadded(head), v.columnHeadings()), nil, nil, nil,
		container.NewVScroll(v.rows))
	return v
}

// row is one store's card: badge, name and shop; health; schedule; last run; chart.
func (v *dashboardView) row(s workspace.StoreSummary) fyne.CanvasObject {
	badge := newHealthBadge(s.Health)
	name := widget.NewLabelWithStyle(s.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	group := s.Shop
	if s.Group != "" {
		group = s.Group + " · " + s.Shop
	}
	shop := widget.NewLabel(group)
	shop.SizeName = theme.SizeNameCaptionText
	shop.Truncation = fyne.TextTruncateEllipsis
	health := widget.NewLabel(s.ConnectionText) // the token's health; the run is the next column's
	health.Wrapping = fyne.TextWrapWord
	next := "No schedule"
	if !s.NextRun.IsZero() {
		next = "Next run " + s.NextRun.Local().Format("Mon 15:04 MST") // schedules may be in other zones: say which this is
	}
	last := widget.NewLabel(lastRunText(s.LastRun))
	last.Wrapping = fyne.TextWrapWord
	if s.LastRun != nil && outcomeOf(*s.LastRun).needsLook() {
		last.Importance = outcomeOf(*s.LastRun).importance()
	}
	open := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { v.onOpen(s.ID) })
	info := container.NewGridWithColumns(4,
		container.NewVBox(name, shop),
		health,
		container.NewVBox(widget.NewLabel(next), last),
		newRunChart(s.Recent),
	)
	return container.NewVBox(container.NewBorder(nil, nil, badge, open, info), widget.NewSeparator())
}

func lastRunText(r *workspace.RunSummary) string {
	if r == nil {
		return "Never synced"
	}
	return r.Started.Local().Format("2 Jan 15:04") + " · " + outcomeLine(*r)
}

func (v *dashboardView) setStores(stores []workspace.StoreSummary) {
	v.stores = stores
	attention := 0
	v.rows.Objects = v.rows.Objects[:0]
	for _, s := range stores {
		if storeNeedsLook(s) {
			attention++
		}
		v.rows.Objects = append(v.rows.Objects, v.row(s))
	}
	text := plural(len(stores), "store")
	if attention > 0 {
		text += " · " + needAttention(attention)
	} else {
		text += " · all in order"
	}
	v.summary.SetText(text + " · updated " + time.Now().Format("15:04"))
	v.rows.Refresh()
	v.setGroups(stores)
}

// setGroups offers "All stores" and each agency client, when there are any.
func (v *dashboardView) setGroups(stores []workspace.StoreSummary) {
	options := []string{allStores}
	seen := map[string]bool{}
	for _, s := range stores {
		if s.Group != "" && !seen[s.Group] {
			seen[s.Group] = true
			options = append(options, s.Group)
		}
	}
	sort.Strings(options[1:])
	v.which.SetOptions(options)
	if !seen[v.which.Selected] {
		v.which.SetSelected(allStores)
	}
	v.which.Hidden = len(options) == 1
	v.which.Refresh()
}

// plural writes "1 store", "3 stores".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// runEventsText sums up scheduled runs for the status bar.
func runEventsText(events []workspace.RunEvent) string {
	if len(events) == 0 {
		return "No schedules to run: add one in a store's Schedule tab."
	}
	failed := 0
	for _, ev := range events {
		if ev.Err != nil || ev.Held || outcomeOf(ev.Run).needsLook() {
			failed++
		}
	}
	if failed == 0 {
		return fmt.Sprintf("%s finished.", plural(len(events), "run"))
	}
	return fmt.Sprintf("%s finished, %s.", plural(len(events), "run"), needAttention(failed))
}

// storeNeedsLook: the store's badge or its last run is amber or red, so the
// dashboard's header never says "all in order" beside it.
func storeNeedsLook(s workspace.StoreSummary) bool {
	switch s.Health {
	case workspace.HealthHealthy, workspace.HealthUnknown, workspace.HealthSyncing:
	default:
		return true
	}
	return s.LastRun != nil && outcomeOf(*s.LastRun).needsLook()
}

// columnHeadings names the rows' four columns, laid out like a row (the
// badge on the left, the open button on the right), with the chart's legend.
func (v *dashboardView) columnHeadings() fyne.CanvasObject {
	head := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	left := canvas.NewRectangle(color.Transparent)
	left.SetMinSize(fyne.NewSize(badgeSize, 0))
	right := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), nil) // the open button's width, invisible
	right.Importance = widget.LowImportance
	right.Disable()
	spacer := container.NewStack(canvas.NewRectangle(color.Transparent))
	spacer.Objects[0].(*canvas.Rectangle).SetMinSize(right.MinSize())
	grid := container.NewGridWithColumns(4, head("Store"), head("Connection"), head("Schedule and last run"), head("Recent runs"))
	return container.NewVBox(container.NewBorder(nil, nil, left, spacer, grid),
		container.NewHBox(layoutSpacer(), chartLegend()), widget.NewSeparator())
}

// needAttention is "1 needs attention", "3 need attention".
func needAttention(n int) string {
	if n == 1 {
		return "1 needs attention"
	}
	return fmt.Sprintf("%d need attention", n)
}
