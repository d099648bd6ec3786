// Package app is Shelfsync's window. It is the only package that imports Fyne;
// views show what the engine publishes and send the user's intent back.
package app

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/assets"
)

// AppID matches FyneApp.toml; Fyne keys preferences and the keychain service by it.
const AppID = "io.shelfsync.app"

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("shelfsync.png", assets.IconPNG)

// Run opens the main window of a over backend b and blocks until the user quits.
func Run(a fyne.App, b Backend, version string) {
	a.SetIcon(Icon)
	w := a.NewWindow("Shelfsync")
	ui := newMainWindow(a, w, b, version)
	w.SetContent(ui.build())
	ui.start()
	w.SetMainMenu(ui.menu())
	w.SetOnDropped(ui.onDropped)
	w.Resize(fyne.NewSize(1100, 720))
	w.SetMaster()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	startBackground(ctx, a, w, b, ui)
	w.ShowAndRun()
}

// RunFailed shows why Shelfsync could not start (say, an unreadable
// database) in a window of its own, so a user who started it from a menu sees it.
func RunFailed(a fyne.App, err error) {
	w := a.NewWindow("Shelfsync")
	msg := widget.NewLabel("Shelfsync could not start:\n\n" + err.Error() +
		"\n\nIf this keeps happening, move the folder named above aside and start again.")
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Quit", a.Quit)
	w.SetContent(container.NewBorder(nil, container.NewCenter(quit), nil, nil, msg))
	w.Resize(fyne.NewSize(560, 260))
	w.ShowAndRun()
}
