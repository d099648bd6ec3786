package workspace

import (
	"context"
	"fmt"
	gosync "sync"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/state"
)

// One choice of sheet, one read. The Sync tab inspects a sheet when it is
// chosen (and may read its columns), then previews it: the bytes read
// first are kept for the preview that follows, so a Google Sheet is not
// downloaded twice and the preview is of the sheet the tab described.
// Only requests with the manual trigger (the window) keep or reuse a read:
// scheduled runs and the command line always read the sheet anew.

// keepFor is how long after its read began a sheet may stand in for a
// preview's read: enough to choose a sheet and press Preview, short enough
// that a merchant is unlikely to have edited a downloaded sheet meanwhile
// (the preview then says when it was downloaded). A file that changed is
// read again however soon.
const keepFor = time.Minute

// sheetKeeper holds the one sheet a workspace keeps: a 100,000-row sheet
// is some 30 MB, so never more than one, dropped once used or keepFor
// after it was read.
type sheetKeeper struct {
	mu   gosync.Mutex
	kept *keptSheet
}

// keptSheet is a read of a store's source, under way until ready closes.
type keptSheet struct {
	key   string
	at    time.Time     // when the read began
	ready chan struct{} // closed once sheet is set (nil: the read failed)
	sheet *source.Loaded
	drop  *time.Timer
}

func sheetKey(req SyncRequest) string { return req.StoreID + "\x00" + req.Source }

// readSheet reads req's source with opts for loadSheet, saying in the
// catalog's notes when it is a download kept from earlier.
func (w *Workspace) readSheet(ctx context.Context, req SyncRequest, opts source.Options, keep bool) (*catalog.Catalog, error) {
	l, keptAt, err := w.loadSheet(ctx, req, opts, keep)
	if err != nil {
		return nil, err
	}
	cat, err := l.Read(opts)
	if cat != nil && !keptAt.IsZero() && l.Downloaded() {
		cat.Notes = append(cat.Notes, keptNote(w.now().Sub(keptAt)))
	}
	return cat, err
}

// loadSheet reads req's source. For the Sync tab (manual trigger) that is
// the sheet kept for it when still good (keptAt is when it was read), else
// a new read; keep keeps it for the next read (inspecting, reading the
// columns), without keep it is used up (the preview). Other triggers read
// anew and keep nothing.
func (w *Workspace) loadSheet(ctx context.Context, req SyncRequest, opts source.Options, keep bool) (l *source.Loaded, keptAt time.Time, err error) {
	manual := req.Trigger == string(state.TriggerManual)
	key, asked := sheetKey(req), w.now()
	if manual {
		e, err := w.sheets.take(ctx, key, asked)
		if err != nil {
			return nil, time.Time{}, err
		}
		if e != nil {
			if keep {
				w.sheets.put(e)
			}
			return e.sheet, e.at, nil
		}
	}
	if !manual || !keep {
		l, err = source.Load(ctx, req.Source, opts)
		return l, time.Time{}, err
	}
	// Kept while under way, so a preview pressed meanwhile waits for it.
	e := &keptSheet{key: key, at: asked, ready: make(chan struct{})}
	w.sheets.put(e)
	e.sheet, err = source.Load(ctx, req.Source, opts)
	close(e.ready)
	if err != nil {
		w.sheets.forget(e)
	}
	return e.sheet, time.Time{}, err
}

// take removes the sheet kept for key and returns it once its read is done,
// if it began at most keepFor before asked and the file is unchanged; nil
// otherwise. Taken, it is gone: a second preview reads the sheet again.
func (k *sheetKeeper) take(ctx context.Context, key string, asked time.Time) (*keptSheet, error) {
	k.mu.Lock()
	e := k.kept
	if e == nil || e.key != key {
		k.mu.Unlock()
		return nil, nil
	}
	k.kept = nil
	if e.drop != nil {
		e.drop.Stop()
	}
	k.mu.Unlock()
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if e.sheet == nil || asked.Sub(e.at) > keepFor || e.sheet.Changed() {
		return nil, nil
	}
	return e, nil
}

// put keeps e in place of what was kept, until keepFor from now at most.
func (k *sheetKeeper) put(e *keptSheet) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if old := k.kept; old != nil && old.drop != nil {
		old.drop.Stop()
	}
	k.kept = e
	e.drop = time.AfterFunc(keepFor, func() { k.forget(e) })
}

// forget drops e if it is still the one kept.
func (k *sheetKeeper) forget(e *keptSheet) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.kept == e {
		k.kept = nil
		e.drop.Stop()
	}
}

// keptNote tells that a preview used the sheet downloaded when it was
// chosen, age ago: only a new download could show an edit made since.
func keptNote(age time.Duration) string {
	ago := "just now"
	if s := int(age.Round(time.Second) / time.Second); s > 0 {
		ago = fmt.Sprintf("%d s ago", s)
	}
	return "this preview used the download made when the sheet was chosen (" + ago + "): " +
		"press Preview again to download it anew if the sheet was edited since"
}
