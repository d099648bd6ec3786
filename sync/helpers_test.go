package sync

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
	"github.com/shelfsync/shelfsync/sync/state"
)

const testApp = "shelfsync-engine-test"

// harness is a simulated shop, a client, a database and an engine.
type harness struct {
	srv     *fakeshop.Server
	sh      *fakeshop.Shop
	client  *shopify.Client
	st      Store
	db      *state.DB
	eng     *Engine
	storeID string
	locs    []fakeshop.Location
}

func newHarness(t testing.TB, plan fakeshop.Plan, scale float64) *harness {
	t.Helper()
	return newHarnessScopes(t, plan, scale, []string{"write_products", "write_inventory", "read_locations"})
}

// newHarnessFiles is newHarness with write_files granted too, for tests that
// change or remove existing products' images (fileUpdate, fileDelete).
func newHarnessFiles(t testing.TB, plan fakeshop.Plan, scale float64) *harness {
	t.Helper()
	return newHarnessScopes(t, plan, scale, []string{"write_products", "write_inventory", "read_locations", "write_files"})
}

// newHarnessScopes is newHarness with the app granted scopes.
func newHarnessScopes(t testing.TB, plan fakeshop.Plan, scale float64, scopes []string) *harness {
	t.Helper()
	srv := fakeshop.NewServer(fakeshop.Options{TimeScale: scale})
	t.Cleanup(func() { _ = srv.Close() })
	srv.RegisterApp(fakeshop.App{ClientID: testApp, ClientSecret: "shpss_x", Scopes: scopes, OwnOrganization: true})
	sh, err := srv.AddShop("engine", plan)
	if err != nil {
		t.Fatal(err)
	}
	tok := sh.Install(testApp, scopes)
	c, err := shopify.New(shopify.Options{Shop: sh.Domain(), BaseURL: sh.URL(), Tokens: shopify.StaticToken(tok), TimeScale: scale})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := state.Open(filepath.Join(dir, "shelfsync.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	store, err := db.CreateStore(context.Background(), state.Store{ShopDomain: sh.Domain(), BaseURL: sh.URL(), TokenKind: state.TokenCustomApp})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{srv: srv, sh: sh, client: c, st: NewShopStore(c), db: db,
		eng: &Engine{DB: db, ReportsDir: filepath.Join(dir, "reports")}, storeID: store.ID, locs: sh.Locations()}
}

// opts are plan options with the first location for a single quantity column.
func (h *harness) opts() Options {
	return Options{StoreID: h.storeID, Source: "test.csv", DefaultLocationID: h.locs[0].ID}
}

// sync plans and applies cat, failing the test on any error.
func (h *harness) sync(t testing.TB, cat *catalog.Catalog, o Options) (*Plan, *RunResult) {
	t.Helper()
	ctx := context.Background()
	p, err := h.eng.Plan(ctx, h.st, cat, o)
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
	if err != nil {
		t.Fatalf("apply: %v (%+v)", err, res)
	}
	return p, res
}

func (h *harness) mutations() int {
	n := 0
	for _, c := range h.sh.Stats().Mutations {
		n += c
	}
	return n
}

func readCSV(t testing.TB, text string) *catalog.Catalog {
	t.Helper()
	cat, err := source.ReadCSV(strings.NewReader(text), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Errors) > 0 {
		t.Fatalf("source errors: %v", cat.Errors)
	}
	return cat
}

// samplesDir finds shared/samples/shopify-product-csvs beside the repository.
func samplesDir(t testing.TB) string {
	dir, _ := os.Getwd()
	for range 6 {
		p := filepath.Join(dir, "..", "shared", "samples", "shopify-product-csvs")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		dir = filepath.Dir(dir)
	}
	t.Skip("shared/samples not found")
	return ""
}

// shopState renders the shop's catalog as sorted text for comparisons: what
// a sync controls, without IDs.
func shopState(sh *fakeshop.Shop) string {
	locName := map[string]string{}
	for _, l := range sh.Locations() {
		locName[l.ID] = l.Name
	}
	var lines []string
	for _, p := range sh.Snapshot() {
		tags := slices.Clone(p.Tags)
		sort.Strings(tags)
		lines = append(lines, fmt.Sprintf("P %s|%s|%s|%s|%s|%s|%s", p.Handle, p.Title, strings.TrimSpace(p.DescriptionHTML), p.Vendor, p.ProductType, strings.Join(tags, ","), p.Status))
		for _, v := range p.Variants {
			var opts, lv []string
			for _, so := range v.SelectedOptions {
				opts = append(opts, so.Name+"="+so.Value)
			}
			for _, l := range v.Levels {
				lv = append(lv, fmt.Sprintf("%s=%d", locName[l.LocationID], l.Available))
			}
			sort.Strings(lv)
			lines = append(lines, fmt.Sprintf("V %s|%s|%s|%s|%s|%s|%s|%s", p.Handle, v.SKU, v.Barcode, v.Price, v.CompareAtPrice, v.InventoryPolicy, strings.Join(opts, ","), strings.Join(lv, ",")))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// handleCounts reports handles present more than once, and SKUs on more
// than one variant.
func duplicates(sh *fakeshop.Shop) []string {
	seen := map[string]int{}
	var dups []string
	for _, p := range sh.Snapshot() {
		seen["handle:"+p.Handle]++
		titles := map[string]int{}
		for _, v := range p.Variants {
			if v.SKU != "" {
				seen["sku:"+v.SKU]++
			}
			titles[v.Title]++
		}
		seen["title:"+p.Title]++
	}
	for k, n := range seen {
		if n > 1 {
			dups = append(dups, k)
		}
	}
	sort.Strings(dups)
	return dups
}

// genCatalog writes a Shopify CSV with n products of k variants (sizes),
// stocked at the default location, priced from seed.
func genCSV(n, k int, price func(i, j int) string, qty func(i, j int) int) string {
	var b bytes.Buffer
	b.WriteString("Handle,Title,Vendor,Tags,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Variant Inventory Policy,Status\n")
	for i := range n {
		for j := range k {
			if j == 0 {
				fmt.Fprintf(&b, "prod-%d,Product %d,Acme,\"a, b\",Size,S%d,SKU-%d-%d,%s,%d,deny,active\n", i, i, j, i, j, price(i, j), qty(i, j))
			} else {
				fmt.Fprintf(&b, "prod-%d,,,,,S%d,SKU-%d-%d,%s,%d,deny,\n", i, j, i, j, price(i, j), qty(i, j))
			}
		}
	}
	return b.String()
}
