// Package app is Shelfsync's window. It is the only package that imports Fyne;
// views show what the engine publishes and send the user's intent back.
package app

import (
	"fyne.io/fyne/v2"

	"github.com/shelfsync/shelfsync/assets"
)

// AppID matches FyneApp.toml; Fyne keys preferences and the keychain service by it.
const AppID = "io.shelfsync.app"

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("shelfsync.png", assets.IconPNG)

// Run opens the main window of a and blocks until the user quits.
func Run(a fyne.App, version string) {
	a.SetIcon(Icon)
	w := a.NewWindow("Shelfsync")
	ui := newMainWindow(a, w, version)
	w.SetContent(ui.build())
	w.SetMainMenu(ui.menu())
	w.Resize(fyne.NewSize(1100, 720))
	w.SetMaster()
	w.ShowAndRun()
}
