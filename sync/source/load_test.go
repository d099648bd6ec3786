package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadedChanged: a loaded file says it changed when it was modified,
// replaced by another file (as Excel saves), resized or removed, even with
// the same size and modification time; its bytes parse more than once.
func TestLoadedChanged(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sheet.csv")
	stamp := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	write := func(path, data string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, stamp, stamp); err != nil {
			t.Fatal(err)
		}
	}
	load := func() *Loaded {
		t.Helper()
		write(p, "SKU,Price\nA-1,10.00\n")
		l, err := Load(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if l.Downloaded() || l.Changed() {
			t.Fatal("a file just read is a download or changed")
		}
		return l
	}

	l := load()
	for i := 0; i < 2; i++ {
		if cat, err := l.Read(Options{}); err != nil || len(cat.Variants) != 1 || cat.Variants[0].SKU != "A-1" {
			t.Fatalf("parse %d: %v", i+1, err)
		}
	}
	edits := map[string]func(){
		"modified": func() {
			write(p, "SKU,Price\nA-1,12.00\n")
			later := stamp.Add(time.Second)
			_ = os.Chtimes(p, later, later)
		},
		"replaced": func() {
			other := filepath.Join(dir, "new.csv")
			write(other, "SKU,Price\nA-1,12.00\n") // same size and time, another file
			if err := os.Rename(other, p); err != nil {
				t.Fatal(err)
			}
		},
		"resized": func() { write(p, "SKU,Price\nA-1,120.00\n") },
		"removed": func() { _ = os.Remove(p) },
	}
	for name, edit := range edits {
		l := load()
		edit()
		if !l.Changed() {
			t.Errorf("%s: not seen as changed", name)
		}
	}
}
