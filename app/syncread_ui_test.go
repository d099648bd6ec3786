package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestChosenSheetIsReadOnceInTheTab: on the real workspace, a sheet at a
// URL chosen in the Sync tab, then previewed, is downloaded once (the
// preview says it used the download made when it was chosen); Preview
// again downloads it again. (A file edited in between: sync/workspace's
// TestEditedFileIsReadAgain.)
func TestChosenSheetIsReadOnceInTheTab(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the simulated store")
	}
	_, ts, _, ch := demoStoreTabs(t)
	v := ts.sync
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		w.Header().Set("Content-Type", "text/csv")
		_, _ = w.Write([]byte("SKU,Price\nTP-001,36.00\n"))
	}))
	defer srv.Close()
	preview := func() string {
		t.Helper()
		test.Tap(v.previewBtn)
		ch.wait(t, "plan")
		if v.plan == nil {
			t.Fatalf("no plan: %q", v.planStatus.Text)
		}
		return strings.Join(v.plan.Notes, "\n")
	}

	v.setSource(srv.URL + "/prices.csv")
	ch.wait(t, "sheet")
	if !strings.Contains(preview(), "when the sheet was chosen") {
		t.Error("the preview does not say it used the download made when the sheet was chosen")
	}
	if n := fetches.Load(); n != 1 {
		t.Fatalf("chosen and previewed: %d downloads, want 1", n)
	}
	savePNG(t, v.win, "sync-kept-download.png")
	if strings.Contains(preview(), "when the sheet was chosen") {
		t.Error("a new download is said to be the one made when the sheet was chosen")
	}
	if n := fetches.Load(); n != 2 {
		t.Fatalf("previewed again: %d downloads, want 2", n)
	}
}
