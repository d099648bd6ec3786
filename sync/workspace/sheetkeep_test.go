package workspace

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// sheetServer serves a sheet on 127.0.0.1, counting its downloads; hold
// keeps them waiting until the test lets them go.
type sheetServer struct {
	*httptest.Server
	fetches atomic.Int32
	started chan struct{} // one send a download, when it is held
	hold    chan struct{} // nil: answer at once
}

func newSheetServer(t *testing.T, body string, hold chan struct{}) *sheetServer {
	s := &sheetServer{started: make(chan struct{}, 8), hold: hold}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		if s.hold != nil {
			s.started <- struct{}{}
			<-s.hold
		}
		w.Header().Set("Content-Type", "text/csv")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *sheetServer) expect(t *testing.T, n int32, when string) {
	t.Helper()
	if got := s.fetches.Load(); got != n {
		t.Fatalf("%s: %d downloads, want %d", when, got, n)
	}
}

func planText(t *testing.T, p *catalogsync.Plan) string {
	t.Helper()
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestChosenSheetIsDownloadedOnce: the Sync tab (manual trigger) inspects
// a sheet at a URL when it is chosen, may read its columns, then previews
// it: one download, and the preview says when it was made. A second
// preview downloads again; so does a preview more than a minute later.
// Scheduled runs and the command line always download.
func TestChosenSheetIsDownloadedOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var ahead atomic.Int64 // how far the workspace's clock is ahead
	w, s := demoWorkspace(t, func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) })
	srv := newSheetServer(t, "SKU,Price\nTP-001,36.00\n", nil)
	req := SyncRequest{StoreID: s.ID, Source: srv.URL + "/sheet.csv", Trigger: "manual"}
	preview := func(req SyncRequest) string {
		t.Helper()
		p, err := w.PlanSync(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(p.Notes, "\n")
	}

	if _, err := w.InspectSheet(ctx, req); err != nil {
		t.Fatal(err)
	}
	srv.expect(t, 1, "chosen")
	ahead.Add(int64(20 * time.Second))
	if notes := preview(req); !strings.Contains(notes, "download made when the sheet was chosen (20 s ago)") {
		t.Errorf("the preview does not say it used the download made when the sheet was chosen:\n%s", notes)
	}
	srv.expect(t, 1, "chosen, then previewed")
	if w.sheets.holds() {
		t.Error("the sheet is still kept after the preview used it")
	}
	if notes := preview(req); strings.Contains(notes, "when the sheet was chosen") {
		t.Errorf("a new download is said to be the old one:\n%s", notes)
	}
	srv.expect(t, 2, "previewed again")

	// The column editor reads the kept sheet and leaves it for the preview.
	if _, err := w.InspectSheet(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.SourceColumns(ctx, req); err != nil {
		t.Fatal(err)
	}
	preview(req)
	srv.expect(t, 3, "chosen, columns read, previewed")

	// Too old: downloaded again.
	if _, err := w.InspectSheet(ctx, req); err != nil {
		t.Fatal(err)
	}
	ahead.Add(int64(keepFor + time.Second))
	preview(req)
	srv.expect(t, 5, "previewed over a minute after it was chosen")

	// The command line and schedules never use it; the window still can.
	if _, err := w.InspectSheet(ctx, req); err != nil {
		t.Fatal(err)
	}
	for _, trigger := range []string{"cli", "scheduled", ""} {
		r := req
		r.Trigger = trigger
		preview(r)
	}
	srv.expect(t, 9, "previewed from the command line, a schedule and History")
	preview(req)
	srv.expect(t, 9, "previewed in the window after them")
	// A sheet that can't be read keeps nothing.
	if _, err := w.InspectSheet(ctx, SyncRequest{StoreID: s.ID, Source: filepath.Join(t.TempDir(), "gone.csv"), Trigger: "manual"}); err == nil || w.sheets.holds() {
		t.Errorf("a missing file: %v, kept %v", err, w.sheets.holds())
	}
}

// holds tells whether a sheet is kept.
func (k *sheetKeeper) holds() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.kept != nil
}

// TestPreviewWaitsForTheChoosingDownload: Preview pressed while the sheet
// chosen is still downloading waits for that download instead of starting
// another.
func TestPreviewWaitsForTheChoosingDownload(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	hold := make(chan struct{})
	srv := newSheetServer(t, "SKU,Price\nTP-001,36.00\n", hold)
	req := SyncRequest{StoreID: s.ID, Source: srv.URL + "/sheet.csv", Trigger: "manual"}
	inspected := make(chan error, 1)
	go func() {
		_, err := w.InspectSheet(ctx, req)
		inspected <- err
	}()
	select {
	case <-srv.started:
	case err := <-inspected:
		t.Fatalf("inspected without downloading: %v", err)
	}
	planned := make(chan error, 1)
	go func() {
		_, err := w.PlanSync(ctx, req)
		planned <- err
	}()
	// Give the preview time to find the download under way; a second
	// download would be held too, and counted.
	time.Sleep(300 * time.Millisecond)
	close(hold)
	if err := <-inspected; err != nil {
		t.Fatal(err)
	}
	if err := <-planned; err != nil {
		t.Fatal(err)
	}
	srv.expect(t, 1, "previewed while the chosen sheet downloaded")
}

// TestEditedFileIsReadAgain: a file edited between choosing it and pressing
// Preview is read again (the merchant's loop: edit in Excel, Preview); one
// left as it was is read once. A write that keeps the file's size and
// puts its modification time back is the one edit not seen: it shows that
// the preview used what was read when the sheet was chosen.
func TestEditedFileIsReadAgain(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	w, s := demoWorkspace(t, nil)
	sheet := filepath.Join(t.TempDir(), "prices.csv")
	stamp := time.Now().Add(-time.Hour).Truncate(time.Second)
	write := func(price string, mod time.Time) {
		t.Helper()
		if err := os.WriteFile(sheet, []byte("SKU,Price\nTP-001,"+price+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(sheet, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	req := SyncRequest{StoreID: s.ID, Source: sheet, Trigger: "manual"}
	previewsPrice := func(price string) bool {
		t.Helper()
		p, err := w.PlanSync(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Contains(planText(t, p), `"new":"`+price+`"`)
	}

	write("36.00", stamp)
	if _, err := w.InspectSheet(ctx, req); err != nil {
		t.Fatal(err)
	}
	write("40.00", stamp.Add(time.Second)) // saved again a second later
	if !previewsPrice("40.00") {
		t.Error("the preview is of the file as it was when chosen, not as edited")
	}

	write("36.00", stamp)
	if _, err := w.InspectSheet(ctx, req); err != nil {
		t.Fatal(err)
	}
	write("41.00", stamp) // same size, same time: not seen
	if !previewsPrice("36.00") {
		t.Error("the file was read again: the preview did not use what was read when it was chosen")
	}
	if !previewsPrice("41.00") {
		t.Error("a second preview did not read the file again")
	}
}
