package app

import (
	"context"
	"errors"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// specHint shows the ways to write when a schedule runs.
const specHint = "every 15m · every 2h · daily 06:30 · every day at 6pm · cron 0 6 * * 1-5"

// scheduleView is a store's Schedule tab: the store's schedules and a form
// to add or change one.
type scheduleView struct {
	backend SyncBackend
	win     fyne.Window
	storeID string
	ctx     context.Context
	settled settledFunc // test hook, as in syncView
	// onChanged tells the window a schedule was added, changed or removed,
	// so the dashboard's next runs are fresh.
	onChanged func()

	items     []workspace.ScheduleView
	editingID string // "" while adding

	list      *widget.List
	formTitle *widget.Label
	source    *widget.Entry
	browse    *widget.Button
	spec      *widget.Entry
	zone      *widget.SelectEntry // a list of zones, or one typed
	location  *widget.Select      // "Stock in the sheet is for"; hidden with one location, or when the sheet names its own
	locIDs    map[string]string   // location name → ID
	stockNote *widget.Label       // where the quantities go when the sheet says it (instead of the picker)
	stockItem *widget.FormItem    // the form's row of the picker or the note
	form      *widget.Form        // refreshed when the stock row changes its label
	saved     *widget.Label       // what the last save did
	enabled   *widget.Check
	save      *widget.Button
	newBtn    *widget.Button
	remove    *widget.Button
	confirm   *dialog.ConfirmDialog // the open "Remove?" question, if any
	empty     *widget.Label         // shown instead of the list when there are no schedules
	content   fyne.CanvasObject

	// sheet is what InspectSheet said of the sheet in the form (nil until
	// it answers); inspectGen ignores an answer for an earlier text, and
	// stopInspect, set while one is on its way, cancels it.
	sheet       *workspace.SheetInfo
	inspectGen  int
	stopInspect context.CancelFunc
}

func newScheduleView(ctx context.Context, b SyncBackend, w fyne.Window, storeID string) *scheduleView {
	v := &scheduleView{backend: b, win: w, storeID: storeID, ctx: ctx}
	v.list = &widget.List{
		Length:     func() int { return len(v.items) },
		CreateItem: v.createRow,
		UpdateItem: v.updateRow,
		OnSelected: v.onSelected,
	}
	v.formTitle = widget.NewLabelWithStyle("New schedule", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.source = widget.NewEntry()
	v.source.SetPlaceHolder("A sheet file or an https:// / Google Sheets link")
	v.source.Validator = validateScheduleSource
	v.source.OnChanged = v.onSourceChanged
	v.browse = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), v.onBrowse)
	v.spec = widget.NewEntry()
	v.spec.SetPlaceHolder(specHint)
	v.spec.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("say when it runs, for example " + specHint)
		}
		return nil
	}
	v.zone = widget.NewSelectEntry(zoneChoices())
	v.zone.SetText(localZoneName())
	v.zone.SetPlaceHolder("Europe/Paris (empty: this computer's time)")
	v.zone.Validator = validateZone
	v.location = widget.NewSelect(nil, nil)
	v.location.PlaceHolder = "(as the Sync tab last used)"
	v.location.Hide()
	v.stockNote = widget.NewLabel("")
	v.stockNote.Wrapping = fyne.TextWrapWord
	v.stockNote.Hide()
	v.saved = widget.NewLabel("")
	v.saved.Wrapping = fyne.TextWrapWord
	v.saved.Importance = widget.SuccessImportance
	v.saved.Hide()
	v.enabled = widget.NewCheck("Enabled", nil)
	v.enabled.SetChecked(true)
	v.save = widget.NewButtonWithIcon("Add schedule", theme.DocumentSaveIcon(), v.onSave)
	v.save.Importance = widget.HighImportance
	v.newBtn = widget.NewButtonWithIcon("New", theme.ContentAddIcon(), v.onNew)
	v.remove = widget.NewButtonWithIcon("Remove…", theme.DeleteIcon(), v.onRemove)
	v.remove.Importance = widget.DangerImportance
	v.remove.Disable()

	v.stockItem = widget.NewFormItem(stockPickText, container.NewStack(v.location, v.stockNote))
	v.form = widget.NewForm(
		widget.NewFormItem("Sheet", container.NewBorder(nil, nil, nil, v.browse, v.source)),
		&widget.FormItem{Text: "Runs", Widget: v.spec, HintText: specHint},
		&widget.FormItem{Text: "Time zone", Widget: v.zone, HintText: "pick from the list, or type a name like Europe/Paris"},
		v.stockItem,
		widget.NewFormItem("", v.enabled),
	)
	bottom := container.NewVBox(widget.NewSeparator(), v.saved, v.formTitle, v.form,
		container.NewHBox(v.save, v.newBtn, layoutSpacer(), v.remove))
	v.empty = widget.NewLabel("No schedules yet. Add one below, and this store syncs by itself: every few minutes, " +
		"daily at a time, or on a cron expression. Runs missed while Shelfsync was closed run once when it starts.")
	v.empty.Wrapping = fyne.TextWrapWord
	v.content = container.NewBorder(nil, bottom, nil, nil, container.NewStack(v.list, container.NewVBox(v.empty)))
	return v
}

func (v *scheduleView) done(what string) { v.settled.tell(what) }

// localZoneName is this computer's IANA time zone name, or "" when it
// can't be told (the engine then uses local time).
func localZoneName() string {
	if tz := os.Getenv("TZ"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil {
			return tz
		}
	}
	if name := time.Local.String(); name != "Local" && name != "" {
		return name
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			return target[i+len("zoneinfo/"):]
		}
	}
	return ""
}

func validateZone(s string) error {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	if _, err := time.LoadLocation(s); err != nil {
		return errors.New("unknown time zone: use a name like Europe/Paris or America/New_York")
	}
	return nil
}

func validateScheduleSource(s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return errors.New("choose the sheet the schedule syncs")
	case strings.Contains(s, "://"):
		return validateSourceURL(s)
	default:
		return sheetFileError(s)
	}
}

// load reads the store's schedules off the UI goroutine.
func (v *scheduleView) load() {
	inBackground(v.fetch)
}

// fetch reads the schedules (off the UI goroutine) and returns what shows them.
func (v *scheduleView) fetch() func() {
	items, err := v.backend.Schedules(v.ctx, v.storeID)
	locs, lerr := v.backend.Locations(v.ctx, v.storeID)
	return func() {
		if lerr == nil {
			v.setLocations(locs)
		}
		defer v.done("schedules")
		if err != nil {
			if v.ctx.Err() == nil {
				showError(v.win, "Could not load the schedules", err)
			}
			return
		}
		v.items = items
		v.list.UnselectAll()
		v.list.Refresh()
		v.empty.Hidden = len(items) > 0
		v.empty.Refresh()
		v.onNew()
	}
}

// createRow is two lines (when it runs; next run and sheet) and the state
// on the right.
func (v *scheduleView) createRow() fyne.CanvasObject {
	text := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	state := widget.NewLabelWithStyle("Enabled", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	return container.NewBorder(nil, nil, nil, state, container.NewVBox(text, detail))
}

func (v *scheduleView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(v.items) {
		return
	}
	s := v.items[i]
	row := o.(*fyne.Container)
	lines := row.Objects[0].(*fyne.Container)
	zone := s.TimeZone
	if zone == "" {
		zone = "local time"
	}
	state := "Enabled"
	imp := widget.MediumImportance // bright green text reads badly on white
	switch {
	case !s.Enabled:
		state, imp = "Off", widget.LowImportance
	case s.Paused:
		state, imp = "Paused", widget.WarningImportance
	}
	next := "no next run"
	if !s.NextRun.IsZero() && s.Enabled && !s.Paused {
		next = "next " + s.NextRun.Local().Format("Mon 2 Jan 15:04")
	}
	head := s.Text
	if !strings.Contains(head, zone) { // "Daily at 06:00 (Europe/Paris)" names its zone already
		head += " · " + zone
	}
	lines.Objects[0].(*widget.Label).SetText(head)
	lines.Objects[1].(*widget.Label).SetText(next + "  ·  " + sourceName(s.Source))
	st := row.Objects[1].(*widget.Label)
	st.Importance = imp
	st.SetText(state)
}

func (v *scheduleView) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(v.items) {
		return
	}
	s := v.items[i]
	v.editingID = s.ID
	v.formTitle.SetText("Change schedule: " + s.Text)
	v.spec.SetText(s.Spec)
	v.zone.SetText(s.TimeZone)
	v.location.ClearSelected()
	for name, id := range v.locIDs {
		if id == s.LocationID {
			v.location.SetSelected(name)
		}
	}
	v.enabled.SetChecked(s.Enabled)
	v.save.SetText("Save changes")
	v.remove.Enable()
	v.source.SetText(s.Source)
	v.inspectSheet() // last: background work
}

// onNew empties the form to add a schedule.
func (v *scheduleView) onNew() {
	v.editingID = ""
	v.list.UnselectAll()
	v.formTitle.SetText("New schedule")
	v.spec.SetText("")
	v.zone.SetText(localZoneName())
	v.location.ClearSelected()
	v.enabled.SetChecked(true)
	v.save.SetText("Add schedule")
	v.remove.Disable()
}

func (v *scheduleView) onBrowse() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			showError(v.win, "Could not open the file", err)
			return
		}
		if r != nil {
			v.source.SetText(r.URI().Path())
			_ = r.Close()
			v.inspectSheet()
		}
	}, v.win)
	d.SetFilter(storage.NewExtensionFileFilter(sheetExtensions))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

func (v *scheduleView) onSave() {
	for _, e := range []*widget.Entry{v.source, v.spec, &v.zone.Entry} {
		if err := e.Validate(); err != nil {
			showError(v.win, "Can't save the schedule", err)
			return
		}
	}
	req := workspace.ScheduleRequest{
		ID: v.editingID, StoreID: v.storeID, Source: strings.TrimSpace(v.source.Text),
		Spec: strings.TrimSpace(v.spec.Text), TimeZone: strings.TrimSpace(v.zone.Text), Enabled: v.enabled.Checked,
		LocationID: v.locationID(),
	}
	adding := v.editingID == ""
	v.save.Disable()
	go func() {
		sv, err := v.backend.SetSchedule(v.ctx, req)
		fyne.Do(func() {
			defer v.done("schedule-saved")
			v.save.Enable()
			if err != nil {
				showError(v.win, "Could not save the schedule", err)
				return
			}
			v.confirmSaved(sv, adding)
			v.reloadAndTell()
		})
	}()
}

func (v *scheduleView) onRemove() {
	if v.editingID == "" {
		return
	}
	id, text := v.editingID, v.formTitle.Text
	v.confirm = dialog.NewConfirm("Remove schedule", strings.TrimPrefix(text, "Change schedule: ")+
		"\n\nRemove this schedule? Runs already made stay in History.", func(ok bool) {
		v.confirm = nil
		if ok {
			v.removeSchedule(id)
		}
	}, v.win)
	v.confirm.SetConfirmText("Remove")
	v.confirm.SetConfirmImportance(widget.DangerImportance)
	v.confirm.Show()
}

func (v *scheduleView) removeSchedule(id string) {
	v.remove.Disable()
	go func() {
		err := v.backend.RemoveSchedule(v.ctx, id)
		fyne.Do(func() {
			defer v.done("schedule-removed")
			if err != nil {
				showError(v.win, "Could not remove the schedule", err)
				v.remove.Enable()
				return
			}
			v.reloadAndTell()
		})
	}()
}

// confirmSaved says what was saved and when it runs next, and empties the
// form for the next schedule.
func (v *scheduleView) confirmSaved(s workspace.ScheduleView, added bool) {
	verb := "Schedule changed"
	if added {
		verb = "Schedule added"
	}
	next := ""
	if !s.NextRun.IsZero() && s.Enabled {
		next = " · next run " + s.NextRun.Local().Format("Mon 2 Jan 15:04")
	}
	v.saved.SetText(verb + ": " + s.Text + " from " + sourceName(s.Source) + next)
	v.saved.Show()
	v.source.SetText("")
	v.onNew()
	// An emptied form is a fresh one, not a wrong one: no red until typed in.
	v.source.SetValidationError(nil)
	v.spec.SetValidationError(nil)
}

// offerSource fills an empty new schedule's sheet with the one just chosen
// in the Sync tab, so scheduling the sheet just previewed needs no typing.
// It is inspected when the tab is shown, not beside the Sync tab's own
// inspection of it.
func (v *scheduleView) offerSource(src string) {
	if v.editingID != "" || strings.TrimSpace(v.source.Text) != "" {
		return
	}
	v.source.SetText(src)
}

// setLocations offers the store's locations when there is a choice.
func (v *scheduleView) setLocations(locs []catalogsync.Location) {
	v.locIDs = map[string]string{}
	var names []string
	for _, l := range locs {
		v.locIDs[l.Name] = l.ID
		names = append(names, l.Name)
	}
	v.location.SetOptions(names)
	v.showStock()
}

// zoneChoices is this computer's zone, UTC and the zones merchants use most.
func zoneChoices() []string {
	out := []string{}
	if z := localZoneName(); z != "" {
		out = append(out, z)
	}
	for _, z := range []string{"UTC", "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
		"Europe/Rome", "Europe/Amsterdam", "Europe/Stockholm", "Europe/Warsaw", "America/New_York", "America/Chicago",
		"America/Denver", "America/Los_Angeles", "America/Toronto", "America/Sao_Paulo", "Asia/Tokyo", "Asia/Singapore",
		"Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland"} {
		if len(out) == 0 || z != out[0] {
			out = append(out, z)
		}
	}
	return out
}

// reloadAndTell reloads the schedules, then tells the window (which reloads
// the stores): one after the other, so two loads never update widgets at once.
func (v *scheduleView) reloadAndTell() {
	inBackground(func() func() {
		show := v.fetch()
		return func() {
			show()
			if v.onChanged != nil {
				v.onChanged()
			}
		}
	})
}
