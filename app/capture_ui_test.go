package app

import (
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// variantTheme is the default theme held to one variant, so a test can
// look at light and dark without touching the system setting.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// TestCaptureSyncTab renders the Sync tab with a previewed plan, as the
// window shows it at 1024×700, to PNGs for a person to look at
// ($SHELFSYNC_ARTIFACTS, else a temporary folder), and checks that
// everything the user needs is on screen.
func TestCaptureSyncTab(t *testing.T) {
	dir := os.Getenv("SHELFSYNC_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for name, variant := range map[string]fyne.ThemeVariant{"light": theme.VariantLight, "dark": theme.VariantDark} {
		t.Run(name, func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(variantTheme{Theme: theme.DefaultTheme(), variant: variant})
			f := newFakeSync()
			f.history = sampleRuns()
			f.schedules = []workspace.ScheduleView{
				{ID: "s1", Source: "/home/me/catalog.csv", Spec: "daily 06:30", Text: "Every day at 06:30", TimeZone: "Europe/Paris",
					Enabled: true, NextRun: time.Date(2026, 3, 3, 5, 30, 0, 0, time.UTC)},
				{ID: "s2", Source: "https://docs.google.com/spreadsheets/d/abc/edit", Spec: "every 15m", Text: "Every 15 minutes",
					Enabled: true, Paused: true},
			}
			f.plan.Guards = []catalogsync.GuardTrip{{Kind: catalogsync.GuardPriceChanges, Count: 7, Of: 9,
				Message: "the sheet would change 7 of 9 prices"}}
			w := test.NewTempWindow(t, nil)
			ts := buildStoreTabs(f, w, "store-1", nil)
			defer ts.stop()
			ch := newSignals()
			ts.sync.settled, ts.schedule.settled, ts.history.settled = ch.hook, ch.hook, ch.hook
			stores := widget.NewList(func() int { return 3 }, func() fyne.CanvasObject { return widget.NewLabel("Store") },
				func(i widget.ListItemID, o fyne.CanvasObject) {
					o.(*widget.Label).SetText([]string{"Shelfsync Demo", "Acme Outdoor", "Bolt Bikes"}[i])
				})
			tabs := container.NewAppTabs(append([]*container.TabItem{container.NewTabItem("Status", widget.NewLabel(""))}, ts.items...)...)
			tabs.SelectIndex(1)
			heading := widget.NewLabelWithStyle("Shelfsync Demo  ·  demo.myshopify.com", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			split := container.NewHSplit(stores, container.NewBorder(heading, nil, nil, nil, tabs))
			split.Offset = 0.27
			w.SetContent(container.NewBorder(nil, widget.NewLabel("3 stores"), nil, nil, split))
			w.Resize(fyne.NewSize(1024, 700))

			ts.load()
			ch.wait(t, "history")
			previewed(t, ts.sync, ch)
			ts.sync.preview.filterSel.SetSelected(filterAll)
			ts.sync.preview.list.Select(2) // classic-tee

			capture(t, w, filepath.Join(dir, "sync-tab-"+name+".png"))

			size := w.Canvas().Size()
			for what, o := range map[string]fyne.CanvasObject{"Apply": ts.sync.applyBtn, "Preview": ts.sync.previewBtn,
				"guard checkbox": ts.sync.preview.confirm, "diff": ts.sync.preview.detail, "filters": ts.sync.preview.filterSel} {
				pos := a.Driver().AbsolutePositionForObject(o)
				end := pos.Add(o.Size())
				if o.Size().IsZero() || end.X > size.Width+1 || end.Y > size.Height+1 {
					t.Errorf("%s is off screen at 1024×700: %v + %v", what, pos, o.Size())
				}
			}
			tabs.SelectIndex(2)
			ts.schedule.list.Select(0)
			ch.wait(t, "schedule-sheet") // picking a schedule inspects its sheet
			capture(t, w, filepath.Join(dir, "schedule-tab-"+name+".png"))
			tabs.SelectIndex(3)
			ts.history.list.Select(1)
			capture(t, w, filepath.Join(dir, "history-tab-"+name+".png"))
		})
	}
}

func capture(t *testing.T, w fyne.Window, path string) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}
