package state

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// writeLoad creates n runs for storeID through d, each with a journal of
// entriesPerRun entries that it marks pending then done, and finishes it.
func writeLoad(ctx context.Context, d *DB, storeID string, n, entriesPerRun int) error {
	for i := 0; i < n; i++ {
		r, err := d.CreateRun(ctx, Run{StoreID: storeID, Kind: KindSync, Trigger: TriggerScheduled, State: RunRunning})
		if err != nil {
			return err
		}
		es := entries(entriesPerRun)
		if err := d.AppendJournal(ctx, r.ID, es); err != nil {
			return err
		}
		for _, e := range es {
			if err := d.MarkJournal(ctx, r.ID, JournalPending, "", e.Seq); err != nil {
				return err
			}
			if err := d.MarkJournal(ctx, r.ID, JournalDone, "", e.Seq); err != nil {
				return err
			}
		}
		r.State, r.Counts.Updated = RunFinished, entriesPerRun
		if err := d.UpdateRun(ctx, r); err != nil {
			return err
		}
		if err := d.SetStatus(ctx, storeID, Status{Code: "ok", Message: fmt.Sprint(i)}); err != nil {
			return err
		}
		if err := d.SetSetting(ctx, "last."+storeID, strconv.Itoa(i)); err != nil {
			return err
		}
	}
	return nil
}

// checkLoad verifies that every run written by writeLoad is complete.
func checkLoad(t *testing.T, d *DB, storeID string, wantRuns, entriesPerRun int) {
	t.Helper()
	ctx := context.Background()
	runs, err := d.ListRuns(ctx, storeID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != wantRuns {
		t.Errorf("store %s has %d runs, want %d", storeID[:8], len(runs), wantRuns)
	}
	for _, r := range runs {
		c, err := d.JournalCounts(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.State != RunFinished || c[JournalDone] != entriesPerRun || len(c) != 1 {
			t.Errorf("run %s: state %s journal %v", r.ID[:8], r.State, c)
		}
	}
}

// TestConcurrentWritersTwoHandles has goroutines on two *DB handles (two
// connection pools, as two processes have) write to one file at once.
func TestConcurrentWritersTwoHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	var handles [2]*DB
	var wg sync.WaitGroup
	for i := range handles {
		wg.Add(1)
		go func() { // both open (and migrate) a fresh file at once
			defer wg.Done()
			d, err := Open(path)
			if err != nil {
				t.Error(err)
				return
			}
			handles[i] = d
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	defer handles[0].Close()
	defer handles[1].Close()

	ctx := context.Background()
	const workers, runsEach, entriesEach = 6, 5, 20
	stores := make([]Store, workers)
	for i := range stores {
		stores[i] = mustStore(t, handles[i%2], fmt.Sprintf("c%d.myshopify.com", i))
	}
	errs := make(chan error, workers)
	for i := 0; i < workers; i++ {
		go func() { errs <- writeLoad(ctx, handles[i%2], stores[i].ID, runsEach, entriesEach) }()
	}
	for i := 0; i < workers; i++ {
		if err := <-errs; err != nil {
			t.Errorf("writer: %v", err)
		}
	}
	for _, s := range stores {
		checkLoad(t, handles[0], s.ID, runsEach, entriesEach)
	}
}

// TestConcurrentWritersTwoProcesses runs this test binary again as a second
// process (the `shelfsync run-due` from cron) writing while this one does.
func TestConcurrentWritersTwoProcesses(t *testing.T) {
	if os.Getenv("SHELFSYNC_STATE_CHILD") != "" {
		t.Skip("child mode runs TestHelperChildWriter only")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	mine := mustStore(t, d, "parent.myshopify.com")
	theirs := mustStore(t, d, "child.myshopify.com")
	const runs, entriesEach = 8, 20

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChildWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SHELFSYNC_STATE_CHILD="+path, "SHELFSYNC_STATE_STORE="+theirs.ID)
	out := make(chan error, 1)
	var output []byte
	go func() {
		var err error
		output, err = cmd.CombinedOutput()
		out <- err
	}()
	if err := writeLoad(ctx, d, mine.ID, runs, entriesEach); err != nil {
		t.Errorf("parent writer: %v", err)
	}
	if err := <-out; err != nil {
		t.Fatalf("child writer: %v\n%s", err, output)
	}
	checkLoad(t, d, mine.ID, runs, entriesEach)
	checkLoad(t, d, theirs.ID, runs, entriesEach)
}

// TestHelperChildWriter is the second process of
// TestConcurrentWritersTwoProcesses; on its own it does nothing.
func TestHelperChildWriter(t *testing.T) {
	path := os.Getenv("SHELFSYNC_STATE_CHILD")
	if path == "" {
		t.Skip("only runs as the child of TestConcurrentWritersTwoProcesses")
	}
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := writeLoad(context.Background(), d, os.Getenv("SHELFSYNC_STATE_STORE"), 8, 20); err != nil {
		t.Fatal(err)
	}
}

// TestKilledWriterLeavesNoHalfRecord kills a second process while it appends
// large journals, then checks every run has all of its entries or none, and
// the file passes SQLite's integrity check.
func TestKilledWriterLeavesNoHalfRecord(t *testing.T) {
	if os.Getenv("SHELFSYNC_STATE_CHILD") != "" {
		t.Skip("child mode")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	s := mustStore(t, d, "crash.myshopify.com")

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChildCrasher$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SHELFSYNC_STATE_CHILD="+path, "SHELFSYNC_STATE_STORE="+s.ID)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once it has committed a few journals, so it is mid-append.
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, err := d.ListRuns(ctx, s.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := d.JournalCounts(ctx, oldestRunID(runs)); len(runs) >= 3 && c[JournalPlanned] > 0 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("child wrote nothing in 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	after, err := Open(path) // a fresh handle recovers the WAL as the next app start would
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	var check string
	if err := after.sql.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	runs, _ := after.ListRuns(ctx, s.ID, 0)
	empty := 0
	for _, r := range runs {
		c, err := after.JournalCounts(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := c[JournalPlanned]; n != 0 && n != crashBatch {
			t.Errorf("run %s has %d of %d journal entries: a half-written batch", r.ID[:8], n, crashBatch)
		}
		if c[JournalPlanned] == 0 {
			empty++
		}
	}
	t.Logf("%d runs, %d killed before their journal committed", len(runs), empty)
}

// crashBatch is the journal size the crash child appends per run.
const crashBatch = 5_000

func oldestRunID(rs []Run) string {
	if len(rs) == 0 {
		return ""
	}
	return rs[len(rs)-1].ID
}

// TestHelperChildCrasher appends large journals until it is killed.
func TestHelperChildCrasher(t *testing.T) {
	path := os.Getenv("SHELFSYNC_STATE_CHILD")
	if path == "" {
		t.Skip("only runs as the child of TestKilledWriterLeavesNoHalfRecord")
	}
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	es := entries(crashBatch)
	for i := 0; i < 1000; i++ {
		r, err := d.CreateRun(ctx, Run{StoreID: os.Getenv("SHELFSYNC_STATE_STORE"), Kind: KindSync, Trigger: TriggerCLI})
		if err != nil {
			t.Fatal(err)
		}
		for j := range es {
			es[j].Seq = 0
		}
		if err := d.AppendJournal(ctx, r.ID, es); err != nil {
			t.Fatal(err)
		}
	}
}
