package app

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/shelfsync/shelfsync/sync/workspace"
)

// background runs the schedules while the app is open, also with the window
// closed to the system tray, and tells the user about what failed.
type background struct {
	app     fyne.App
	win     fyne.Window
	backend Backend
	main    *mainWindow
	pause   *fyne.MenuItem
	menu    *fyne.Menu
}

// startBackground installs the tray menu (where the desktop has one) and
// starts the scheduler loop, which stops with ctx.
func startBackground(ctx context.Context, a fyne.App, w fyne.Window, b Backend, m *mainWindow) *background {
	bg := &background{app: a, win: w, backend: b, main: m}
	if desk, ok := a.(desktop.App); ok && trayAvailable() {
		bg.pause = fyne.NewMenuItem("Pause schedules", bg.onTogglePause)
		bg.menu = fyne.NewMenu("Shelfsync",
			fyne.NewMenuItem("Open", func() { w.Show(); w.RequestFocus() }),
			fyne.NewMenuItem("Run all now", m.onRunAll),
			bg.pause,
		)
		desk.SetSystemTrayMenu(bg.menu) // Fyne adds "Quit"
		desk.SetSystemTrayIcon(Icon)
		// Closing the window keeps the schedules running in the tray.
		w.SetCloseIntercept(func() { w.Hide() })
		go func() {
			paused := b.SchedulesPaused(ctx)
			fyne.Do(func() { bg.showPaused(paused) })
		}()
	}
	go b.RunScheduler(ctx, 30*time.Second, bg.onRunEvent)
	go bg.keepTokensAlive(ctx, 10*time.Second, tokenCheckEvery)
	return bg
}

// tokenCheckEvery is how often every store's token is checked while
// Shelfsync runs: often enough that a revoked token shows within the hour,
// and expiring tokens stay in use, so their 90-day refresh token is renewed.
const tokenCheckEvery = time.Hour

// keepTokensAlive checks every store's token first after a short delay,
// then every interval, until ctx ends (also with the window in the tray).
func (bg *background) keepTokensAlive(ctx context.Context, first, every time.Duration) {
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		results, _ := bg.backend.CheckAll(ctx) // per-store errors show in each store's status
		bg.onChecked(results)
		t.Reset(every)
	}
}

// onChecked announces the stores whose token just stopped working (once,
// not at every check) and refreshes the store list. Any goroutine.
func (bg *background) onChecked(results []workspace.CheckResult) {
	var lines []string
	for _, r := range results {
		if r.Newly {
			lines = append(lines, r.StoreName+": "+r.Status.Title+". "+r.Status.Fix)
		}
	}
	fyne.Do(func() {
		if len(lines) > 0 {
			bg.app.SendNotification(fyne.NewNotification("Shelfsync: a store needs you", strings.Join(lines, "\n")))
		}
		bg.main.reload("")
	})
}

func (bg *background) showPaused(paused bool) {
	bg.pause.Checked = paused
	bg.pause.Label = "Pause schedules"
	bg.menu.Refresh()
}

func (bg *background) onTogglePause() {
	paused := !bg.pause.Checked
	go func() {
		err := bg.backend.PauseSchedules(context.Background(), paused)
		fyne.Do(func() {
			if err != nil {
				showError(bg.win, "Could not change the schedules", err)
				return
			}
			bg.showPaused(paused)
		})
	}()
}

// onRunEvent runs on the scheduler's goroutine: a failed or held run is
// announced on the desktop and marks the store red until someone opens it.
func (bg *background) onRunEvent(ev workspace.RunEvent) {
	var n *fyne.Notification
	switch {
	case ev.AlreadyTold: // the same token problem as the last slot: told once
	case ev.Err != nil:
		n = fyne.NewNotification("Shelfsync: sync failed", fmt.Sprintf("%s: %v", ev.StoreName, ev.Err))
	case ev.Held:
		n = fyne.NewNotification("Shelfsync: sync held for review",
			ev.StoreName+": a safety check stopped the run; nothing was written. Open the store's History to review it.")
	case outcomeOf(ev.Run).needsLook():
		n = fyne.NewNotification("Shelfsync: sync "+strings.ToLower(outcomeWords(ev.Run)),
			ev.StoreName+": "+summaryText(ev.Run))
	case ev.TellSuccess:
		n = fyne.NewNotification("Shelfsync: sync finished",
			fmt.Sprintf("%s: %d created, %d updated", ev.StoreName, ev.Run.Created, ev.Run.Updated))
	}
	fyne.Do(func() {
		if n != nil {
			bg.app.SendNotification(n)
		}
		bg.main.reload("")
	})
}

// trayAvailable reports whether a system tray can be used. On Linux and the
// BSDs the tray speaks D-Bus; without a session bus Fyne 2.7's systray fails
// to start and then crashes on quit, so Shelfsync does without it there.
func trayAvailable() bool {
	switch runtime.GOOS {
	case "windows", "darwin":
		return true
	}
	return os.Getenv("DBUS_SESSION_BUS_ADDRESS") != ""
}
