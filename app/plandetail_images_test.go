package app

import (
	"strings"
	"testing"

	catalogsync "github.com/shelfsync/shelfsync/sync"
)

// TestRowDetailShowsImageChanges: the Sync tab's row detail lists a
// product's image changes in words, and counts them with its changes.
func TestRowDetailShowsImageChanges(t *testing.T) {
	pp := &catalogsync.ProductPlan{Handle: "tee", Action: catalogsync.ActUpdate, Images: []catalogsync.ImageChange{
		{Change: catalogsync.ImageAdd, Image: 2, Src: "https://img.example.com/side.jpg", Alt: "Side"},
		{Change: catalogsync.ImageAlt, Image: 1, Old: "Front", New: "Front view"},
	}}
	got := rowDetail(previewRow{product: pp}, nil)
	for _, want := range []string{`image 2 added: https://img.example.com/side.jpg (alt text "Side")`, `alt text of image 1: Front → "Front view"`} {
		if !strings.Contains(got, want) {
			t.Errorf("detail lacks %q:\n%s", want, got)
		}
	}
	if s := (previewRow{product: pp}).note(); !strings.Contains(s, "2 changes") {
		t.Errorf("summary %q", s)
	}
}
