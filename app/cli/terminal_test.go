package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerminalEscapesFromCellsAreShown: escape sequences in a sheet's
// handle and SKU (move up, erase the line, retitle the window) reach the
// terminal as visible text during a dry run, never as control bytes; an
// export to standard output keeps the store's values as they are.
func TestTerminalEscapesFromCellsAreShown(t *testing.T) {
	_, c := connectedShop(t, nil)
	sheet := filepath.Join(t.TempDir(), "supplier.csv")
	if err := os.WriteFile(sheet, []byte("Handle,Title,Variant SKU,Variant Price\n"+
		"evil-three\x1b[1A\x1b[2K\x1b]0;owned\x07\u009b2K,Evil three,ok\x1b[2K\x1b[1A,1.00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := c.run("sync", "--store", "acme", "--source", sheet, "--dry-run")
	if code != ExitOK {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if strings.ContainsAny(out+errOut, "\x1b\x07\u009b") {
		t.Fatalf("control characters reached the terminal: %q", out+errOut)
	}
	if !strings.Contains(out, `evil-three\x1b[1a\x1b[2k\x1b]0;owned\x07\u009b2k`) {
		t.Fatalf("the handle is not shown escaped: %q", out)
	}
	if code, out, errOut := c.run("sync", "--store", "acme", "--source", sheet, "--yes"); code != ExitOK {
		t.Fatalf("apply: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := c.run("export", "--store", "acme", "--out", "-"); code != ExitOK || !strings.Contains(out, "ok\x1b[2K\x1b[1A") {
		t.Fatalf("export to standard output: exit %d %q", code, out)
	}
}

// TestTerminalSafeSplitWrites: a C1 control split across two writes is
// still caught, and ordinary text, UTF-8 included, passes unchanged.
func TestTerminalSafeSplitWrites(t *testing.T) {
	var b bytes.Buffer
	w := &terminalSafe{w: &b}
	for _, p := range []string{"Größe\tL\n", "a\xc2", "\x9b31m", "\r\x7f", "\xff€\n"} {
		if n, err := w.Write([]byte(p)); n != len(p) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", p, n, err)
		}
	}
	if want := "Größe\tL\na\\u009b31m\\x0d\\x7f\\xff€\n"; b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}
