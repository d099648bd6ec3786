package app

import (
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// Chart geometry: small enough for a dashboard row.
const (
	chartHeight   = 48
	chartMaxBars  = 30
	chartBarWidth = 14
	chartGap      = 4
)

// runChart is a small bar chart of recent runs, oldest on the left: each
// bar is the run's changes (created + updated) with its failures (errors +
// conflicts) stacked on top in the error colour.
type runChart struct {
	widget.BaseWidget
	runs []workspace.RunSummary // oldest first, at most chartMaxBars
}

// newRunChart draws runs (in any order) as a bar chart of a fixed small height.
func newRunChart(runs []workspace.RunSummary) fyne.CanvasObject {
	sorted := append([]workspace.RunSummary(nil), runs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Started.Before(sorted[j].Started) })
	if len(sorted) > chartMaxBars {
		sorted = sorted[len(sorted)-chartMaxBars:]
	}
	c := &runChart{runs: sorted}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *runChart) CreateRenderer() fyne.WidgetRenderer {
	r := &runChartRenderer{chart: c, base: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))}
	r.objects = append(r.objects, r.base)
	for range c.runs {
		ch := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		fl := canvas.NewRectangle(theme.Color(theme.ColorNameError))
		r.changes = append(r.changes, ch)
		r.failures = append(r.failures, fl)
		r.objects = append(r.objects, ch, fl)
	}
	return r
}

type runChartRenderer struct {
	chart    *runChart
	base     *canvas.Rectangle
	changes  []*canvas.Rectangle
	failures []*canvas.Rectangle
	objects  []fyne.CanvasObject
}

func runChanges(r workspace.RunSummary) int  { return r.Created + r.Updated }
func runFailures(r workspace.RunSummary) int { return r.Errors + r.Conflicts }

func (r *runChartRenderer) Layout(size fyne.Size) {
	r.base.Move(fyne.NewPos(0, size.Height-1))
	r.base.Resize(fyne.NewSize(size.Width, 1))
	peak := 0
	for _, run := range r.chart.runs {
		peak = max(peak, runChanges(run)+runFailures(run))
	}
	n := len(r.chart.runs)
	if n == 0 || peak == 0 {
		for i := range r.changes {
			r.changes[i].Resize(fyne.Size{})
			r.failures[i].Resize(fyne.Size{})
		}
		return
	}
	slot := size.Width / float32(n)
	w := min(float32(chartBarWidth), slot-chartGap)
	usable := size.Height - 1
	for i, run := range r.chart.runs {
		x := float32(i)*slot + (slot-w)/2
		hc := usable * float32(runChanges(run)) / float32(peak)
		hf := usable * float32(runFailures(run)) / float32(peak)
		r.changes[i].Move(fyne.NewPos(x, usable-hc))
		r.changes[i].Resize(fyne.NewSize(w, hc))
		r.failures[i].Move(fyne.NewPos(x, usable-hc-hf))
		r.failures[i].Resize(fyne.NewSize(w, hf))
	}
}

func (r *runChartRenderer) MinSize() fyne.Size {
	n := max(len(r.chart.runs), 4)
	return fyne.NewSize(float32(n*(chartBarWidth/2+chartGap)), chartHeight)
}

func (r *runChartRenderer) Refresh() {
	r.base.FillColor = theme.Color(theme.ColorNameSeparator)
	for i := range r.changes {
		r.changes[i].FillColor = theme.Color(theme.ColorNamePrimary)
		r.failures[i].FillColor = theme.Color(theme.ColorNameError)
	}
	r.Layout(r.chart.Size())
	canvas.Refresh(r.chart)
}

func (r *runChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *runChartRenderer) Destroy()                     {}
