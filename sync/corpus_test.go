package sync

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"golang.org/x/text/encoding/unicode"
)

// corpus is a set of real-world sheet shapes (issue 14): each is created in
// an empty shop with no refused row, then the same file and the shop's
// export both plan zero writes and zero errors.
var corpus = []struct {
	name, text string
	products   int
}{
	{"legacy headers, shared SKUs, oversold stock",
		"Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Status\n" +
			"tee,Tee,<p>Soft</p>,Acme,Shirts,\"a, b\",TRUE,Size,S,TEE,3,deny,10.00,12.00,active\n" +
			"tee,,,,,,,,M,TEE,-2,continue,10.00,,\n" +
			"tee-v2,Tee v2,,Acme,Shirts,,TRUE,Size,S,TEE,0,deny,11.00,,draft\n", 2},
	{"current headers, Title option with real values",
		"Title,URL handle,Description,Vendor,Type,Tags,Status,SKU,Barcode,Option1 name,Option1 value,Price,Compare-at price,Inventory quantity,Continue selling when out of stock\n" +
			"Poster,poster,,Print Co,Art,,active,P-A2,,Title,A2,20.00,,5,DENY\n" +
			",poster,,,,,,P-A3,,,A3,15.00,,7,DENY\n", 1},
	{"emoji and right-to-left text",
		"Handle,Title,Body (HTML),Vendor,Option1 Name,Option1 Value,Variant SKU,Variant Price\n" +
			"\"qahwa\",\"قهوة عربية ☕\",\"<p dir=\"\"rtl\"\">قهوة مختصة 🌍</p>\",\"מותג\",\"גודל\",\"קטן 🙂\",QH-1,30.00\n" +
			"qahwa,,,,,\"גדול 😀\",QH-2,45.00\n", 1},
	{"semicolons and decimal commas (European Excel)",
		"Handle;Title;Option1 Name;Option1 Value;Variant SKU;Variant Price;Variant Inventory Qty\n" +
			"kaffee;Kaffee;Größe;250 g;K-250;7,90;12\nkaffee;;;1 kg;K-1000;24,50;-1\n", 1},
	{"EU grocery with unit prices (current headers, Shopify's unit columns)",
		"Title,URL handle,Option1 name,Option1 value,SKU,Price,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit\n" +
			"Olive oil,olive-oil,Size,500 ml,OIL-500,7.90,500,ml,1,l\n" +
			",olive-oil,,1 l,OIL-1000,13.90,1,l,1,l\n" +
			"Basmati,basmati,Size,2 kg,RICE-2,5.49,2,kg,1,kg\n" +
			"Eggs,eggs,Pack,10,EGG-10,3.29,10,item,1,item\n" +
			"Ribbon,ribbon,Length,5 m,RIB-5,4.00,500,cm,1,m\n" +
			"Napkins,napkins,Title,Default Title,NAP,2.00,,,,\n", 5},
	{"description with CR LF inside a quoted cell",
		"Handle,Title,Body (HTML),Variant SKU,Variant Price\r\n" +
			"lamp,Lamp,\"<p>Warm</p>\r\n<p>E27</p>\",LAMP,30.00\r\n", 1},
}

func TestCorpusShapes(t *testing.T) {
	for _, c := range corpus {
		t.Run(c.name, func(t *testing.T) { checkShape(t, c.text, c.products) })
	}
	t.Run("Excel Unicode text (UTF-16 with BOM, tab-separated)", func(t *testing.T) {
		text := "Handle\tTitle\tOption1 Name\tOption1 Value\tVariant SKU\tVariant Price\tVariant Inventory Qty\r\n" +
			"chai\tChai 🍵\tSize\t100 g\tCH-1\t6.50\t4\r\nchai\t\t\t200 g\tCH-1\t11.00\t-3\r\n"
		utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		checkShape(t, utf16, 1)
	})
	t.Run("2,048 variants", func(t *testing.T) {
		if testing.Short() {
			t.Skip("2,048 variants")
		}
		checkShape(t, bigSharedSKUProductCSV(), 1)
	})
}

// checkShape creates text's products in an empty shop, then checks that the
// file and the shop's export plan nothing.
func checkShape(t *testing.T, text string, products int) {
	t.Helper()
	h := newHarness(t, fakeshop.PlanPlus, 1000)
	cat := readCSV(t, text)
	p, res := h.sync(t, cat, h.opts())
	if p.Counts.Products.Create != products || p.Counts.Products.Error+p.Counts.Variants.Error > 0 || res.Counts.Errors > 0 {
		t.Fatalf("create: plan %+v run %+v\n%s", p.Counts, res.Counts, planText(p))
	}
	for name, again := range map[string]string{"the same file": text, "the export": exportCSV(t, h)} {
		p2 := h.plan(t, again, h.opts())
		if p2.HasChanges() || p2.Counts.Products.Error+p2.Counts.Variants.Error > 0 || len(p2.SourceErrors) > 0 {
			t.Fatalf("resync of %s:\n%.4000s\n%.2000s", name, planText(p2), again)
		}
	}
}

// TestSamplesPlanAndExportResync: each real product CSV kept in
// shared/samples plans into an empty shop with no refused row (Shopify's
// importer takes them all), and once synced, exporting the shop and syncing
// the export plans zero writes and zero errors.
func TestSamplesPlanAndExportResync(t *testing.T) {
	dir := samplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		t.Skip("no samples")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			h := newHarness(t, fakeshop.PlanPlus, 1000)
			p, res := h.sync(t, readCSV(t, string(raw)), h.opts())
			if p.Counts.Products.Error+p.Counts.Variants.Error > 0 || p.Counts.Products.Skipped+p.Counts.Variants.Skipped > 0 || res.Counts.Errors > 0 {
				t.Fatalf("refused rows: %+v\n%s", p.Counts, planText(p))
			}
			export := exportCSV(t, h)
			p2 := h.plan(t, export, h.opts())
			if p2.HasChanges() || p2.Counts.Products.Error+p2.Counts.Variants.Error > 0 || len(p2.SourceErrors) > 0 {
				t.Fatalf("export → sync:\n%s", strings.TrimSpace(planText(p2)))
			}
		})
	}
}
