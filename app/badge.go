package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// healthColor maps a store's health to the colour of its badge. The colours
// come from the theme so they read well in light and dark mode.
func healthColor(h workspace.Health) color.Color {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := fyne.CurrentApp().Settings().Theme()
	switch h {
	case workspace.HealthHealthy:
		return th.Color(theme.ColorNameSuccess, v)
	case workspace.HealthExpiring, workspace.HealthOffline, workspace.HealthRowErrors:
		return th.Color(theme.ColorNameWarning, v)
	case workspace.HealthAttention:
		return th.Color(theme.ColorNameError, v)
	case workspace.HealthSyncing:
		return th.Color(theme.ColorNamePrimary, v)
	default:
		return th.Color(theme.ColorNameDisabled, v)
	}
}

// healthLabel is the word shown beside the badge.
func healthLabel(h workspace.Health) string {
	switch h {
	case workspace.HealthHealthy:
		return "Healthy"
	case workspace.HealthExpiring:
		return "Expiring"
	case workspace.HealthOffline:
		return "Offline"
	case workspace.HealthRowErrors:
		return "Row errors"
	case workspace.HealthAttention:
		return "Needs attention"
	case workspace.HealthSyncing:
		return "Syncing"
	default:
		return "Not checked"
	}
}

// healthBadge is a small filled circle in the colour of a store's health.
// It picks the colour when it renders, so it follows theme changes.
type healthBadge struct {
	widget.BaseWidget
	health workspace.Health
}

func newHealthBadge(h workspace.Health) *healthBadge {
	b := &healthBadge{health: h}
	b.ExtendBaseWidget(b)
	return b
}

// setHealth changes the badge's health and redraws it.
func (b *healthBadge) setHealth(h workspace.Health) {
	b.health = h
	b.Refresh()
}

func (b *healthBadge) CreateRenderer() fyne.WidgetRenderer {
	c := canvas.NewCircle(healthColor(b.health))
	return &badgeRenderer{badge: b, circle: c}
}

type badgeRenderer struct {
	badge  *healthBadge
	circle *canvas.Circle
}

const badgeSize = 12

func (r *badgeRenderer) Layout(size fyne.Size) {
	d := fyne.Min(badgeSize, fyne.Min(size.Width, size.Height))
	r.circle.Resize(fyne.NewSize(d, d))
	r.circle.Move(fyne.NewPos((size.Width-d)/2, (size.Height-d)/2))
}

func (r *badgeRenderer) MinSize() fyne.Size { return fyne.NewSize(badgeSize, badgeSize) }

func (r *badgeRenderer) Refresh() {
	r.circle.FillColor = healthColor(r.badge.health)
	r.circle.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.circle} }

func (r *badgeRenderer) Destroy() {}

// layoutSpacer pushes the following objects to the end of an HBox.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// newBadge is a plain circle for rows that colour it themselves.
func newBadge() *canvas.Circle { return canvas.NewCircle(color.Transparent) }

// badgeBox centres a badge of a fixed size so rows line up.
func badgeBox(c *canvas.Circle) fyne.CanvasObject {
	sz := fyne.NewSize(badgeSize, badgeSize)
	c.Resize(sz)
	return container.NewCenter(container.NewGridWrap(sz, c))
}
