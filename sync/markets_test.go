package sync

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// marketHarness is a harness whose app may read markets, with International
// (a price list in EUR), Wholesale (no price list) and Nordics (two).
func marketHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarnessScopes(t, fakeshop.PlanGrow, 100, []string{"write_products", "write_inventory", "read_locations", "read_markets"})
	h.sh.AddMarket(fakeshop.MarketSpec{Name: "International", Currency: "EUR"})
	h.sh.AddMarket(fakeshop.MarketSpec{Name: "Wholesale"})
	h.sh.AddMarket(fakeshop.MarketSpec{Name: "Nordics", Currency: "SEK", ExtraPriceList: true})
	return h
}

// marketState renders a market's fixed prices, sorted by SKU.
func marketState(sh *fakeshop.Shop, market string) string {
	var lines []string
	for sku, fp := range sh.FixedPrices(market) {
		lines = append(lines, fmt.Sprintf("%s=%s/%s", sku, fp.Price, fp.CompareAtPrice))
	}
	sort.Strings(lines)
	return strings.Join(lines, " ")
}

func readCSVClears(t *testing.T, text string) *catalog.Catalog {
	t.Helper()
	cat, err := source.ReadCSV(strings.NewReader(text), source.Options{BlankClears: true})
	if err != nil || len(cat.Errors) > 0 {
		t.Fatalf("%v %v", err, cat.Errors)
	}
	return cat
}

const marketHeader = "URL handle,Title,Option1 name,Option1 value,SKU,Price,Price / International,Compare-at price / International,Price / Wholesale,Price / Mars,Price / Nordics,Included / International\n"

// TestMarketPricesEndToEnd: market prices are created with their variants,
// updated field by field on the market's price list in its currency, left
// alone by blank cells, removed by blank cells only when blank means clear,
// undone, exported, and an export syncs back to nothing. Columns whose
// market is unknown or has no single price list are listed with the reason.
func TestMarketPricesEndToEnd(t *testing.T) {
	ctx := context.Background()
	h := marketHarness(t)
	create := marketHeader +
		"tee,Tee,Size,S,TEE-S,10.00,12.00,15.00,9.00,1.00,99,TRUE\n" +
		"tee,,,M,TEE-M,10.00,13.00,,,,,TRUE\n"
	p, _ := h.sync(t, readCSV(t, create), h.opts())
	reasons := map[string]string{}
	for _, u := range p.Unsynced {
		reasons[u.Column] = u.Reason
	}
	for col, want := range map[string]string{"Price / Wholesale": "has no price list", "Price / Mars": `no market named "Mars"`,
		"Price / Nordics": "2 catalogs with price lists", "Included / International": "catalogs"} {
		if !strings.Contains(reasons[col], want) {
			t.Errorf("%s: reason %q, want %q", col, reasons[col], want)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "International in EUR") {
		t.Errorf("the preview must say the currency: %q", p.Notes)
	}
	if got := marketState(h.sh, "International"); got != "TEE-M=13.00/ TEE-S=12.00/15.00" {
		t.Fatalf("after create: %s", got)
	}
	if got := marketState(h.sh, "Wholesale") + marketState(h.sh, "Nordics"); got != "" {
		t.Fatalf("unsynced markets written: %s", got)
	}

	// A new price for one variant; a blank cell leaves TEE-M's alone, and a
	// blank compare-at cell keeps TEE-S's compare-at price.
	upd := marketHeader + "tee,Tee,Size,S,TEE-S,10.00,14.00,,,,,\ntee,,,M,TEE-M,10.00,,,,,,\n"
	p, res := h.sync(t, readCSV(t, upd), h.opts())
	if p.Counts.Changes != 1 || !strings.Contains(planText(p), "price @ International: 12.00 → 14.00") {
		t.Fatalf("update plan:\n%s", planText(p))
	}
	if got := marketState(h.sh, "International"); got != "TEE-M=13.00/ TEE-S=14.00/15.00" {
		t.Fatalf("after update: %s", got)
	}
	assertNoWrites(t, h, upd, h.opts())

	// Blank means clear: TEE-M's fixed price goes, TEE-S loses its compare-at.
	p, clearRes := h.sync(t, readCSVClears(t, upd), h.opts())
	text := planText(p)
	for _, want := range []string{"TEE-M price @ International: 13.00 → (none)", "TEE-S compareAtPrice @ International: 15.00 → (none)"} {
		if !strings.Contains(text, want) {
			t.Errorf("blank-clears plan lacks %s:\n%s", want, text)
		}
	}
	if got := marketState(h.sh, "International"); got != "TEE-S=14.00/" {
		t.Fatalf("after blank means clear: %s", got)
	}

	// Undo puts both back: the deleted fixed price and the compare-at price.
	undoRun(t, h, clearRes.RunID)
	if got := marketState(h.sh, "International"); got != "TEE-M=13.00/ TEE-S=14.00/15.00" {
		t.Fatalf("after undo of the clear: %s", got)
	}
	undoRun(t, h, res.RunID)
	if got := marketState(h.sh, "International"); got != "TEE-M=13.00/ TEE-S=12.00/15.00" {
		t.Fatalf("after undo of the update: %s", got)
	}

	var buf strings.Builder
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Price / International,Compare-at price / International") || !strings.Contains(buf.String(), "12.00,15.00") {
		t.Fatalf("export lacks the market prices:\n%s", buf.String())
	}
	assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})
}

// marketCorpus are sheet shapes with market prices: each is created in a
// shop with the International market, then the same file and the shop's
// export plan zero writes and zero errors.
var marketCorpus = []struct {
	name, text, want string
}{
	{"legacy headers (Compare At Price / International), a loose compare-at cell",
		"Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Included / International,Price / International,Compare At Price / International,Status\n" +
			"tee,Tee,Size,S,TEE-S,10.00,TRUE,12.00,15.00,active\n" +
			"tee,,,M,TEE-M,10.00,TRUE,,,\n" +
			"tee,,,L,TEE-L,10.00,FALSE,0.00,,\n", "TEE-L=0.00/ TEE-S=12.00/15.00"},
	{"semicolons and decimal commas, market name in another case",
		"Handle;Title;Option1 Name;Option1 Value;Variant SKU;Variant Price;Price / international;Compare-at price / international\n" +
			"kaffee;Kaffee;Größe;250 g;K-250;7,90;8,90;9,90\nkaffee;;;1 kg;K-1000;24,50;27,00;\n", "K-1000=27.00/ K-250=8.90/9.90"},
}

func TestMarketCorpusRoundTrip(t *testing.T) {
	for _, c := range marketCorpus {
		t.Run(c.name, func(t *testing.T) {
			h := marketHarness(t)
			p, res := h.sync(t, readCSV(t, c.text), h.opts())
			if p.Counts.Products.Error+p.Counts.Variants.Error > 0 || res.Counts.Errors > 0 || len(p.SourceErrors) > 0 {
				t.Fatalf("create: plan %+v run %+v\n%s", p.Counts, res.Counts, planText(p))
			}
			if got := marketState(h.sh, "International"); got != c.want {
				t.Fatalf("fixed prices %s, want %s", got, c.want)
			}
			for name, again := range map[string]string{"the same file": c.text, "the export": exportCSV(t, h)} {
				p2 := h.plan(t, again, h.opts())
				if p2.HasChanges() || len(p2.SourceErrors) > 0 {
					t.Fatalf("resync of %s:\n%s\n%s", name, planText(p2), again)
				}
			}
		})
	}
}

// TestMarketPriceAnswerLost: a fixed-price write whose answer is lost is
// checked against the store before it is sent again, so it is recorded done
// and sent once.
func TestMarketPriceAnswerLost(t *testing.T) {
	ctx := context.Background()
	h := marketHarness(t)
	h.sync(t, readCSV(t, marketHeader+"tee,Tee,Size,S,TEE-S,10.00,12.00,15.00,,,,\n"), h.opts())
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, marketHeader+"tee,Tee,Size,S,TEE-S,10.00,14.00,,,,,\n"), h.opts())
	if err != nil || p.Counts.Changes != 1 {
		t.Fatalf("plan %+v %v", p.Counts, err)
	}
	sent := h.sh.Stats().Mutations["priceListFixedPricesAdd"]
	h.sh.Faults().Next(1, fakeshop.Fault{Kind: fakeshop.FaultDrop, After: true})
	res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
	if err != nil || res.Counts.Errors > 0 || h.sh.Faults().Injected() != 1 {
		t.Fatalf("run %+v %v (faults injected %d)", res, err, h.sh.Faults().Injected())
	}
	if n := h.sh.Stats().Mutations["priceListFixedPricesAdd"] - sent; n != 1 {
		t.Fatalf("priceListFixedPricesAdd sent %d times, want once", n)
	}
	if got := marketState(h.sh, "International"); got != "TEE-S=14.00/15.00" {
		t.Fatalf("fixed prices: %s", got)
	}
}

// TestMarketPricesNeedTheScope: without read_markets the columns are listed
// with what to do, and nothing is written to any price list.
func TestMarketPricesNeedTheScope(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 100)
	h.sh.AddMarket(fakeshop.MarketSpec{Name: "International", Currency: "EUR"})
	p, _ := h.sync(t, readCSV(t, marketHeader+"tee,Tee,Size,S,TEE-S,10.00,12.00,15.00,,,,\n"), h.opts())
	found := false
	for _, u := range p.Unsynced {
		found = found || u.Column == "Compare-at price / International" && strings.Contains(u.Reason, "read_markets")
	}
	if !found || marketState(h.sh, "International") != "" || p.Counts.Products.Create != 1 {
		t.Fatalf("unsynced %v, prices %q", p.Unsynced, marketState(h.sh, "International"))
	}
}

// TestMarketPriceOnNewVariant: a variant added to an existing product gets
// its market price once it exists.
func TestMarketPriceOnNewVariant(t *testing.T) {
	h := marketHarness(t)
	h.sync(t, readCSV(t, marketHeader+"tee,Tee,Size,S,TEE-S,10.00,,,,,,\n"), h.opts())
	p, res := h.sync(t, readCSV(t, marketHeader+"tee,Tee,Size,S,TEE-S,10.00,,,,,,\ntee,,,L,TEE-L,11.00,20.00,25.00,,,,\n"), h.opts())
	if p.Counts.Variants.Create != 1 || res.Counts.Errors > 0 || len(res.Problems) > 0 {
		t.Fatalf("plan %+v run %+v", p.Counts, res)
	}
	if got := marketState(h.sh, "International"); got != "TEE-L=20.00/25.00" {
		t.Fatalf("fixed prices: %s", got)
	}
	assertNoWrites(t, h, exportCSV(t, h), h.opts())
}

// TestMarketPriceGuard: a sheet that would change most of the matched
// variants' market prices is held like one that changes most base prices,
// counted apart so the base prices can't dilute it.
func TestMarketPriceGuard(t *testing.T) {
	ctx := context.Background()
	h := marketHarness(t)
	rows := func(price string) string {
		return marketHeader + "tee,Tee,Size,S,TEE-S,10.00," + price + ",,,,,\ntee,,,M,TEE-M,10.00," + price + ",,,,,\ntee,,,L,TEE-L,10.00,20.00,,,,,\n"
	}
	h.sync(t, readCSV(t, rows("20.00")), h.opts())
	p, err := h.eng.Plan(ctx, h.st, readCSV(t, rows("2.00")), h.opts())
	if err != nil || len(p.Guards) != 1 || p.Guards[0].Message != "the sheet would change or remove 2 of 3 market prices" {
		t.Fatalf("guards %+v %v", p.Guards, err)
	}
	if _, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{}); err == nil || marketState(h.sh, "International") != "TEE-L=20.00/ TEE-M=20.00/ TEE-S=20.00/" {
		t.Fatalf("a tripped guard must hold the run: %v, %s", err, marketState(h.sh, "International"))
	}
}

// TestManyFixedPricesAreReadInBulk: a price list with thousands of fixed
// prices is read with one bulk query, not 4 points a price; the export of
// 2,500 of them syncs back to nothing.
func TestManyFixedPricesAreReadInBulk(t *testing.T) {
	ctx := context.Background()
	h := marketHarness(t)
	list := h.sh.AddMarket(fakeshop.MarketSpec{Name: "Europe", Currency: "EUR"})
	seedShop(h.sh, 250, 10, "10.00")
	var in []shopify.FixedPrice
	for _, p := range h.sh.Snapshot() {
		for _, v := range p.Variants {
			in = append(in, shopify.FixedPrice{VariantID: v.ID, Price: "12.50", CompareAtPrice: "15.00"})
		}
	}
	for chunk := range slices.Chunk(in, shopify.MaxFixedPrices) {
		if err := h.client.AddFixedPrices(ctx, list, "EUR", chunk); err != nil {
			t.Fatal(err)
		}
	}
	bulks := h.sh.Stats().BulkStarted
	fps, err := h.st.(MarketStore).FixedPrices(ctx, list, nil)
	if err != nil || len(fps) != 2500 || fps[in[2499].VariantID] != (FixedPrice{Price: "12.50", CompareAt: "15.00"}) {
		t.Fatalf("%d fixed prices, %v", len(fps), err)
	}
	if n := h.sh.Stats().BulkStarted - bulks; n != 1 {
		t.Fatalf("%d bulk queries, want 1", n)
	}
	export := exportCSV(t, h)
	if strings.Count(export, ",12.50,15.00") != 2500 {
		t.Fatalf("export lacks the Europe prices:\n%.600s", export)
	}
	assertNoWrites(t, h, export, h.opts())
}
