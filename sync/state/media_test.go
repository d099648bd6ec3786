package state

import (
	"context"
	"testing"
)

// TestMediaSources: what Shelfsync uploaded is remembered per store and
// product, replaced when an address gets a new image, and forgotten by
// media ID; another store's records are not seen.
func TestMediaSources(t *testing.T) {
	ctx := context.Background()
	d := openTest(t)
	var ids []string
	for _, name := range []string{"s1", "s2"} {
		s, err := d.CreateStore(ctx, Store{Name: name, ShopDomain: name + ".myshopify.com", TokenKind: TokenCustomApp})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(d.RecordMediaSources(ctx, ids[0], []MediaSource{{"P1", "https://a/x.jpg", "M1", false}, {"P1", "https://a/y.jpg", "M2", false}, {"P2", "https://a/x.jpg", "M3", false}}))
	must(d.RecordMediaSources(ctx, ids[1], []MediaSource{{"P1", "https://a/x.jpg", "M9", false}}))
	must(d.RecordMediaSources(ctx, ids[0], []MediaSource{{"P1", "https://a/y.jpg", "M4", true}}))
	got, _, err := d.MediaRecords(ctx, ids[0], []string{"P1", "P2", "P3"})
	must(err)
	if got["P1"]["https://a/x.jpg"] != "M1" || got["P1"]["https://a/y.jpg"] != "M4" || got["P2"]["https://a/x.jpg"] != "M3" || len(got) != 2 {
		t.Fatalf("records = %v", got)
	}
	if _, retried, err := d.MediaRecords(ctx, ids[0], []string{"P1", "P2"}); err != nil || len(retried) != 1 || !retried["M4"] {
		t.Fatalf("retried = %v, %v; want M4 only (a retry's record replaced M2's)", retried, err)
	}
	must(d.ForgetMediaSources(ctx, ids[0], []string{"M1"}))
	got, _, err = d.MediaRecords(ctx, ids[0], []string{"P1"})
	must(err)
	if _, ok := got["P1"]["https://a/x.jpg"]; ok || len(got["P1"]) != 1 {
		t.Fatalf("after forgetting M1: %v", got)
	}
}
