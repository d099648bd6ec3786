package app

import (
	"context"
	"fmt"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// mainWindow is the shell, like a mail client: the stores on the left, the
// selected store (or the dashboard of all stores) on the right, a status bar
// for background work.
type mainWindow struct {
	app     fyne.App
	win     fyne.Window
	version string
	backend Backend
	ctx     context.Context

	stores     *storesView
	dashboard  *dashboardView
	status     *statusView
	alerts     *alertsView
	tabs       *storeTabSet
	storeTabs  *container.AppTabs // the open store's tabs, Status to Alerts
	detail     *fyne.Container    // right-hand side
	body       *fyne.Container    // empty state or split
	split      *container.Split
	statusBar  *widget.Label
	emptyState fyne.CanvasObject

	syncMemory    map[string]*syncMemory // each store's Sync tab, kept across visits to other stores
	connectButton *widget.Button
	demoButton    *widget.Button
	selectedID    string

	settled   settledFunc   // tests: background work finished updating widgets
	clockTick time.Duration // the status countdown's tick; 0 stops it (tests)
}

func newMainWindow(a fyne.App, w fyne.Window, b Backend, version string) *mainWindow {
	return &mainWindow{app: a, win: w, version: version, backend: b, ctx: context.Background(), clockTick: time.Second}
}

func (m *mainWindow) build() fyne.CanvasObject {
	m.connectButton = widget.NewButtonWithIcon("Connect a store", theme.ContentAddIcon(), m.onConnect)
	m.connectButton.Importance = widget.HighImportance
	m.demoButton = widget.NewButtonWithIcon("Try the demo store", theme.MediaPlayIcon(), m.onTryDemo)
	logo := canvas.NewImageFromResource(Icon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(96, 96))
	title := widget.NewLabelWithStyle("No stores yet", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	hint := widget.NewLabelWithStyle(
		"Connect your Shopify store to keep it in step with your spreadsheet,\n"+
			"or try Shelfsync on a simulated store first. Nothing leaves this computer.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	m.emptyState = container.NewCenter(container.NewVBox(
		logo, title, hint,
		container.NewCenter(container.NewHBox(m.connectButton, m.demoButton)),
	))

	m.stores = newStoresView(m.backend, m.onStoreSelected, m.onConnect, func(what string, err error) { showError(m.win, what, err) })
	m.dashboard = newDashboardView(m.onStoreSelectedByID, m.onRunGroup)
	m.detail = container.NewStack(m.dashboard.content)
	m.split = container.NewHSplit(m.stores.content, m.detail)
	m.split.Offset = 0.27
	m.statusBar = widget.NewLabel("")
	m.statusBar.SizeName = theme.SizeNameCaptionText
	m.body = container.NewStack(m.emptyState)
	return container.NewBorder(nil, m.statusBar, nil, nil, m.body)
}

// start loads the stores; call it once the content is in the window.
func (m *mainWindow) start() {
	m.stores.settled = m.settled
	m.reload("")
}

// reload fetches the stores and shows the empty state, the dashboard, or the
// store with ID selectID.
func (m *mainWindow) reload(selectID string) {
	m.stores.refresh(m.ctx, func(stores []workspace.StoreSummary) {
		if len(stores) == 0 {
			m.body.Objects = []fyne.CanvasObject{m.emptyState}
			m.body.Refresh()
			m.statusBar.SetText("")
			return
		}
		m.body.Objects = []fyne.CanvasObject{m.split}
		m.body.Refresh()
		m.dashboard.setStores(stores)
		m.statusBar.SetText(plural(len(stores), "store"))
		if selectID == "" {
			selectID = m.selectedID
		}
		if selectID != "" {
			m.stores.selectStore(selectID)
		}
	})
}

func (m *mainWindow) onStoreSelectedByID(id string) { m.stores.selectStore(id) }

// leaveStore stops the background work of the store being shown.
func (m *mainWindow) leaveStore() {
	if m.status != nil {
		m.status.stop()
		m.status = nil
	}
	if m.tabs != nil {
		if m.syncMemory == nil {
			m.syncMemory = map[string]*syncMemory{}
		}
		m.syncMemory[m.selectedID] = m.tabs.sync.remember()
		m.tabs.stop()
		m.tabs = nil
	}
}

// onDropped routes files dropped on the window to the Sync tab.
func (m *mainWindow) onDropped(pos fyne.Position, uris []fyne.URI) {
	if m.tabs != nil {
		m.tabs.onDropped(pos, uris)
	}
}

func (m *mainWindow) onStoreSelected(s workspace.StoreSummary) {
	if s.ID == m.selectedID && m.tabs != nil {
		// The list was reloaded and re-selected the store being shown:
		// keep its tabs (and any preview or run in them) as they are.
		return
	}
	m.leaveStore()
	m.selectedID = s.ID
	m.status = newStatusView(m.backend, m.win, s.ID, func() { m.reload(s.ID) }, m.onDisconnected)
	m.status.settled = m.settled
	m.tabs = buildStoreTabs(m.backend, m.win, s.ID, func() { m.reload(s.ID) })
	m.tabs.sync.settled = m.settled // before restore: it inspects the remembered sheet
	m.tabs.schedule.settled = m.settled
	m.tabs.sync.restore(m.syncMemory[s.ID])
	heading := widget.NewLabelWithStyle(s.Name+"  ·  "+s.Shop, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	back := widget.NewButtonWithIcon("All stores", theme.NavigateBackIcon(), m.showDashboard)
	tabs := container.NewAppTabs(container.NewTabItemWithIcon("Status", theme.InfoIcon(), m.status.content))
	for _, t := range m.tabs.items {
		tabs.Append(t)
	}
	m.alerts = newAlertsView(m.backend, m.win, s.ID)
	m.alerts.settled = m.settled
	tabs.Append(container.NewTabItemWithIcon("Alerts", theme.WarningIcon(), m.alerts.content))
	m.storeTabs = tabs
	history, schedule, scheduleTab := m.tabs.historyTab, m.tabs.schedule, m.tabs.scheduleTab
	tabs.OnSelected = func(ti *container.TabItem) {
		switch ti {
		case history:
			m.onHistoryOpened(s.ID)
		case scheduleTab:
			schedule.inspectSheet() // the sheet the Sync tab offered it: is a location needed?
		}
	}
	m.detail.Objects = []fyne.CanvasObject{container.NewBorder(container.NewHBox(back, heading), nil, nil, nil, tabs)}
	m.detail.Refresh()
	m.status.setBusy()
	// Background work starts last: nothing here touches a widget after it.
	status, storeTabs, alerts, ctx := m.status, m.tabs, m.alerts, m.ctx
	if m.clockTick > 0 {
		status.startClock(ctx, m.clockTick)
	}
	go func() {
		var showStatus, showTabs, showAlerts func()
		var wg gosync.WaitGroup
		wg.Go(func() { showStatus = status.fetch(ctx, false) })
		wg.Go(func() { showTabs = storeTabs.fetch() })
		wg.Go(func() { showAlerts = alerts.fetch(ctx) })
		wg.Wait()
		fyne.Do(func() {
			showStatus()
			showAlerts()
			if showTabs != nil {
				showTabs()
			}
			m.settled.tell("store")
		})
	}()
}

// onHistoryOpened tells the backend someone looked at the store's runs (a
// red "a run failed" mark goes), then reloads the store list.
func (m *mainWindow) onHistoryOpened(storeID string) {
	ctx := m.ctx
	go func() {
		err := m.backend.SeenHistory(ctx, storeID)
		fyne.Do(func() {
			if err != nil && ctx.Err() == nil {
				showError(m.win, "Could not update the store", err)
			}
			m.reload(storeID)
		})
	}()
}

func (m *mainWindow) showDashboard() {
	m.leaveStore()
	m.selectedID = ""
	m.stores.list.UnselectAll()
	m.detail.Objects = []fyne.CanvasObject{m.dashboard.content}
	m.detail.Refresh()
}

func (m *mainWindow) onDisconnected() {
	m.showDashboard()
	m.reload("")
}

// onRunAll runs every enabled schedule now, in parallel per store.
func (m *mainWindow) onRunAll() { m.onRunGroup("") }

// onRunGroup runs the enabled schedules of one agency client's stores now
// (every store's when group is ""), in parallel per store.
func (m *mainWindow) onRunGroup(group string) {
	if group == "" {
		m.statusBar.SetText("Running every schedule now…")
	} else {
		m.statusBar.SetText("Running the schedules of " + group + " now…")
	}
	go func() {
		events := m.backend.RunAllNow(m.ctx, group)
		fyne.Do(func() {
			defer m.settled.tell("runall")
			m.statusBar.SetText(runEventsText(events))
			m.reload("")
		})
	}()
}

func (m *mainWindow) menu() *fyne.MainMenu {
	file := fyne.NewMenu("Store",
		fyne.NewMenuItem("Connect a store…", m.onConnect),
		fyne.NewMenuItem("Try the demo store", m.onTryDemo),
	)
	help := fyne.NewMenu("Help",
		fyne.NewMenuItem("How to connect a store…", func() { showConnectGuide(m.win, oauth.RedirectHosts[0], oauth.DefaultPort) }),
		fyne.NewMenuItem("About Shelfsync", m.onAbout))
	return fyne.NewMainMenu(file, help)
}

func (m *mainWindow) onConnect() {
	v := newConnectView(m.backend, m.win, func(s workspace.StoreSummary) { m.reload(s.ID) })
	v.settled = m.settled
	v.show()
}

func (m *mainWindow) onTryDemo() {
	step := widget.NewLabel("Starting the simulated store…")
	bar := widget.NewProgressBarInfinite()
	ctx, cancel := context.WithCancel(m.ctx)
	d := dialog.NewCustom("Demo store", "Cancel", container.NewVBox(step, bar), m.win)
	d.SetOnClosed(cancel)
	d.Resize(fyne.NewSize(460, 160))
	d.Show()
	go func() {
		s, err := m.backend.ConnectDemo(ctx, func(text string) { fyne.Do(func() { step.SetText(text) }) })
		fyne.Do(func() {
			defer m.settled.tell("demo")
			cancelled := ctx.Err() != nil // the user closed the dialog
			d.Hide()
			if err != nil {
				if !cancelled {
					showError(m.win, "Could not start the demo store", err)
				}
				return
			}
			m.reload(s.ID)
		})
	}()
}

func (m *mainWindow) onAbout() {
	body := widget.NewLabel(fmt.Sprintf("Shelfsync %s\nKeeps Shopify stores in step with your spreadsheets.", m.version))
	logo := canvas.NewImageFromResource(Icon)
	logo.FillMode = canvas.ImageFillContain
	logo.SetMinSize(fyne.NewSize(64, 64))
	dialog.ShowCustom("About Shelfsync", "Close", container.NewVBox(logo, body), m.win)
}
