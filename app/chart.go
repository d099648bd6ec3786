package app

import (
	"sort"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
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
// bar is the run's changes (created + updated) with its row errors (errors +
// conflicts) stacked on top, amber (red when the run stopped). A thin axis
// on the left carries the scale: the peak at the top, 0 at the bottom.
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
	r := &runChartRenderer{chart: c, base: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator)),
		axis: canvas.NewRectangle(theme.Color(theme.ColorNameSeparator)),
		top:  axisText(""), zero: axisText("0")}
	r.objects = append(r.objects, r.base, r.axis, r.top, r.zero)
	for _, run := range c.runs {
		ch := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
		fl := canvas.NewRectangle(outcomeOf(run).failureColor())
		r.changes = append(r.changes, ch)
		r.failures = append(r.failures, fl)
		r.objects = append(r.objects, ch, fl)
	}
	return r
}

type runChartRenderer struct {
	chart    *runChart
	base     *canvas.Rectangle
	axis     *canvas.Rectangle
	top      *canvas.Text // the peak value
	zero     *canvas.Text
	changes  []*canvas.Rectangle
	failures []*canvas.Rectangle
	objects  []fyne.CanvasObject
}

func runChanges(r workspace.RunSummary) int  { return r.Created + r.Updated }
func runFailures(r workspace.RunSummary) int { return r.Errors + r.Conflicts }

// axisWidth is the room the scale's numbers take on the left.
const axisWidth = 26

func axisText(s string) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNamePlaceHolder))
	t.TextSize = theme.CaptionTextSize()
	t.Alignment = fyne.TextAlignTrailing
	return t
}

func (r *runChartRenderer) Layout(full fyne.Size) {
	peak := 0
	for _, run := range r.chart.runs {
		peak = max(peak, runChanges(run)+runFailures(run))
	}
	r.top.Text = strconv.Itoa(peak)
	th := r.top.MinSize().Height
	r.top.Move(fyne.NewPos(0, -th/4))
	r.top.Resize(fyne.NewSize(axisWidth-4, th))
	r.zero.Move(fyne.NewPos(0, full.Height-th))
	r.zero.Resize(fyne.NewSize(axisWidth-4, th))
	r.axis.Move(fyne.NewPos(axisWidth, 0))
	r.axis.Resize(fyne.NewSize(1, full.Height))
	r.base.Move(fyne.NewPos(axisWidth, full.Height-1))
	r.base.Resize(fyne.NewSize(full.Width-axisWidth, 1))
	size := fyne.NewSize(full.Width-axisWidth-2, full.Height)
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
		x := axisWidth + 2 + float32(i)*slot + (slot-w)/2
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
	return fyne.NewSize(axisWidth+float32(n*(chartBarWidth/2+chartGap)), chartHeight)
}

func (r *runChartRenderer) Refresh() {
	r.base.FillColor = theme.Color(theme.ColorNameSeparator)
	r.axis.FillColor = theme.Color(theme.ColorNameSeparator)
	r.top.Color, r.zero.Color = theme.Color(theme.ColorNamePlaceHolder), theme.Color(theme.ColorNamePlaceHolder)
	for i := range r.changes {
		r.changes[i].FillColor = theme.Color(theme.ColorNamePrimary)
		r.failures[i].FillColor = outcomeOf(r.chart.runs[i]).failureColor()
	}
	r.Layout(r.chart.Size())
	canvas.Refresh(r.chart)
}

func (r *runChartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *runChartRenderer) Destroy()                     {}

// chartLegend explains the chart's colours, once above the column.
func chartLegend() fyne.CanvasObject {
	swatch := func(c fyne.ThemeColorName) fyne.CanvasObject { return container.NewCenter(newSwatch(c)) }
	text := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.SizeName = theme.SizeNameCaptionText
		return l
	}
	return container.NewHBox(swatch(theme.ColorNamePrimary), text("rows written"),
		swatch(theme.ColorNameWarning), text("row errors"), swatch(theme.ColorNameError), text("stopped"))
}

// swatch is a small square in a theme colour, recoloured when the theme changes.
type swatch struct {
	widget.BaseWidget
	name fyne.ThemeColorName
}

func newSwatch(name fyne.ThemeColorName) *swatch {
	s := &swatch{name: name}
	s.ExtendBaseWidget(s)
	return s
}

func (s *swatch) CreateRenderer() fyne.WidgetRenderer {
	r := canvas.NewRectangle(theme.Color(s.name))
	return &swatchRenderer{s: s, rect: r}
}

type swatchRenderer struct {
	s    *swatch
	rect *canvas.Rectangle
}

func (r *swatchRenderer) Layout(size fyne.Size)        { r.rect.Resize(size) }
func (r *swatchRenderer) MinSize() fyne.Size           { return fyne.NewSize(10, 10) }
func (r *swatchRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *swatchRenderer) Destroy()                     {}
func (r *swatchRenderer) Refresh() {
	r.rect.FillColor = theme.Color(r.s.name)
	r.rect.Refresh()
}
