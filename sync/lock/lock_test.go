package lock

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const storeID = "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b1a00"

func TestGoroutinesExcludeEachOther(t *testing.T) {
	dir := t.TempDir()
	const n = 16
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		won   []*Lock
		busy  int
	)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			l, err := TryLock(dir, storeID, "test")
			mu.Lock()
			defer mu.Unlock()
			var be *BusyError
			switch {
			case err == nil:
				won = append(won, l)
			case errors.As(err, &be) && errors.Is(err, ErrBusy):
				busy++
				if be.Holder.PID != os.Getpid() || be.Holder.Purpose != "test" {
					t.Errorf("busy error names holder %+v", be.Holder)
				}
			default:
				t.Errorf("TryLock: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(won) != 1 || busy != n-1 {
		t.Fatalf("%d goroutines got the lock, %d were refused; want 1 and %d", len(won), busy, n-1)
	}
	if err := won[0].Unlock(); err != nil {
		t.Fatal(err)
	}
	if err := won[0].Unlock(); !errors.Is(err, ErrUnlocked) {
		t.Errorf("second Unlock: %v", err)
	}
	l, err := TryLock(dir, storeID, "again")
	if err != nil {
		t.Fatalf("TryLock after Unlock: %v", err)
	}
	defer l.Unlock()
	// Other stores are independent.
	other, err := TryLock(dir, "another-store", "test")
	if err != nil {
		t.Fatalf("TryLock of another store: %v", err)
	}
	other.Unlock()
}

// The kernel lock alone must also exclude within one process: reach the same file through a
// symlinked directory, which the in-process table sees as a different path.
func TestKernelLockExcludesSecondOpenInProcess(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	l, err := TryLock(dir, storeID, "first")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	_, err = TryLock(link, storeID, "second")
	var be *BusyError
	if !errors.As(err, &be) || be.InProcess {
		t.Fatalf("second open of the same file: %v; want a kernel-level BusyError", err)
	}
	if be.Holder.Purpose != "first" || !strings.Contains(be.Error(), "first") {
		t.Errorf("busy error does not say who holds it: %v", be)
	}
}

func TestInvalidStoreIDs(t *testing.T) {
	for _, id := range []string{"", "../etc", "a/b", `a\b`, ".hidden", "NUL", "com1", "con.x", strings.Repeat("a", 129)} {
		if l, err := TryLock(t.TempDir(), id, ""); err == nil {
			l.Unlock()
			t.Errorf("TryLock accepted store ID %q", id)
		}
	}
}

func TestAcquireWaits(t *testing.T) {
	dir := t.TempDir()
	l, err := TryLock(dir, storeID, "holder")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err = Acquire(ctx, dir, storeID, "waiter", 5*time.Millisecond)
	cancel()
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("Acquire while held: %v", err)
	}
	go func() {
		time.Sleep(20 * time.Millisecond)
		l.Unlock()
	}()
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	l2, err := Acquire(ctx, dir, storeID, "waiter", 5*time.Millisecond)
	if err != nil {
		t.Fatalf("Acquire after release: %v", err)
	}
	l2.Unlock()
}

// helperEnv makes the test binary act as a lock holder (see TestHelperProcess).
const helperEnv = "SHELFSYNC_LOCK_HELPER_DIR"

// TestHelperProcess is not a test: run as a child with helperEnv set, it tries the lock, prints
// "locked" or "busy", and if locked holds it until its stdin closes.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperEnv)
	if dir == "" {
		t.Skip("helper process only")
	}
	l, err := TryLock(dir, storeID, "helper")
	if err != nil {
		fmt.Println("busy", err)
		os.Exit(0)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	l.Unlock()
	os.Exit(0)
}

type helper struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	line  string
}

// startHelper starts a child holder and returns once it has reported.
func startHelper(t *testing.T, dir string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{cmd: cmd, stdin: stdin}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("helper said nothing: %v", err)
	}
	go io.Copy(io.Discard, out)
	h.line = strings.TrimSpace(line)
	return h
}

func TestTwoProcessesExactlyOneRuns(t *testing.T) {
	dir := t.TempDir()
	var (
		wg      sync.WaitGroup
		helpers = make([]*helper, 2)
	)
	for i := range helpers {
		wg.Add(1)
		go func() { defer wg.Done(); helpers[i] = startHelper(t, dir) }()
	}
	wg.Wait()
	var holder *helper
	for _, h := range helpers {
		switch {
		case h.line == "locked" && holder == nil:
			holder = h
		case strings.HasPrefix(h.line, "busy") && strings.Contains(h.line, "already syncing"):
		default:
			t.Fatalf("helpers said %q and %q; want exactly one locked", helpers[0].line, helpers[1].line)
		}
	}
	if holder == nil {
		t.Fatalf("no helper got the lock: %q, %q", helpers[0].line, helpers[1].line)
	}

	// This process is refused too, and told which pid holds the lock.
	_, err := TryLock(dir, storeID, "parent")
	var be *BusyError
	if !errors.As(err, &be) || be.Holder.PID != holder.cmd.Process.Pid {
		t.Fatalf("parent TryLock: %v; want busy naming pid %d", err, holder.cmd.Process.Pid)
	}
	if !strings.Contains(err.Error(), "pid "+strconv.Itoa(holder.cmd.Process.Pid)) {
		t.Errorf("message %q does not name the holder", err)
	}

	// A clean exit releases it.
	holder.stdin.Close()
	if err := holder.cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	l, err := TryLock(dir, storeID, "parent")
	if err != nil {
		t.Fatalf("after the holder exited: %v", err)
	}
	l.Unlock()
}

func TestKilledHolderReleasesLock(t *testing.T) {
	dir := t.TempDir()
	h := startHelper(t, dir)
	if h.line != "locked" {
		t.Fatalf("helper: %q", h.line)
	}
	if _, err := TryLock(dir, storeID, "parent"); !errors.Is(err, ErrBusy) {
		t.Fatalf("TryLock while the helper holds it: %v", err)
	}
	if running, err := Running(dir, storeID); !running || err != nil {
		t.Fatalf("Running while another process holds the lock: %v, %v", running, err)
	}
	if err := h.cmd.Process.Kill(); err != nil { // SIGKILL: no chance to clean up
		t.Fatal(err)
	}
	h.cmd.Wait()
	if running, err := Running(dir, storeID); running || err != nil {
		t.Fatalf("Running after the holder was killed: %v, %v", running, err)
	}
	l, err := TryLock(dir, storeID, "parent")
	if err != nil {
		t.Fatalf("lock of a killed holder not recovered: %v", err)
	}
	defer l.Unlock()
	if got, err := ReadHolder(dir, storeID); err != nil || got.PID != os.Getpid() || got.Purpose != "parent" {
		t.Errorf("holder text after recovery: %+v %v", got, err)
	}
}
