package app

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"strings"
	gosync "sync"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	catalogsync "github.com/shelfsync/shelfsync/sync"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// SyncBackend is what the Sync, Schedule and History tabs need of the engine.
// Every method may block on the network or the database, so views call it
// from a goroutine, never from a callback. Apply calls progress from its own
// goroutines, as often as it likes: the view throttles.
type SyncBackend interface {
	Locations(ctx context.Context, storeID string) ([]catalogsync.Location, error)
	PlanSync(ctx context.Context, req workspace.SyncRequest) (*catalogsync.Plan, error)
	// SourceColumns returns the sheet's header and the JSON of the column
	// mapping a sync would use (req.Mapping, the saved one, or the detected one).
	SourceColumns(ctx context.Context, req workspace.SyncRequest) (columns []string, mapping []byte, err error)
	// InspectSheet says where the sheet's quantities go (whether to ask for
	// a location) and whether its saved mapping makes blank cells clear.
	InspectSheet(ctx context.Context, req workspace.SyncRequest) (workspace.SheetInfo, error)
	Apply(ctx context.Context, storeID string, plan *catalogsync.Plan, confirmGuards bool, progress func(workspace.ApplyProgress)) (workspace.RunSummary, error)
	History(ctx context.Context, storeID string) ([]workspace.RunSummary, error)
	// SeenHistory records that the user opened the History tab, which clears
	// the store's red "a run failed" mark.
	SeenHistory(ctx context.Context, storeID string) error
	PlanUndo(ctx context.Context, runID string) (*catalogsync.Plan, error)
	// LoadPlan returns the plan recorded with a run; Resume finishes that
	// run (or applies it, if it was held by a guard).
	LoadPlan(ctx context.Context, runID string) (*catalogsync.Plan, error)
	Resume(ctx context.Context, runID string, confirmGuards bool, progress func(workspace.ApplyProgress)) (workspace.RunSummary, error)
	Schedules(ctx context.Context, storeID string) ([]workspace.ScheduleView, error)
	SetSchedule(ctx context.Context, req workspace.ScheduleRequest) (workspace.ScheduleView, error)
	RemoveSchedule(ctx context.Context, id string) error
	DemoSheetPath() string // a ready sample sheet for the demo store ("" when none)
}

// progressEvery is the shortest gap between two progress updates on screen:
// the engine may report every item, the eye needs ten a second at most.
const progressEvery = 100 * time.Millisecond

// progressFeed turns the engine's progress callbacks into two bindings,
// updated at most once per progressEvery. Bindings are safe to set from any
// goroutine, so the feed needs no fyne.Do.
type progressFeed struct {
	fraction binding.Float
	text     binding.String
	every    time.Duration

	mu      gosync.Mutex
	last    time.Time
	pending *workspace.ApplyProgress // newest value not yet shown
}

func newProgressFeed() *progressFeed {
	return &progressFeed{fraction: binding.NewFloat(), text: binding.NewString(), every: progressEvery}
}

// update is the progress callback handed to Apply.
func (f *progressFeed) update(p workspace.ApplyProgress) {
	f.mu.Lock()
	now := time.Now()
	last := p.Total > 0 && p.Done >= p.Total // the final count always shows
	if now.Sub(f.last) < f.every && !last {
		f.pending = &p
		f.mu.Unlock()
		return
	}
	f.last, f.pending = now, nil
	f.mu.Unlock()
	f.show(p)
}

// flush shows the newest value the throttle held back, once the run ends.
func (f *progressFeed) flush() {
	f.mu.Lock()
	p := f.pending
	f.pending = nil
	f.mu.Unlock()
	if p != nil {
		f.show(*p)
	}
}

func (f *progressFeed) reset(text string) {
	f.mu.Lock()
	f.last, f.pending = time.Time{}, nil
	f.mu.Unlock()
	_ = f.fraction.Set(0)
	_ = f.text.Set(text)
}

func (f *progressFeed) show(p workspace.ApplyProgress) {
	if p.Total > 0 {
		_ = f.fraction.Set(float64(p.Done) / float64(p.Total))
	}
	_ = f.text.Set(progressText(p))
}

// progressText reads "Variants: 12 of 40 · about 1 min left".
func progressText(p workspace.ApplyProgress) string {
	phase := "Working"
	if p.Phase != "" {
		r, n := utf8.DecodeRuneInString(p.Phase)
		phase = string(unicode.ToUpper(r)) + p.Phase[n:]
	}
	if p.Total <= 0 {
		return fmt.Sprintf("%s: %d done", phase, p.Done)
	}
	s := fmt.Sprintf("%s: %d of %d", phase, p.Done, p.Total)
	if p.ETA > 0 && p.Done < p.Total {
		s += " · about " + etaText(p.ETA) + " left"
	}
	return s
}

func etaText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(math.Ceil(d.Seconds())))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(math.Ceil(d.Minutes())))
	default:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	}
}

// summaryText is one line for a finished run, plus the engine's message when
// the run did not finish (it says why and what is left).
func summaryText(r workspace.RunSummary) string {
	s := fmt.Sprintf("%d created · %d updated", r.Created, r.Updated)
	if r.Errors > 0 {
		s += " · " + plural(r.Errors, "row error")
	}
	if r.Conflicts > 0 {
		s += " · " + plural(r.Conflicts, "conflict")
	}
	if r.Message != "" && r.State != "finished" {
		s += "\n" + r.Message
	}
	return s
}

// applyPanel runs one Apply (a sync or an undo) with a progress bar, the
// time left, Cancel, and the run's summary at the end. The Sync tab and the
// History tab's Undo dialog share it.
type applyPanel struct {
	backend SyncBackend
	win     fyne.Window
	// onFinished is called on the UI goroutine when the run ends (err is
	// context.Canceled when the user cancelled).
	onFinished func(workspace.RunSummary, error)

	feed    *progressFeed
	bar     *widget.ProgressBar
	cancel  *widget.Button
	result  *widget.Label
	running *fyne.Container
	content *fyne.Container
	stop    context.CancelFunc
}

func newApplyPanel(b SyncBackend, w fyne.Window) *applyPanel {
	a := &applyPanel{backend: b, win: w, feed: newProgressFeed()}
	a.bar = widget.NewProgressBarWithData(a.feed.fraction)
	a.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), a.onCancel)
	a.result = widget.NewLabel("")
	a.result.Wrapping = fyne.TextWrapWord
	a.result.Hide()
	a.running = container.NewBorder(nil, widget.NewLabelWithData(a.feed.text), nil, a.cancel, a.bar)
	a.running.Hide()
	a.content = container.NewVBox(a.running, a.result)
	return a
}

// busy tells whether a run is going on.
func (a *applyPanel) busy() bool { return a.stop != nil }

// start applies plan to the store off the UI goroutine. Call on the UI goroutine.
func (a *applyPanel) start(ctx context.Context, storeID string, plan *catalogsync.Plan, confirmGuards bool) {
	a.run(ctx, func(ctx context.Context, progress func(workspace.ApplyProgress)) (workspace.RunSummary, error) {
		return a.backend.Apply(ctx, storeID, plan, confirmGuards, progress)
	})
}

// startResume finishes a recorded run (or applies a held one) off the UI
// goroutine. Call on the UI goroutine.
func (a *applyPanel) startResume(ctx context.Context, runID string, confirmGuards bool) {
	a.run(ctx, func(ctx context.Context, progress func(workspace.ApplyProgress)) (workspace.RunSummary, error) {
		return a.backend.Resume(ctx, runID, confirmGuards, progress)
	})
}

func (a *applyPanel) run(ctx context.Context, apply func(context.Context, func(workspace.ApplyProgress)) (workspace.RunSummary, error)) {
	ctx, cancel := context.WithCancel(ctx)
	a.stop = cancel
	a.feed.reset("Starting…")
	a.result.Hide()
	a.cancel.Enable()
	a.running.Show()
	go func() {
		sum, err := apply(ctx, a.feed.update)
		a.feed.flush()
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		cancel()
		fyne.Do(func() { a.finish(sum, err) })
	}()
}

func (a *applyPanel) finish(sum workspace.RunSummary, err error) {
	a.stop = nil
	a.running.Hide()
	switch {
	case errors.Is(err, context.Canceled):
		a.result.Importance = widget.WarningImportance
		a.result.SetText("Cancelled. What was sent before Cancel stays; History can resume or undo the run.")
	case errors.Is(err, catalogsync.ErrGuardsTripped):
		a.result.Importance = widget.DangerImportance
		a.result.SetText("Held for review: a safety guard tripped. Confirm it in the preview to apply anyway.")
	case err != nil:
		a.result.Importance = widget.DangerImportance
		a.result.SetText("The run failed.")
		showError(a.win, "Could not apply the changes", err)
	default:
		o := outcomeOf(sum)
		a.result.Importance = o.importance()
		text := outcomeLine(sum)
		if sum.Message != "" && sum.State != "finished" {
			text += "\n" + sum.Message
		}
		a.result.SetText(text)
	}
	a.result.Show()
	if a.onFinished != nil {
		a.onFinished(sum, err)
	}
}

func (a *applyPanel) onCancel() {
	if a.stop != nil {
		a.cancel.Disable()
		_ = a.feed.text.Set("Cancelling…")
		a.stop()
	}
}

// sheetExtensions are the files the Sync tab accepts.
var sheetExtensions = []string{".csv", ".tsv", ".xlsx"}

// validateSourceURL accepts https links (a CSV file or a Google Sheet).
func validateSourceURL(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil // the field is optional
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return errors.New("not a link: paste an https://… address or a Google Sheets link")
	}
	if u.Scheme != "https" {
		return errors.New("use an https:// link")
	}
	return nil
}

// sourceName is a short name for a sheet: the file name, "Google Sheet",
// or the link's host.
func sourceName(src string) string {
	if !strings.Contains(src, "://") {
		return filepath.Base(src)
	}
	u, err := url.Parse(src)
	switch {
	case err != nil:
		return src
	case u.Host == "docs.google.com":
		return "Google Sheet"
	default:
		return u.Host + "/…/" + filepath.Base(u.Path)
	}
}

// sheetFileError says why path is not a sheet Shelfsync reads, or nil.
func sheetFileError(path string) error {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range sheetExtensions {
		if ext == e {
			return nil
		}
	}
	return fmt.Errorf("%s is not a spreadsheet Shelfsync reads: use a CSV or XLSX file", filepath.Base(path))
}
