package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// historyView is a store's History tab: every run, newest first, with its
// report and Undo.
type historyView struct {
	backend   SyncBackend
	win       fyne.Window
	storeID   string
	ctx       context.Context
	onChanged func()
	settled   settledFunc // test hook, as in syncView

	runs     []workspace.RunSummary
	selected int

	list      *widget.List
	detail    *widget.Label
	undoBtn   *widget.Button
	report    *widget.Button
	refresh   *widget.Button
	resumeBtn *widget.Button
	dialog    *runDialog // the open Undo or Resume dialog, if any
	content   fyne.CanvasObject
}

func newHistoryView(ctx context.Context, b SyncBackend, w fyne.Window, storeID string, onChanged func()) *historyView {
	v := &historyView{backend: b, win: w, storeID: storeID, ctx: ctx, onChanged: onChanged, selected: -1}
	v.list = &widget.List{
		Length:     func() int { return len(v.runs) },
		CreateItem: v.createRow,
		UpdateItem: v.updateRow,
		OnSelected: v.onSelected,
	}
	v.detail = widget.NewLabel("Select a run to see its details.")
	v.detail.Wrapping = fyne.TextWrapWord
	v.undoBtn = widget.NewButtonWithIcon("Undo…", theme.ContentUndoIcon(), v.onUndo)
	v.resumeBtn = widget.NewButtonWithIcon("Resume…", theme.MediaPlayIcon(), v.onResume)
	v.report = widget.NewButtonWithIcon("Open report", theme.DocumentIcon(), v.onOpenReport)
	v.refresh = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), v.load)
	v.undoBtn.Disable()
	v.resumeBtn.Disable()
	v.report.Disable()
	bottom := container.NewVBox(widget.NewSeparator(), v.detail, container.NewHBox(v.undoBtn, v.resumeBtn, v.report, layoutSpacer(), v.refresh))
	v.content = container.NewBorder(nil, bottom, nil, nil, v.list)
	return v
}

func (v *historyView) done(what string) { v.settled.tell(what) }

// load reads the store's runs off the UI goroutine.
func (v *historyView) load() {
	inBackground(v.fetch)
}

// fetch reads the runs (off the UI goroutine) and returns what shows them.
func (v *historyView) fetch() func() {
	runs, err := v.backend.History(v.ctx, v.storeID)
	return func() {
		defer v.done("history")
		if err != nil {
			if v.ctx.Err() == nil {
				showError(v.win, "Could not load the history", err)
			}
			return
		}
		v.setRuns(runs)
	}
}

func (v *historyView) setRuns(runs []workspace.RunSummary) {
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Started.After(runs[j].Started) })
	v.runs = runs
	v.selected = -1
	v.list.UnselectAll()
	v.list.Refresh()
	v.undoBtn.Disable()
	v.report.Disable()
	if len(runs) == 0 {
		v.detail.SetText("No runs yet. Preview and apply a sheet in the Sync tab.")
	} else {
		v.detail.SetText("Select a run to see its details.")
	}
}

// createRow is two lines: when (bold), then source, result and duration.
func (v *historyView) createRow() fyne.CanvasObject {
	when := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	when.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, badgeBox(newBadge()), nil, container.NewVBox(when, detail))
}

func (v *historyView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(v.runs) {
		return
	}
	r := v.runs[i]
	c := o.(*fyne.Container)
	lines := c.Objects[0].(*fyne.Container)
	badge := findBadge(c.Objects[1])
	badge.FillColor = outcomeOf(r).color()
	badge.Refresh()
	imp := widget.MediumImportance
	if o := outcomeOf(r); o.needsLook() {
		imp = o.importance()
	}
	for j, text := range []string{runWhen(r), runDetail(r)} {
		l := lines.Objects[j].(*widget.Label)
		l.Importance = imp
		l.SetText(text)
	}
}

// findBadge finds the circle inside a badgeBox, however it is wrapped.
func findBadge(o fyne.CanvasObject) *canvas.Circle {
	switch v := o.(type) {
	case *canvas.Circle:
		return v
	case *fyne.Container:
		for _, c := range v.Objects {
			if b := findBadge(c); b != nil {
				return b
			}
		}
	}
	return nil
}

func runWhen(r workspace.RunSummary) string {
	s := r.Started.Local().Format("2 Jan 2006 15:04")
	if r.Kind != "" && r.Kind != "sync" {
		s += " · " + r.Kind
	}
	if r.Trigger == "scheduled" {
		s += " · scheduled"
	}
	return s
}

// runDetail is the second line of a run: source, result, duration.
func runDetail(r workspace.RunSummary) string {
	return sourceName(r.Source) + "  ·  " + runCounts(r) + "  ·  " + runDuration(r)
}

// runTally is summaryText after the outcome's words: row errors are not
// said twice ("Finished with 1 row error. 1 created · 4 updated").
func runTally(r workspace.RunSummary) string {
	if outcomeOf(r) != outcomeRowErrors {
		return summaryText(r)
	}
	r.Errors, r.Conflicts = 0, 0
	return summaryText(r)
}

func runCounts(r workspace.RunSummary) string {
	s := fmt.Sprintf("%s · %d created · %d updated", outcomeWords(r), r.Created, r.Updated)
	if outcomeOf(r) != outcomeRowErrors && r.Errors+r.Conflicts > 0 {
		s += " · " + rowProblems(r)
	}
	return s
}

func runDuration(r workspace.RunSummary) string {
	if r.Finished.IsZero() || r.Finished.Before(r.Started) {
		return "not finished"
	}
	d := r.Finished.Sub(r.Started)
	if d < time.Second {
		return "under 1 s"
	}
	return d.Round(time.Second).String()
}

// canUndo: a sync that wrote something and was not undone yet.
func canUndo(r workspace.RunSummary) bool {
	if r.Kind != "sync" {
		return false
	}
	switch r.State {
	case "finished", "failed", "cancelled":
		return true
	}
	return false
}

func (v *historyView) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(v.runs) {
		return
	}
	v.selected = i
	r := v.runs[i]
	text := fmt.Sprintf("%s run from %s: %s. %s", capitalise(r.Trigger), source.MaskLocation(r.Source), outcomeWords(r), runTally(r))
	if r.UndoOf != "" {
		text += "\nUndoes run " + r.UndoOf
	}
	if r.Superseded {
		text += "\nA later run changed the store since, so this one can't be resumed: preview the sheet again in the Sync tab."
	}
	v.detail.SetText(text)
	setEnabled(v.undoBtn, canUndo(r))
	setEnabled(v.resumeBtn, r.Resumable())
	v.resumeBtn.SetText("Resume…")
	if r.State == "held" {
		v.resumeBtn.SetText("Review…")
	}
	setEnabled(v.report, r.ReportPath != "")
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (v *historyView) selectedRun() (workspace.RunSummary, bool) {
	if v.selected < 0 || v.selected >= len(v.runs) {
		return workspace.RunSummary{}, false
	}
	return v.runs[v.selected], true
}

func (v *historyView) onOpenReport() {
	r, ok := v.selectedRun()
	if !ok || r.ReportPath == "" {
		return
	}
	u, err := url.Parse(storage.NewFileURI(r.ReportPath).String())
	if err == nil {
		err = fyne.CurrentApp().OpenURL(u)
	}
	if err != nil {
		showError(v.win, "Could not open the report", fmt.Errorf("%w (the report is at %s)", err, r.ReportPath))
	}
}

// onUndo plans the undo off the UI goroutine and shows it for review.
func (v *historyView) onUndo() {
	r, ok := v.selectedRun()
	if !ok {
		return
	}
	v.openPlan(v.undoBtn, "undo-plan", "Could not prepare the undo",
		func() (*catalogsync.Plan, error) { return v.backend.PlanUndo(v.ctx, r.ID) },
		func(p *catalogsync.Plan) *runDialog { return newUndoDialog(v, r, p) })
}

// onResume loads the run's recorded plan off the UI goroutine and shows it:
// a held run to review and apply, or an interrupted one to finish.
func (v *historyView) onResume() {
	r, ok := v.selectedRun()
	if !ok {
		return
	}
	v.openPlan(v.resumeBtn, "resume-plan", "Could not load the run",
		func() (*catalogsync.Plan, error) { return v.backend.LoadPlan(v.ctx, r.ID) },
		func(p *catalogsync.Plan) *runDialog { return newResumeDialog(v, r, p) })
}

// openPlan fetches a plan off the UI goroutine, then opens its dialog.
func (v *historyView) openPlan(btn *widget.Button, signal, failure string, fetch func() (*catalogsync.Plan, error), open func(*catalogsync.Plan) *runDialog) {
	btn.Disable()
	go func() {
		p, err := fetch()
		fyne.Do(func() {
			defer v.done(signal)
			btn.Enable()
			switch {
			case err != nil:
				if v.ctx.Err() == nil {
					showError(v.win, failure, err)
				}
			case p != nil:
				v.dialog = open(p)
				v.dialog.dlg.Show()
			}
		})
	}()
}

// runDialog shows a plan with the preview widget and applies it: an undo,
// or a held or interrupted run.
type runDialog struct {
	view    *historyView
	plan    *catalogsync.Plan
	signal  string // told to tests when the apply has finished
	start   func(confirmGuards bool)
	preview *previewView
	apply   *applyPanel
	applyBt *widget.Button
	close   *widget.Button
	replan  *widget.Button // held runs: preview the sheet again instead
	note    *widget.Label
	dlg     *dialog.CustomDialog
}

func newRunDialog(v *historyView, p *catalogsync.Plan, title, note, action string, icon fyne.Resource) *runDialog {
	d := &runDialog{view: v, plan: p, preview: newPreviewView(), apply: newApplyPanel(v.backend, v.win)}
	d.preview.setPlan(p)
	d.preview.onConfirmChanged = func(bool) { d.update() }
	d.apply.onFinished = d.onFinished
	d.applyBt = widget.NewButtonWithIcon(action, icon, d.onApply)
	d.applyBt.Importance = widget.DangerImportance
	d.close = widget.NewButton("Close", func() { d.dlg.Hide() })
	d.note = widget.NewLabel(note)
	d.note.Wrapping = fyne.TextWrapWord
	d.note.Hidden = note == ""
	body := container.NewBorder(d.note, d.apply.content, nil, nil, d.preview.content)
	d.dlg = dialog.NewCustomWithoutButtons(title, body, v.win)
	d.dlg.SetButtons([]fyne.CanvasObject{d.close, d.applyBt})
	d.dlg.Resize(fyne.NewSize(880, 580))
	d.update()
	return d
}

func newUndoDialog(v *historyView, r workspace.RunSummary, p *catalogsync.Plan) *runDialog {
	d := newRunDialog(v, p, "Undo the run of "+r.Started.Local().Format("2 Jan 15:04"), "",
		"Apply undo", theme.ContentUndoIcon())
	d.signal = "undo-apply"
	d.start = func(confirm bool) { d.apply.start(v.ctx, v.storeID, d.plan, confirm) }
	return d
}

func newResumeDialog(v *historyView, r workspace.RunSummary, p *catalogsync.Plan) *runDialog {
	when := r.Started.Local().Format("2 Jan 15:04")
	title, action := "Resume the run of "+when, "Resume run"
	note := "This run stopped before all its changes were sent. Resuming checks the changes whose outcome " +
		"is unknown against the store first, so nothing is written twice. The preview shows the whole run."
	if r.State == "held" {
		title, action = "Review the held run of "+when, "Apply held run"
		note = "A safety guard stopped this " + r.Trigger + " run; nothing was written. Its plan was made " +
			ago(r.Started) + ": stock that changed in Shopify since is skipped as a conflict, not overwritten. " +
			"To see the sheet against the store as it is now, press Preview again."
	}
	d := newRunDialog(v, p, title, note, action, theme.MediaPlayIcon())
	d.signal = "resume-apply"
	d.start = func(confirm bool) { d.apply.startResume(v.ctx, r.ID, confirm) }
	if r.State == "held" && r.Source != "" {
		d.replan = widget.NewButtonWithIcon("Preview again", theme.ViewRefreshIcon(), func() { d.onReplan(r) })
		d.dlg.SetButtons([]fyne.CanvasObject{d.close, d.replan, d.applyBt})
	}
	return d
}

// onReplan previews the held run's sheet against the store as it is now.
// Applying that fresh plan makes a new run; the held one stays as it was
// (and is superseded by it).
func (d *runDialog) onReplan(r workspace.RunSummary) {
	v := d.view
	d.replan.Disable()
	d.applyBt.Disable()
	d.note.SetText("Reading " + sourceName(r.Source) + " and the store…")
	go func() {
		p, err := v.backend.PlanSync(v.ctx, workspace.SyncRequest{StoreID: v.storeID, Source: r.Source})
		fyne.Do(func() {
			defer v.done("replan")
			d.replan.Enable()
			if err != nil {
				d.note.SetText("Could not preview the sheet again; the held run is unchanged.")
				if v.ctx.Err() == nil {
					showError(v.win, "Could not preview the sheet", err)
				}
				d.update()
				return
			}
			d.plan = p
			d.preview.setPlan(p)
			d.note.SetText("A fresh preview of " + sourceName(r.Source) + " against the store as it is now. " +
				"Applying it makes a new run; the held one is left as it was.")
			d.applyBt.SetText("Apply " + plural(p.Counts.Changes, "change"))
			d.start = func(confirm bool) { d.apply.start(v.ctx, v.storeID, d.plan, confirm) }
			d.update()
		})
	}()
}

// ago reads "5 minutes ago", "3 hours ago", "2 days ago".
func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < 2*time.Minute:
		return "just now"
	case d < 2*time.Hour:
		return fmt.Sprintf("%d minutes ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
}

func (d *runDialog) update() {
	setEnabled(d.applyBt, d.plan != nil && d.plan.HasChanges() && !d.preview.needsConfirm() && !d.apply.busy())
	setEnabled(d.close, !d.apply.busy())
	if d.replan != nil {
		setEnabled(d.replan, !d.apply.busy())
	}
}

func (d *runDialog) onApply() {
	if d.plan == nil || d.apply.busy() {
		return
	}
	d.applyBt.Disable()
	d.close.Disable()
	d.start(len(d.plan.Guards) > 0) // last: starts the worker
}

func (d *runDialog) onFinished(_ workspace.RunSummary, err error) {
	if err == nil || !errors.Is(err, catalogsync.ErrGuardsTripped) {
		d.plan = nil // a plan goes out once; plan it again for what is left
	}
	d.update()
	if d.view.onChanged != nil {
		d.view.onChanged()
	}
	d.view.done(d.signal)
	d.view.load() // last: it starts a worker
}
