package shopify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

const appID = "shelfsync-test"

var scopes = []string{"write_products", "write_inventory", "read_locations"}

// simShop starts a simulated shop and a client for it.
func simShop(t testing.TB, plan fakeshop.Plan, scale float64) (*fakeshop.Server, *fakeshop.Shop, *shopify.Client, string) {
	t.Helper()
	srv := fakeshop.NewServer(fakeshop.Options{TimeScale: scale})
	t.Cleanup(func() { _ = srv.Close() })
	srv.RegisterApp(fakeshop.App{ClientID: appID, ClientSecret: "shpss_x", Scopes: scopes, OwnOrganization: true})
	sh, err := srv.AddShop("demo", plan)
	if err != nil {
		t.Fatal(err)
	}
	tok := sh.Install(appID, scopes)
	c, err := shopify.New(shopify.Options{Shop: sh.Domain(), BaseURL: sh.URL(), Tokens: shopify.StaticToken(tok), TimeScale: scale})
	if err != nil {
		t.Fatal(err)
	}
	return srv, sh, c, tok
}

func ptr[T any](v T) *T { return &v }

func TestSimShopInfoAndLocations(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 1)
	ctx := context.Background()
	info, err := c.ShopInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.MyshopifyDomain != sh.Domain() || info.PlanName == "" || info.CurrencyCode == "" || !info.HasScope("write_products") {
		t.Fatalf("%+v", info)
	}
	locs, err := c.Locations(ctx)
	if err != nil || len(locs) < 2 || !strings.HasPrefix(locs[0].ID, "gid://shopify/Location/") {
		t.Fatalf("locs=%+v err=%v", locs, err)
	}
	if st := c.Pacer().Status(); !st.Known || st.RestoreRate != 100 || st.Maximum != 2000 {
		t.Fatalf("pacer %+v", st)
	}
}

// roundTrip holds what the steps of TestSimCatalogRoundTrip share.
type roundTrip struct {
	ctx  context.Context
	srv  *fakeshop.Server
	sh   *fakeshop.Shop
	c    *shopify.Client
	locs []shopify.Location
	tee  shopify.Product
	newV string // the variant VariantsBulkCreate added
}

// TestSimCatalogRoundTrip runs every typed operation against the simulator,
// in order, and checks both our decoded answers and the simulator's catalog.
func TestSimCatalogRoundTrip(t *testing.T) {
	srv, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 1)
	rt := &roundTrip{ctx: context.Background(), srv: srv, sh: sh, c: c}
	for _, step := range []struct {
		name string
		run  func(*testing.T)
	}{
		{"ProductSet", rt.create}, {"ProductsByHandles", rt.byHandle}, {"VariantsBySKUs and update", rt.bySKU},
		{"SetInventory", rt.stock}, {"VariantsBulkCreate and status", rt.grow}, {"simulator catalog", rt.checkCatalog},
		{"delete", rt.remove},
	} {
		if !t.Run(step.name, step.run) {
			return
		}
	}
}

func (rt *roundTrip) create(t *testing.T) {
	var err error
	if rt.locs, err = rt.c.Locations(rt.ctx); err != nil {
		t.Fatal(err)
	}
	p, err := rt.c.ProductSet(rt.ctx, shopify.ProductSetInput{
		Handle: "tee", Title: ptr("Tee"), Vendor: ptr("Acme"), Tags: []string{"summer"}, Status: "DRAFT",
		Options: []shopify.OptionInput{{Name: "Size", Values: []string{"S", "M"}}},
		Variants: []shopify.VariantInput{
			{OptionValues: []shopify.SelectedOption{{Name: "Size", Value: "S"}}, SKU: ptr("TEE-S"), Price: ptr("10.00"),
				Available: []shopify.LocationQuantity{{LocationID: rt.locs[0].ID, Quantity: 4}}},
			{OptionValues: []shopify.SelectedOption{{Name: "Size", Value: "M"}}, SKU: ptr("TEE-M"), Price: ptr("11.00")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Handle != "tee" || len(p.Variants) != 2 || p.Variants[0].InventoryItem.ID == "" || p.Status != "DRAFT" {
		t.Fatalf("productSet answer %+v", p)
	}
}

func (rt *roundTrip) byHandle(t *testing.T) {
	got, err := rt.c.ProductsByHandles(rt.ctx, []string{"tee", "nope"})
	if err != nil || len(got) != 1 {
		t.Fatalf("by handle: %+v %v", got, err)
	}
	rt.tee = got[0]
	if rt.tee.Vendor != "Acme" || len(rt.tee.Options) != 1 || len(rt.tee.Options[0].Values) != 2 || rt.tee.Variants[0].SKU != "TEE-S" {
		t.Fatalf("snapshot %+v", rt.tee)
	}
	if lv := rt.tee.Variants[0].InventoryItem.Levels; len(lv) == 0 || lv[0].Available != 4 {
		t.Fatalf("levels %+v", lv)
	}
}

func (rt *roundTrip) bySKU(t *testing.T) {
	// Search is eventually consistent: the product created a moment ago is
	// not in the index yet, while the exact lookups above found it.
	if vs, err := rt.c.VariantsBySKUs(rt.ctx, []string{"TEE-M"}); err != nil || len(vs) != 0 {
		t.Fatalf("search found a product created a moment ago: %+v %v", vs, err)
	}
	rt.srv.Advance(fakeshop.DefaultSearchLag)
	vs, err := rt.c.VariantsBySKUs(rt.ctx, []string{"TEE-M", "ghost"})
	if err != nil || len(vs) != 1 || vs[0].ProductHandle != "tee" || vs[0].Price != "11.00" {
		t.Fatalf("by sku %+v %v", vs, err)
	}
	upd, err := rt.c.VariantsBulkUpdate(rt.ctx, rt.tee.ID, []shopify.VariantUpdate{{ID: vs[0].ID, Price: ptr("12.50"), SKU: ptr("TEE-M2")}})
	if err != nil || len(upd) != 1 || upd[0].Price != "12.50" {
		t.Fatalf("update %+v %v", upd, err)
	}
}

func (rt *roundTrip) stock(t *testing.T) {
	set := func(qty, from int) error {
		return rt.c.SetInventory(rt.ctx, shopify.SetInventoryInput{Quantities: []shopify.InventoryQuantity{
			{InventoryItemID: rt.tee.Variants[0].InventoryItem.ID, LocationID: rt.locs[0].ID, Quantity: qty, ChangeFrom: ptr(from)},
		}})
	}
	if err := set(9, 4); err != nil {
		t.Fatal(err)
	}
	var ue *shopify.UserErrors
	if err := set(1, 4); !errors.As(err, &ue) { // 4 is stale now
		t.Fatalf("stale changeFrom: err = %v", err)
	}
	if _, err := rt.c.InventoryActivate(rt.ctx, rt.tee.Variants[1].InventoryItem.ID, rt.locs[1].ID, ptr(2), ""); err != nil {
		t.Fatal(err)
	}
}

func (rt *roundTrip) grow(t *testing.T) {
	created, err := rt.c.VariantsBulkCreate(rt.ctx, rt.tee.ID, []shopify.VariantInput{
		{OptionValues: []shopify.SelectedOption{{Name: "Size", Value: "L"}}, SKU: ptr("TEE-L"), Price: ptr("13.00")},
	}, "")
	if err != nil || len(created) != 1 || created[0].SKU != "TEE-L" {
		t.Fatalf("create %+v %v", created, err)
	}
	rt.newV = created[0].ID
	if err := rt.c.ProductUpdateStatus(rt.ctx, rt.tee.ID, "ACTIVE"); err != nil {
		t.Fatal(err)
	}
}

func (rt *roundTrip) checkCatalog(t *testing.T) {
	snap := rt.sh.Snapshot()
	if len(snap) != 1 || len(snap[0].Variants) != 3 || snap[0].Status != "ACTIVE" {
		t.Fatalf("simulator catalog %+v", snap)
	}
	want := map[string]func(fakeshop.Variant) bool{
		"TEE-S":  func(v fakeshop.Variant) bool { return v.Levels[0].Available == 9 },
		"TEE-M2": func(v fakeshop.Variant) bool { return v.Price == "12.50" && len(v.Levels) == 2 },
		"TEE-L":  func(v fakeshop.Variant) bool { return v.Price == "13.00" },
	}
	for _, v := range snap[0].Variants {
		if ok := want[v.SKU]; ok == nil || !ok(v) {
			t.Errorf("variant %+v", v)
		}
	}
}

func (rt *roundTrip) remove(t *testing.T) {
	if err := rt.c.VariantsBulkDelete(rt.ctx, rt.tee.ID, []string{rt.newV}); err != nil {
		t.Fatal(err)
	}
	if err := rt.c.ProductDelete(rt.ctx, rt.tee.ID); err != nil {
		t.Fatal(err)
	}
	if len(rt.sh.Snapshot()) != 0 {
		t.Fatal("product not deleted")
	}
}

func seedProducts(sh *fakeshop.Shop, n, variants int) {
	var ps []fakeshop.Product
	for i := range n {
		p := fakeshop.Product{Title: fmt.Sprintf("P %d", i), Handle: fmt.Sprintf("p-%d", i),
			Options: []fakeshop.Option{{Name: "Size"}}}
		for j := range variants {
			val := fmt.Sprintf("v%d", j)
			p.Options[0].Values = append(p.Options[0].Values, val)
			p.Variants = append(p.Variants, fakeshop.Variant{SKU: fmt.Sprintf("SKU-%d-%d", i, j), Price: "1.00", Tracked: true,
				SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: val}}})
		}
		ps = append(ps, p)
	}
	sh.Seed(ps)
}

func TestSimAllProductsPagedAndBulkAgree(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Plus"), 1)
	seedProducts(sh, 30, 3)
	seedProducts(sh, 0, 0)
	// One product with more variants than fit in the first page.
	var big fakeshop.Product
	big.Title, big.Handle = "Big", "big"
	big.Options = []fakeshop.Option{{Name: "N"}}
	for j := range 25 {
		v := fmt.Sprint(j)
		big.Options[0].Values = append(big.Options[0].Values, v)
		big.Variants = append(big.Variants, fakeshop.Variant{SKU: "BIG-" + v, Price: "2.00",
			SelectedOptions: []fakeshop.SelectedOption{{Name: "N", Value: v}}})
	}
	sh.Seed([]fakeshop.Product{big})

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	count := func(read func(context.Context, func(shopify.Product) error) error) (int, int) {
		products, variants := 0, 0
		if err := read(ctx, func(p shopify.Product) error {
			products++
			variants += len(p.Variants)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return products, variants
	}
	pp, pv := count(c.AllProducts)
	bp, bv := count(c.AllProductsBulk)
	if pp != 31 || pv != 30*3+25 || bp != pp || bv != pv {
		t.Fatalf("paged %d/%d, bulk %d/%d", pp, pv, bp, bv)
	}
}

func TestSimBulkMutation(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Plus"), 1)
	seedProducts(sh, 3, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var lines []any
	for _, p := range sh.Snapshot() {
		var vs []any
		for _, v := range p.Variants {
			vs = append(vs, shopify.VariantUpdate{ID: v.ID, Price: ptr("7.77")}.Input())
		}
		lines = append(lines, map[string]any{"productId": p.ID, "variants": vs})
	}
	n := 0
	if _, err := c.BulkMutation(ctx, shopify.BulkVariantsUpdateMutation, lines, func(r shopify.BulkResult) error {
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Fatalf("%d result lines", n)
	}
	for _, p := range sh.Snapshot() {
		for _, v := range p.Variants {
			if v.Price != "7.77" {
				t.Fatalf("price %s", v.Price)
			}
		}
	}
}

func TestSimCancelBulkAndPolling(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 50)
	seedProducts(sh, 2, 1)
	sh.SetBulkDelay(30 * time.Second) // stays RUNNING for 30 simulated seconds
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	op, err := c.RunBulkQuery(ctx, shopify.BulkProductsQuery)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CancelBulk(ctx, op.ID); err != nil {
		t.Fatal(err)
	}
	done, err := c.WaitBulk(ctx, op.ID)
	if err == nil || done == nil || done.Status != "CANCELED" {
		t.Fatalf("op=%+v err=%v", done, err)
	}

	// Without cancelling, WaitBulk polls (time-scaled) until it completes.
	op, err = c.RunBulkQuery(ctx, shopify.BulkProductsQuery)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done, err = c.WaitBulk(ctx, op.ID)
	if err != nil || done.Status != "COMPLETED" || done.URL == "" || done.ObjectCount == 0 {
		t.Fatalf("op=%+v err=%v", done, err)
	}
	if real := time.Since(start); real > 5*time.Second {
		t.Fatalf("polling took %v: the time scale is not honoured", real)
	}
}

// A bulk mutation's end is noticed at its pace, not at the backoff's next
// poll: 43 lines at 2 lines/s end at about 21.5 s, where polls backing off
// from 1 s come at 20.8 s and then 32.2 s.
func TestBulkMutationEndNoticedAtItsPace(t *testing.T) {
	const scale = 10
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), scale)
	seedProducts(sh, 43, 1)
	sh.SetBulkRate(0, 2)
	var lines []any
	for _, p := range sh.Snapshot() {
		lines = append(lines, map[string]any{"productId": p.ID, "variants": []any{shopify.VariantUpdate{ID: p.Variants[0].ID, Price: ptr("7.77")}.Input()}})
	}
	start := time.Now()
	n := 0
	if _, err := c.BulkMutation(context.Background(), shopify.BulkVariantsUpdateMutation, lines, func(shopify.BulkResult) error {
		n++
		return nil
	}); err != nil || n != 43 {
		t.Fatalf("%d result lines, %v", n, err)
	}
	if took := time.Since(start).Seconds() * scale; took < 21 || took > 27 {
		t.Fatalf("the end of a 21.5 s operation was noticed after %.1f simulated seconds", took)
	}
}

func TestSimSearchQuotesOddValues(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 1)
	sh.Seed([]fakeshop.Product{{Title: "Odd", Handle: "odd", Options: []fakeshop.Option{{Name: "Size", Values: []string{"S"}}},
		Variants: []fakeshop.Variant{{SKU: `AB 12:x`, Price: "1.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}}}}}})
	vs, err := c.VariantsBySKUs(context.Background(), []string{`AB 12:x`, "-AB"})
	if err != nil || len(vs) != 1 || vs[0].ProductHandle != "odd" {
		t.Fatalf("%+v %v", vs, err)
	}
}

// TestSimProductSetBulkCancelStopsShopify: a caller that gives up on a bulk
// create cancels the operation on the store's side too, so products do not
// keep appearing after the run was cancelled.
func TestSimProductSetBulkCancelStopsShopify(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Grow"), 50)
	sh.SetBulkDelay(time.Hour) // stays RUNNING until cancelled
	in := make([]shopify.ProductSetInput, 5)
	for i := range in {
		in[i] = shopify.ProductSetInput{Handle: fmt.Sprintf("late-%d", i), Title: ptr("Late"),
			Options:  []shopify.OptionInput{{Name: "Title", Values: []string{"Default Title"}}},
			Variants: []shopify.VariantInput{{OptionValues: []shopify.SelectedOption{{Name: "Title", Value: "Default Title"}}, Price: ptr("1.00")}}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Give up once the client knows the operation: after the request
		// that follows bulkOperationRunMutation (the first poll). Cancelling
		// as soon as the shop ran the mutation could lose its answer, and
		// with it the ID to cancel (seen under Wine).
		for sh.Stats().Mutations["bulkOperationRunMutation"] == 0 {
			time.Sleep(2 * time.Millisecond)
		}
		started := sh.Stats().Requests
		for sh.Stats().Requests <= started {
			time.Sleep(2 * time.Millisecond)
		}
		cancel()
	}()
	err := c.ProductSetBulk(ctx, in, func(shopify.ProductSetResult) { t.Error("no line should be answered") })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if n := sh.Stats().Mutations["bulkOperationCancel"]; n != 1 {
		t.Fatalf("bulkOperationCancel sent %d times, want 1", n)
	}
	time.Sleep(100 * time.Millisecond) // a cancelled operation does no work
	if n := len(sh.Snapshot()); n != 0 {
		t.Fatalf("%d products created after the caller gave up", n)
	}

	// Given time, the same inputs are created and answered line by line.
	sh.SetBulkDelay(0)
	ctx2, cancel2 := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel2()
	got := 0
	if err := c.ProductSetBulk(ctx2, in, func(r shopify.ProductSetResult) {
		if r.Err != nil || r.Product == nil || r.Product.Handle != in[r.Index].Handle || len(r.Product.Variants) != 1 {
			t.Errorf("line %d: %+v", r.Index, r)
		}
		got++
	}); err != nil || got != 5 {
		t.Fatalf("answered %d, err %v", got, err)
	}
}

// TestSimTrimmedReadsCarryOnlyWhatWasAsked: a whole-store read for a sheet
// of prices (bulk and paged) brings the prices and what matching needs,
// and leaves the rest at its zero value.
func TestSimTrimmedReadsCarryOnlyWhatWasAsked(t *testing.T) {
	_, sh, c, _ := simShop(t, fakeshop.Plan("Plus"), 1)
	seedProducts(sh, 3, 2)
	sh.Seed([]fakeshop.Product{{Title: "Described", Handle: "described", DescriptionHTML: "<p>long</p>", Vendor: "Acme",
		Options: []fakeshop.Option{{Name: "Size", Values: []string{"S"}}},
		Variants: []fakeshop.Variant{{SKU: "D-1", Price: "4.00", Tracked: true, SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}},
			Levels: []fakeshop.InventoryLevel{{LocationID: sh.Locations()[0].ID, Available: 7}}}}}})
	ctx := context.Background()
	for name, read := range map[string]func(shopify.ReadSet, func(shopify.Product) error) error{
		"bulk": func(r shopify.ReadSet, fn func(shopify.Product) error) error {
			return c.AllProductsBulkWith(ctx, r, fn)
		},
		"paged": func(r shopify.ReadSet, fn func(shopify.Product) error) error { return c.AllProductsWith(ctx, r, fn) },
	} {
		var got []shopify.Product
		if err := read(shopify.ReadPrice, func(p shopify.Product) error { got = append(got, p); return nil }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != 4 {
			t.Fatalf("%s: %d products", name, len(got))
		}
		for _, p := range got {
			if p.ID == "" || p.Handle == "" || p.Status == "" || len(p.Options) == 0 {
				t.Errorf("%s: identity missing: %+v", name, p)
			}
			if p.DescriptionHTML != "" || p.Vendor != "" {
				t.Errorf("%s: %s read fields not asked for: %q %q", name, p.Handle, p.DescriptionHTML, p.Vendor)
			}
			for _, v := range p.Variants {
				if v.ID == "" || v.SKU == "" || v.InventoryItem.ID == "" || len(v.SelectedOptions) == 0 || v.Price == "" {
					t.Errorf("%s: variant missing what was asked: %+v", name, v)
				}
				if len(v.InventoryItem.Levels) != 0 || v.InventoryItem.Tracked {
					t.Errorf("%s: stock read though not asked: %+v", name, v.InventoryItem)
				}
			}
		}
		got = got[:0]
		if err := read(shopify.ReadStock|shopify.ReadDescription, func(p shopify.Product) error { got = append(got, p); return nil }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range got {
			if p.Handle == "described" && (p.DescriptionHTML != "<p>long</p>" || len(p.Variants[0].InventoryItem.Levels) != 1 || p.Variants[0].Price != "") {
				t.Errorf("%s: stock and description read: %+v", name, p)
			}
		}
	}
}
