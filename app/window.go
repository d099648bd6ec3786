package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// mainWindow is the shell: the store list on the left, the selected store
// (or the dashboard) on the right.
type mainWindow struct {
	app     fyne.App
	win     fyne.Window
	version string

	connectButton *widget.Button
	demoButton    *widget.Button
	emptyState    *fyne.Container
}

func newMainWindow(a fyne.App, w fyne.Window, version string) *mainWindow {
	return &mainWindow{app: a, win: w, version: version}
}

func (m *mainWindow) build() fyne.CanvasObject {
	m.connectButton = widget.NewButtonWithIcon("Connect a store", theme.ContentAddIcon(), m.onConnect)
	m.connectButton.Importance = widget.HighImportance
	m.demoButton = widget.NewButtonWithIcon("Try the demo store", theme.MediaPlayIcon(), m.onTryDemo)

	title := widget.NewLabelWithStyle("No stores yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabelWithStyle(
		"Connect your Shopify store to keep it in step with your spreadsheet,\n"+
			"or try Shelfsync on a simulated store first. Nothing leaves this computer.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	m.emptyState = container.NewCenter(container.NewVBox(
		widget.NewIcon(Icon), title, hint,
		container.NewCenter(container.NewHBox(m.connectButton, m.demoButton)),
	))
	return m.emptyState
}

func (m *mainWindow) menu() *fyne.MainMenu {
	help := fyne.NewMenu("Help", fyne.NewMenuItem("About Shelfsync", m.onAbout))
	return fyne.NewMainMenu(help)
}

func (m *mainWindow) onConnect() {
	dialog.ShowInformation("Connect a store", "Connecting stores arrives with the next update.", m.win)
}

func (m *mainWindow) onTryDemo() {
	dialog.ShowInformation("Demo store", "The demo store arrives with the next update.", m.win)
}

func (m *mainWindow) onAbout() {
	body := widget.NewLabel(fmt.Sprintf("Shelfsync %s\nKeeps Shopify stores in step with your spreadsheets.", m.version))
	dialog.ShowCustom("About Shelfsync", "Close", container.NewVBox(widget.NewIcon(Icon), body), m.win)
}
