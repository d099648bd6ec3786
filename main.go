// Command shelfsync keeps Shopify stores in step with the spreadsheets their
// merchants maintain. With no arguments it opens the window; with a command
// (see "shelfsync help") it runs headless, for cron, CI and scripts.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/shelfsync/shelfsync/app"
	"github.com/shelfsync/shelfsync/app/cli"
	"github.com/shelfsync/shelfsync/internal/quietinit"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// fyneAppTOML is the single source of the app's version.
//
//go:embed FyneApp.toml
var fyneAppTOML string

// version may be overridden at link time: -ldflags "-X main.version=1.2.3".
var version = ""

func main() {
	quietinit.Restore() // Fyne's init-time locale noise is behind us
	v := cli.VersionFromTOML(fyneAppTOML, version)
	if len(os.Args) > 1 {
		os.Exit(cli.Main(os.Args[1:], cli.Env{Version: v, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	// The GL driver is chosen here, in main, so that package app and its
	// tests build without cgo.
	a := fyneapp.NewWithID(app.AppID)
	ws, err := workspace.Open(workspace.Options{})
	if err != nil {
		app.RunFailed(a, err)
		os.Exit(1)
	}
	defer ws.Close()
	if err := ws.ForgetStaleDemo(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "shelfsync: could not remove the last session's demo store:", err)
	}
	app.Run(a, ws, v)
}
