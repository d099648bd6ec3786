package state

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestSaveSourceInsertsThenUpdatesKeepingID(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "src.myshopify.com")
	first, err := d.SaveSource(ctx, Source{StoreID: s.ID, Location: "/data/catalog.xlsx",
		Mapping: json.RawMessage(`{"Handle":"handle"}`), Sheet: "Products", MatchStrategy: "handle"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == "" || first.CreatedAt.IsZero() || string(first.Mapping) != `{"Handle":"handle"}` {
		t.Errorf("first save: %+v", first)
	}
	time.Sleep(2 * time.Millisecond)
	second, err := d.SaveSource(ctx, Source{StoreID: s.ID, Location: "/data/catalog.xlsx",
		Mapping: json.RawMessage(`{"SKU":"sku"}`), Sheet: "Sheet2", LocationID: "gid://shopify/Location/1", MatchStrategy: "sku"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != first.ID || !second.CreatedAt.Equal(first.CreatedAt) || !second.UpdatedAt.After(first.UpdatedAt) {
		t.Errorf("re-save changed identity: first %+v second %+v", first, second)
	}
	got, err := d.GetSource(ctx, first.ID)
	if err != nil || string(got.Mapping) != `{"SKU":"sku"}` || got.Sheet != "Sheet2" ||
		got.LocationID != "gid://shopify/Location/1" || got.MatchStrategy != "sku" {
		t.Errorf("GetSource = %+v, %v", got, err)
	}
	byLoc, err := d.FindSource(ctx, s.ID, "/data/catalog.xlsx")
	if err != nil || byLoc.ID != first.ID {
		t.Errorf("FindSource = %+v, %v", byLoc, err)
	}
	if _, err := d.FindSource(ctx, s.ID, "/other.csv"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindSource(missing) = %v", err)
	}
	if _, err := d.GetSource(ctx, "missing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetSource(missing) = %v", err)
	}
}

func TestSaveSourceValidation(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "v.myshopify.com")
	if got, err := d.SaveSource(ctx, Source{StoreID: s.ID, Location: "https://x/y.csv"}); err != nil || string(got.Mapping) != "{}" {
		t.Errorf("empty mapping: %s, %v", got.Mapping, err)
	}
	for name, src := range map[string]Source{
		"no location":   {StoreID: s.ID},
		"no store":      {Location: "/a.csv"},
		"bad json":      {StoreID: s.ID, Location: "/a.csv", Mapping: json.RawMessage(`{`)},
		"unknown store": {StoreID: "missing", Location: "/a.csv"},
	} {
		if _, err := d.SaveSource(ctx, src); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestListAndDeleteSources(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "l.myshopify.com")
	other := mustStore(t, d, "o.myshopify.com")
	a, _ := d.SaveSource(ctx, Source{StoreID: s.ID, Location: "/a.csv"})
	time.Sleep(2 * time.Millisecond)
	b, _ := d.SaveSource(ctx, Source{StoreID: s.ID, Location: "/b.csv"})
	d.SaveSource(ctx, Source{StoreID: other.ID, Location: "/a.csv"})
	list, err := d.ListSources(ctx, s.ID)
	if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
		t.Fatalf("ListSources = %+v, %v", list, err)
	}
	sch, err := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: a.ID, Kind: SpecInterval, Spec: "1h", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteSource(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteSource(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteSource = %v", err)
	}
	if _, err := d.GetSchedule(ctx, sch.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("schedule of a deleted source survived: %v", err)
	}
}
