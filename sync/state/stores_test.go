package state

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCreateGetStoreRoundTrip(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	exp := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	in := Store{
		Name: "Acme EU", ShopDomain: "acme-eu.myshopify.com", BaseURL: "http://127.0.0.1:4567",
		TokenKind: TokenOAuthExpiring, ClientID: "cid", Scopes: []string{"read_products", "write_products"},
		AccessIssuedAt: exp.Add(-24 * time.Hour), AccessExpiresAt: exp, RefreshExpiresAt: exp.Add(90 * 24 * time.Hour),
		ShopName: "Acme", Plan: "Grow", Group: "Acme Corp", LastVerifiedAt: exp.Add(-time.Hour),
		Status: Status{Code: "ok", Message: "Connected"}, NeedsAttention: true,
	}
	s, err := d.CreateStore(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.ID) != 36 || s.CreatedAt.IsZero() || !s.UpdatedAt.Equal(s.CreatedAt) {
		t.Errorf("CreateStore did not fill ID/times: %+v", s)
	}
	got, err := d.GetStore(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, s) {
		t.Errorf("GetStore\n got %+v\nwant %+v", got, s)
	}
}

func TestCreateStoreDefaultsAndErrors(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "plain.myshopify.com")
	if s.Name != "plain.myshopify.com" {
		t.Errorf("empty name should default to the domain, got %q", s.Name)
	}
	if s.Scopes != nil || !s.AccessExpiresAt.IsZero() {
		t.Errorf("unset fields not empty: %+v", s)
	}
	_, err := d.CreateStore(ctx, Store{ShopDomain: "PLAIN.myshopify.com", TokenKind: TokenCustomApp})
	if !errors.Is(err, ErrExists) {
		t.Errorf("duplicate domain (other case): %v, want ErrExists", err)
	}
	if _, err := d.CreateStore(ctx, Store{TokenKind: TokenCustomApp}); err == nil {
		t.Error("store without domain accepted")
	}
	if _, err := d.CreateStore(ctx, Store{ShopDomain: "x.myshopify.com", TokenKind: "bogus"}); err == nil {
		t.Error("unknown token kind accepted")
	}
	if _, err := d.GetStore(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetStore(missing) = %v, want ErrNotFound", err)
	}
}

func TestUpdateStore(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "a.myshopify.com")
	other := mustStore(t, d, "b.myshopify.com")
	at := time.Date(2026, 2, 3, 4, 5, 6, 7_000_000, time.UTC)
	want := Store{ID: s.ID, Name: "Renamed", ShopDomain: "a2.myshopify.com", BaseURL: "http://127.0.0.1:1",
		TokenKind: TokenOAuthExpiring, ClientID: "c", Scopes: []string{"read_inventory", "write_inventory"},
		AccessIssuedAt: at, AccessExpiresAt: at.Add(time.Hour), RefreshExpiresAt: at.Add(48 * time.Hour),
		ShopName: "A", Plan: "Plus", Group: "G", LastVerifiedAt: at, Status: Status{"ok", "fine"},
		NeedsAttention: true, CreatedAt: s.CreatedAt}
	time.Sleep(2 * time.Millisecond) // so UpdatedAt visibly moves
	in := want
	in.CreatedAt = at // ignored
	if err := d.UpdateStore(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, _ := d.GetStore(ctx, s.ID)
	if !got.UpdatedAt.After(s.UpdatedAt) {
		t.Errorf("UpdatedAt did not move: %v", got.UpdatedAt)
	}
	want.UpdatedAt = got.UpdatedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after UpdateStore\n got %+v\nwant %+v", got, want)
	}
	other.ShopDomain = "a2.myshopify.com"
	if err := d.UpdateStore(ctx, other); !errors.Is(err, ErrExists) {
		t.Errorf("UpdateStore to a taken domain: %v, want ErrExists", err)
	}
	if err := d.UpdateStore(ctx, Store{ID: "missing", ShopDomain: "z", TokenKind: TokenCustomApp}); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateStore(missing) = %v, want ErrNotFound", err)
	}
}

func TestStoreSetters(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "set.myshopify.com")
	exp := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	verifiedAt := time.Date(2026, 5, 30, 8, 0, 0, 0, time.UTC)

	steps := []struct {
		name string
		do   func(id string) error
	}{
		{"SetTokenMeta", func(id string) error {
			return d.SetTokenMeta(ctx, id, TokenMeta{Kind: TokenClientCredentials, ClientID: "app1",
				Scopes: []string{"write_products"}, AccessIssuedAt: verifiedAt, AccessExpiresAt: exp})
		}},
		{"SetVerified", func(id string) error {
			return d.SetVerified(ctx, id, verifiedAt, "Set Shop", "Advanced", Status{"ok", "Connected"})
		}},
		{"SetStatus", func(id string) error { return d.SetStatus(ctx, id, Status{"offline", "Couldn't verify"}) }},
		{"SetGroup", func(id string) error { return d.SetGroup(ctx, id, "Client A") }},
		{"RenameStore", func(id string) error { return d.RenameStore(ctx, id, "Nice name") }},
		{"SetNeedsAttention", func(id string) error { return d.SetNeedsAttention(ctx, id, true) }},
	}
	for _, st := range steps {
		if err := st.do(s.ID); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if err := st.do("missing"); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s(missing) = %v, want ErrNotFound", st.name, err)
		}
	}
	got, _ := d.GetStore(ctx, s.ID)
	want := s
	want.TokenKind, want.ClientID, want.Scopes, want.AccessExpiresAt = TokenClientCredentials, "app1", []string{"write_products"}, exp
	want.AccessIssuedAt = verifiedAt
	want.LastVerifiedAt, want.ShopName, want.Plan = verifiedAt, "Set Shop", "Advanced"
	want.Status = Status{"offline", "Couldn't verify"} // SetStatus keeps LastVerifiedAt
	want.Group, want.Name, want.NeedsAttention = "Client A", "Nice name", true
	want.UpdatedAt = got.UpdatedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after setters\n got %+v\nwant %+v", got, want)
	}
	if err := d.SetNeedsAttention(ctx, s.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := d.GetStore(ctx, s.ID); got.NeedsAttention {
		t.Error("SetNeedsAttention(false) did not clear the flag")
	}
}

func TestListStoresOrder(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	for _, s := range []Store{
		{Name: "zeta", ShopDomain: "z.myshopify.com", Group: "B"},
		{Name: "Alpha", ShopDomain: "a.myshopify.com", Group: "B"},
		{Name: "mid", ShopDomain: "m.myshopify.com", Group: "a"},
		{Name: "none", ShopDomain: "n.myshopify.com"},
	} {
		s.TokenKind = TokenCustomApp
		if _, err := d.CreateStore(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	list, err := d.ListStores(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "none,mid,Alpha,zeta" {
		t.Errorf("ListStores order = %v", names)
	}
}

func TestFindStore(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	mk := func(id, name, domain string) Store {
		s, err := d.CreateStore(ctx, Store{ID: id, Name: name, ShopDomain: domain, TokenKind: TokenCustomApp})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	a := mk("aaaa1111-0000-4000-8000-000000000000", "Acme", "acme.myshopify.com")
	b := mk("aaaa2222-0000-4000-8000-000000000000", "Beta", "beta.myshopify.com")
	c := mk("cccc0000-0000-4000-8000-000000000000", "Twin", "twin-1.myshopify.com")
	mk("dddd0000-0000-4000-8000-000000000000", "twin", "twin-2.myshopify.com")
	// A display name that is also another store's domain: the domain wins.
	mk("eeee0000-0000-4000-8000-000000000000", "beta.myshopify.com", "other.myshopify.com")

	cases := []struct {
		q    string
		want string
		err  error
	}{
		{a.ID, a.ID, nil},
		{"acme.myshopify.com", a.ID, nil},
		{"ACME.myshopify.com", a.ID, nil},
		{"acme", a.ID, nil}, // domain without the suffix
		{" Beta ", b.ID, nil},
		{"beta.myshopify.com", b.ID, nil},
		{"twin-1", c.ID, nil},
		{"aaaa1", a.ID, nil},
		{"AAAA2", b.ID, nil},
		{"aaaa", "", ErrAmbiguous},
		{"twin", "", ErrAmbiguous},
		{"nothing", "", ErrNotFound},
		{"", "", ErrNotFound},
	}
	for _, tc := range cases {
		got, err := d.FindStore(ctx, tc.q)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("FindStore(%q) = %v, %v; want %v", tc.q, got.ID, err, tc.err)
			}
			continue
		}
		if err != nil || got.ID != tc.want {
			t.Errorf("FindStore(%q) = %v, %v; want %v", tc.q, got.ID, err, tc.want)
		}
	}
	_, err := d.FindStore(ctx, "twin")
	if err == nil || !strings.Contains(err.Error(), "twin-1.myshopify.com") || !strings.Contains(err.Error(), "twin-2.myshopify.com") {
		t.Errorf("ambiguous error should name the candidates: %v", err)
	}
}

func TestDeleteStoreCascades(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	s := mustStore(t, d, "gone.myshopify.com")
	keep := mustStore(t, d, "keep.myshopify.com")
	r, _ := d.CreateRun(ctx, Run{StoreID: s.ID, Kind: KindSync, Trigger: TriggerManual})
	kr, _ := d.CreateRun(ctx, Run{StoreID: keep.ID, Kind: KindSync, Trigger: TriggerManual})
	if err := d.AppendJournal(ctx, r.ID, []JournalEntry{{ItemKey: "h", State: JournalDone}}); err != nil {
		t.Fatal(err)
	}
	src, err := d.SaveSource(ctx, Source{StoreID: s.ID, Location: "/x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateSchedule(ctx, Schedule{StoreID: s.ID, SourceID: src.ID, Kind: SpecDaily, Spec: "07:00"}); err != nil {
		t.Fatal(err)
	}

	if err := d.DeleteStore(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteStore(ctx, s.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteStore = %v, want ErrNotFound", err)
	}
	for table, want := range map[string]int{"runs": 1, "journal": 0, "sources": 0, "schedules": 0, "stores": 1} {
		var n int
		if err := d.sql.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s has %d rows after delete, want %d", table, n, want)
		}
	}
	if _, err := d.GetRun(ctx, kr.ID); err != nil {
		t.Errorf("other store's run deleted: %v", err)
	}
}
