package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"

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
	case workspace.HealthExpiring, workspace.HealthOffline:
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
	case workspace.HealthAttention:
		return "Needs attention"
	case workspace.HealthSyncing:
		return "Syncing"
	default:
		return "Not checked"
	}
}

// newBadge is a small filled circle in the health colour.
func newBadge() *canvas.Circle {
	c := canvas.NewCircle(color.Transparent)
	return c
}

// badgeBox centres a badge of a fixed size so rows line up.
func badgeBox(c *canvas.Circle) fyne.CanvasObject {
	sz := fyne.NewSize(12, 12)
	c.Resize(sz)
	return container.NewCenter(container.NewGridWrap(sz, c))
}

// layoutSpacer pushes the following objects to the end of an HBox.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
