package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// syncView is a store's Sync tab: choose a sheet, set the options, preview
// what would change, then apply it with progress.
type syncView struct {
	backend   SyncBackend
	win       fyne.Window
	storeID   string
	ctx       context.Context
	onChanged func()
	// settled is a test hook: called on the UI goroutine once a background
	// job's result ("locations", "plan", "apply") is on screen.
	settled settledFunc

	source    string
	onSource  func(src string) // the sheet was chosen (the Schedule tab offers it)
	demoPath  string           // the demo store's sample sheet, "" for none
	locations []catalogsync.Location
	plan      *catalogsync.Plan
	mapping   []byte       // the column mapping chosen in the editor for this sheet; nil: the saved or detected one
	columns   *mappingView // the open (or last) column editor
	planGen   int          // ignores a preview that finishes after it was cancelled or replaced
	pending   *syncMemory  // a remembered state waiting for the locations (restore)
	// inspectAfterShow: the restored sheet is inspected once the tab has
	// shown what it fetched (afterShow), not in the middle of it.
	inspectAfterShow bool
	// sheet is what InspectSheet said of the chosen sheet (nil until it
	// answers); inspectGen ignores an answer for an earlier choice.
	sheet      *workspace.SheetInfo
	inspectGen int
	// clearsFromSheet: "Blank cells clear their field" is ticked because
	// the sheet's saved columns clear blanks, not because the user ticked it.
	clearsFromSheet bool

	sourceLabel *widget.Label
	openFile    *widget.Button
	demo        *widget.Button
	url         *widget.Entry
	useURL      *widget.Button
	columnsBtn  *widget.Button
	location    *widget.Select
	stockLabel  *widget.Label // "Stock in the sheet is for:", beside the picker
	stockNote   *widget.Label // where the quantities go when the sheet says it
	archive     *widget.Check
	blankClears *widget.Check // "blank means clear": off unless the user asks
	previewBtn  *widget.Button
	cancelBtn   *widget.Button
	spinner     *widget.Activity
	planStatus  *widget.Label
	preview     *previewView
	applyBtn    *widget.Button
	apply       *applyPanel
	stopPlan    context.CancelFunc
	bottom      *fyne.Container
	sourceRow   *fyne.Container // laid out again when the demo button comes or goes
	options     *fyne.Container // laid out again when the Columns… button's text changes
	content     fyne.CanvasObject
}

func newSyncView(ctx context.Context, b SyncBackend, w fyne.Window, storeID string, onChanged func()) *syncView {
	v := &syncView{backend: b, win: w, storeID: storeID, ctx: ctx, onChanged: onChanged}
	v.sourceLabel = widget.NewLabel("No sheet yet: choose a file, drop one on the window, or paste a link.")
	v.sourceLabel.Truncation = fyne.TextTruncateEllipsis
	v.openFile = widget.NewButtonWithIcon("Choose file…", theme.FolderOpenIcon(), v.onOpenFile)
	v.demo = widget.NewButtonWithIcon("Use the demo sheet", theme.DocumentIcon(), v.onUseDemo)
	v.demo.Hide() // until fetchLocations learns whether there is one
	v.url = widget.NewEntry()
	v.url.SetPlaceHolder("https://…, a Google Sheets link, or a file's path")
	v.url.Validator = validateSheetEntry
	v.url.OnSubmitted = func(string) { v.onUseURL() }
	v.useURL = widget.NewButton("Use link", v.onUseURL)
	v.columnsBtn = widget.NewButtonWithIcon("Columns…", theme.ListIcon(), v.onColumns)
	v.columnsBtn.Disable() // until there is a sheet
	v.location = widget.NewSelect(nil, func(string) { v.optionsChanged() })
	v.location.PlaceHolder = "Loading locations…"
	v.stockLabel = widget.NewLabel("Stock in the sheet is for:")
	v.stockNote = widget.NewLabel("")
	v.stockNote.Hide()
	v.archive = widget.NewCheck("Archive products missing from the sheet", func(bool) { v.optionsChanged() })
	v.blankClears = widget.NewCheck(clearsText, v.onBlankClears)
	v.previewBtn = widget.NewButtonWithIcon("Preview", theme.SearchIcon(), v.onPreview)
	v.previewBtn.Importance = widget.HighImportance
	v.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), v.onCancelPreview)
	v.cancelBtn.Hide()
	v.spinner = widget.NewActivity()
	v.spinner.Hide()
	v.planStatus = widget.NewLabel("")
	v.planStatus.Truncation = fyne.TextTruncateEllipsis
	v.preview = newPreviewView()
	v.preview.onConfirmChanged = func(bool) { v.updateApply() }
	v.applyBtn = widget.NewButtonWithIcon("Apply", theme.ConfirmIcon(), v.onApply)
	v.applyBtn.Importance = widget.HighImportance
	v.applyBtn.Disable()
	v.apply = newApplyPanel(b, w)
	v.apply.onFinished = v.onApplied

	v.sourceRow = container.NewBorder(nil, nil, container.NewHBox(v.openFile, v.demo), v.useURL, v.url)
	v.options = container.NewVBox(
		container.NewHBox(v.columnsBtn, v.stockLabel, v.location, v.stockNote),
		container.NewHBox(v.archive, v.blankClears))
	actions := container.NewBorder(nil, nil, container.NewHBox(v.previewBtn, v.cancelBtn, v.spinner), nil, v.sourceLabel)
	top := container.NewVBox(v.sourceRow, v.options, actions, widget.NewSeparator())
	// What to do next sits beside Apply, where the eye goes.
	v.bottom = container.NewBorder(nil, nil, nil, v.applyBtn, container.NewVBox(v.planStatus, v.apply.content))
	v.content = container.NewBorder(top, container.NewVBox(widget.NewSeparator(), v.bottom), nil, nil, v.preview.content)
	return v
}

func (v *syncView) done(what string) { v.settled.tell(what) }

// loadLocations fills the location picker off the UI goroutine.
func (v *syncView) loadLocations() {
	inBackground(func() func() {
		show := v.fetchLocations()
		return func() { show(); v.afterShow() }
	})
}

// fetchLocations reads the locations (off the UI goroutine) and returns
// what shows them (on it).
func (v *syncView) fetchLocations() func() {
	locs, err := v.backend.Locations(v.ctx, v.storeID)
	demo := v.backend.DemoSheetPath() // may write the sample file: not on the UI goroutine
	return func() {
		defer v.done("locations")
		v.demoPath = demo
		if demo != "" {
			v.demo.Show()
		} else {
			v.demo.Hide()
		}
		v.sourceRow.Refresh() // Show alone leaves the button unplaced, drawn over the corner
		if err != nil {
			if v.ctx.Err() == nil {
				v.location.PlaceHolder = "Locations unavailable"
				v.location.Refresh()
				fyne.LogError("could not read the store's locations", err)
			}
			v.restoreAfterLocations()
			return
		}
		v.setLocations(locs)
		v.restoreAfterLocations()
	}
}

// setLocations offers the store's active locations. With one there is no
// choice to make; with several the user must pick: never silently the first.
func (v *syncView) setLocations(locs []catalogsync.Location) {
	v.locations = v.locations[:0]
	var names []string
	for _, l := range locs {
		if l.IsActive {
			v.locations = append(v.locations, l)
			names = append(names, l.Name)
		}
	}
	v.location.Options = names
	v.location.PlaceHolder = "Choose a location"
	v.location.Refresh()
	if len(names) == 1 {
		v.location.SetSelectedIndex(0)
	}
}

// locationID is the chosen location; ok is false when the user must choose.
func (v *syncView) locationID() (id string, ok bool) {
	if i := v.location.SelectedIndex(); i >= 0 && i < len(v.locations) {
		return v.locations[i].ID, true
	}
	return "", len(v.locations) <= 1
}

// setSource chooses the sheet; an old preview no longer applies. What the
// sheet needs (a location?) is asked in the background.
func (v *syncView) setSource(src string) {
	v.chooseSource(src)
	v.inspectSheet()
}

// chooseSource is setSource without asking about the sheet (restore asks
// once the tab is on screen).
func (v *syncView) chooseSource(src string) {
	v.source = src
	v.mapping = nil // the editor's choice was for the previous sheet
	v.sourceLabel.SetText("Sheet: " + src)
	v.columnsBtn.Enable()
	if v.onSource != nil {
		v.onSource(src)
	}
	v.clearPlan("Press Preview to see what would change.")
	v.forgetSheet()
}

func (v *syncView) clearPlan(status string) {
	if !v.apply.busy() {
		v.apply.result.Hide() // the last run's summary belongs to the last plan
	}
	v.plan = nil
	v.preview.setPlan(nil)
	v.planStatus.SetText(status)
	v.updateApply()
}

func (v *syncView) optionsChanged() {
	if v.plan != nil {
		v.clearPlan("The options changed: press Preview again.")
	}
}

func (v *syncView) onOpenFile() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(v.win, "Could not open the file", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		_ = r.Close()
		v.useFile(path)
	}, v.win)
	d.SetFilter(storage.NewExtensionFileFilter(sheetExtensions))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

func (v *syncView) useFile(path string) {
	if err := sheetFileError(path); err != nil {
		showError(v.win, "Can't use this file", err)
		return
	}
	v.setSource(path)
}

func (v *syncView) onUseDemo() {
	if v.demoPath != "" {
		v.setSource(v.demoPath)
	}
}

func (v *syncView) onUseURL() {
	link := strings.TrimSpace(v.url.Text)
	if link == "" {
		return
	}
	if path, ok := pastedPath(link); ok {
		v.useFile(path)
		return
	}
	if err := validateSourceURL(link); err != nil {
		showError(v.win, "Can't use this link", err)
		return
	}
	v.setSource(link)
}

// pastedPath reads a file's path (or file:// address) pasted where a link
// goes: it is taken as if the file were chosen. Windows' "Copy as path"
// puts quotes around it.
func pastedPath(text string) (string, bool) {
	text = strings.Trim(strings.TrimSpace(text), `"'`)
	if u, err := url.Parse(text); err == nil && u.Scheme == "file" && u.Path != "" {
		return u.Path, true
	}
	return text, filepath.IsAbs(text)
}

// validateSheetEntry accepts a link or a file's path.
func validateSheetEntry(text string) error {
	if _, ok := pastedPath(text); ok {
		return nil
	}
	return validateSourceURL(text)
}

// onDropped takes a file or link dropped on the window. Its signature is
// fyne.Window.SetOnDropped's, so the window can hand drops straight to it.
func (v *syncView) onDropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) == 0 {
		return
	}
	u := uris[0]
	switch u.Scheme() {
	case "file":
		v.useFile(u.Path())
	case "https":
		v.setSource(u.String())
	default:
		showError(v.win, "Can't use what was dropped", fmt.Errorf("%s is not a file or an https link", u.String()))
	}
}

func (v *syncView) onPreview() {
	if v.source == "" {
		v.planStatus.SetText("Choose a sheet first.")
		return
	}
	locID, ok := v.locationID()
	switch {
	case !v.needsLocation():
		locID = "" // each row or column names its location: none is saved with the sheet
	case !ok && v.sheet != nil:
		v.planStatus.SetText("Choose the location the sheet's quantity column is for: this store has several.")
		return
	}
	req := workspace.SyncRequest{StoreID: v.storeID, Source: v.source, LocationID: locID, Trigger: "manual", Mapping: v.mapping}
	if v.archive.Checked {
		req.Missing = string(catalogsync.MissingArchive)
	}
	req.BlankClears = v.blankClears.Checked
	v.clearPlan("Reading the sheet and the store…")
	ctx, cancel := context.WithCancel(v.ctx)
	v.stopPlan = cancel
	v.planGen++
	gen := v.planGen
	v.setPlanning(true)
	go func() {
		p, err := v.backend.PlanSync(ctx, req)
		cancelled := ctx.Err() != nil
		cancel()
		fyne.Do(func() {
			defer v.done("plan")
			if gen != v.planGen {
				return // cancelled and replaced by a newer preview
			}
			v.setPlanning(false)
			v.showPlan(p, err, cancelled)
		})
	}()
}

// onColumns reads the sheet's header and opens the column editor on it.
func (v *syncView) onColumns() {
	if v.source == "" {
		return
	}
	src := v.source
	req := workspace.SyncRequest{StoreID: v.storeID, Source: src, Mapping: v.mapping, Trigger: "manual"}
	v.columnsBtn.Disable()
	v.columnsBtn.SetText("Reading columns…")
	v.options.Refresh()
	go func() {
		cols, raw, err := v.backend.SourceColumns(v.ctx, req)
		fyne.Do(func() {
			defer v.done("columns")
			v.columnsBtn.SetText("Columns…")
			v.columnsBtn.Enable()
			v.options.Refresh()
			switch {
			case src != v.source:
				// Another sheet was chosen meanwhile: these columns are not its.
			case err != nil:
				if v.ctx.Err() == nil {
					showError(v.win, "Could not read the sheet's columns", err)
				}
			default:
				v.showColumns(cols, raw)
			}
		})
	}()
}

func (v *syncView) showColumns(cols []string, raw []byte) {
	names := make([]string, 0, len(v.locations))
	for _, l := range v.locations {
		names = append(names, l.Name)
	}
	src := v.source
	mv, err := newMappingView(v.win, cols, raw, names, func(mapping []byte, blankClears bool) {
		if src != v.source {
			return
		}
		v.onCancelPreview() // a preview under way reads the old columns
		v.mapping = mapping
		if blankClears {
			v.blankClears.SetChecked(true) // the columns clear blanks: the tab says so
		} else if v.clearsFromSheet {
			v.forgetSheet() // the tick came from the columns, which no longer clear
		}
		v.clearPlan("The columns changed: press Preview to see what would change.")
		v.useSheetMapping(mapping) // where the quantities go under these columns
	})
	if err != nil {
		showError(v.win, "Could not open the column editor", err)
		return
	}
	v.columns = mv
	mv.show(v.win)
}

func (v *syncView) setPlanning(on bool) {
	if on {
		v.previewBtn.Disable()
		v.cancelBtn.Show()
		v.spinner.Show()
		v.spinner.Start()
		return
	}
	v.stopPlan = nil
	v.previewBtn.Enable()
	v.cancelBtn.Hide()
	v.spinner.Stop()
	v.spinner.Hide()
}

func (v *syncView) showPlan(p *catalogsync.Plan, err error, cancelled bool) {
	switch {
	case cancelled:
		v.planStatus.SetText("Preview cancelled.")
	case errors.Is(err, catalogsync.ErrNoLocation):
		// The sheet read for the preview has a single quantity column even if
		// the one inspected named its locations (edited since): offer the picker.
		if v.sheet != nil {
			v.sheet.Stock, v.sheet.StockText = source.StockPicked, ""
		}
		v.showStock()
		v.planStatus.SetText("Choose the location the sheet's quantity column is for: this store has several.")
	case err != nil:
		v.planStatus.SetText("The preview failed.")
		var re catalog.RowError
		if errors.As(err, &re) {
			v.planStatus.SetText("The sheet has a problem at " + re.Cell.String() + ".")
		}
		showError(v.win, "Could not preview the sync", err)
	case p == nil:
		v.planStatus.SetText("The preview came back empty.")
	default:
		v.plan = p
		v.preview.setPlan(p)
		switch {
		case len(p.Guards) > 0:
			v.planStatus.SetText("A safety guard stopped this sync: read it, then confirm to apply.")
		case p.NothingToWriteToday() != "":
			v.planStatus.SetText(p.NothingToWriteToday())
		case !p.HasChanges():
			v.planStatus.SetText("The store already matches the sheet: nothing to apply.")
		default:
			v.planStatus.SetText("Check the changes, then press Apply.")
		}
		v.updateApply()
	}
}

func (v *syncView) onCancelPreview() {
	if stop := v.stopPlan; stop != nil {
		v.planGen++
		v.setPlanning(false)
		v.planStatus.SetText("Preview cancelled.")
		stop() // last: the worker may update the UI as soon as it sees this
	}
}

// updateApply enables Apply when there is something to send, every guard
// trip is confirmed, and no run is going on.
func (v *syncView) updateApply() {
	p := v.plan
	if p == nil || !p.HasChanges() || v.preview.needsConfirm() || v.apply.busy() {
		v.applyBtn.SetText("Apply")
		v.applyBtn.Disable()
		return
	}
	v.applyBtn.SetText("Apply " + plural(p.Counts.Changes, "change"))
	v.applyBtn.Enable()
	v.bottom.Refresh() // the button grew: lay the row out again
}

func (v *syncView) onApply() {
	p := v.plan
	if p == nil || v.preview.needsConfirm() || v.apply.busy() {
		return
	}
	v.previewBtn.Disable()
	v.applyBtn.Disable()
	// start launches the worker: nothing touches the UI after it here.
	v.apply.start(v.ctx, v.storeID, p, len(p.Guards) > 0)
}

func (v *syncView) onApplied(_ workspace.RunSummary, err error) {
	defer v.done("apply")
	v.previewBtn.Enable()
	if err == nil {
		// Applied: the same plan must not go out twice.
		v.plan = nil
		v.planStatus.SetText("Applied. Preview again to check the store matches the sheet.")
	}
	v.updateApply()
	if v.onChanged != nil {
		v.onChanged()
	}
}

// stop cancels a preview or a run in progress (the user left the store).
func (v *syncView) stop() {
	if v.stopPlan != nil {
		v.stopPlan()
	}
	if v.apply.stop != nil {
		v.apply.stop()
	}
}
