package sync

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// Tests of real merchants' row shapes (issue 14): duplicate SKUs, oversold
// stock, "Title" options with real values, bad cells, CR LF descriptions.

// planText renders a plan for a failure message.
func planText(p *Plan) string {
	var b strings.Builder
	_ = p.WriteText(&b, TextOptions{Unchanged: true})
	return b.String()
}

// exportCSV exports the harness's shop as a Shopify CSV.
func exportCSV(t testing.TB, h *harness) string {
	t.Helper()
	var buf bytes.Buffer
	if err := h.eng.Export(context.Background(), h.st, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// plan plans text against the harness's shop without applying it.
func (h *harness) plan(t testing.TB, text string, o Options) *Plan {
	t.Helper()
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, text), o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// shippingProtection is a product with one SKU on n variants, as the
// shipping-protection apps make them.
func shippingProtection(n int) fakeshop.Product {
	p := fakeshop.Product{Handle: "shipping-protection", Title: "Shipping protection",
		Options: []fakeshop.Option{{Name: "Coverage"}}}
	for i := range n {
		val := fmt.Sprintf("$%d.00", i+1)
		p.Options[0].Values = append(p.Options[0].Values, val)
		p.Variants = append(p.Variants, fakeshop.Variant{SKU: "SHIP-PROT", Price: fmt.Sprintf("%d.00", i+1), InventoryPolicy: "CONTINUE",
			SelectedOptions: []fakeshop.SelectedOption{{Name: "Coverage", Value: val}}})
	}
	return p
}

// TestDuplicateSKUsAreNeverRefused: one SKU on 60 variants of a product and
// one SKU shared by two products sync and resync from an export with no
// error; an edit changes exactly the edited variant; the preview says the
// SKU is shared; a SKU-only sheet leaves the ambiguous SKU alone, saying why.
func TestDuplicateSKUsAreNeverRefused(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.Seed([]fakeshop.Product{shippingProtection(60),
		{Handle: "tee-red", Title: "Tee red", Options: []fakeshop.Option{{Name: "Size", Values: []string{"S", "M"}}},
			Variants: []fakeshop.Variant{
				{SKU: "TEE", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "S"}}},
				{SKU: "TEE-M", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Size", Value: "M"}}}}},
		{Handle: "tee-blue", Title: "Tee blue", Variants: []fakeshop.Variant{{SKU: "TEE", Price: "10.00"}}},
	})
	csv := exportCSV(t, h)
	p := h.plan(t, csv, h.opts())
	if p.HasChanges() || p.Counts.Products.Error+p.Counts.Variants.Error > 0 || len(p.SourceErrors) > 0 {
		t.Fatalf("export → sync plans changes or errors:\n%s", planText(p))
	}
	if p.Counts.Variants.Unchanged != 63 {
		t.Fatalf("unchanged variants %d, want 63:\n%s", p.Counts.Variants.Unchanged, planText(p))
	}
	text := planText(p)
	for _, want := range []string{`SKU "SHIP-PROT" is on 60 variants in the store: matched by handle and option values`,
		`SKU "TEE" is on 2 variants in the store: matched by handle and option values`, "SKUs are on more than one variant"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}

	// Reprice one coverage level: exactly that variant changes.
	edited := strings.Replace(csv, "$7.00,,,,,7.00,", "$7.00,,,,,7.50,", 1)
	if edited == csv {
		t.Fatalf("test setup: price cell not found in\n%s", csv)
	}
	before := h.mutations()
	p2, res := h.sync(t, readCSV(t, edited), h.opts())
	if p2.Counts.Changes != 1 || res.Counts.Errors > 0 || h.mutations()-before != 1 {
		t.Fatalf("edit: %d changes, %d mutations, run %+v:\n%s", p2.Counts.Changes, h.mutations()-before, res.Counts, planText(p2))
	}
	for _, sp := range h.sh.Snapshot() {
		for _, v := range sp.Variants {
			if v.SKU == "SHIP-PROT" && v.SelectedOptions[0].Value == "$7.00" && v.Price != "7.50" {
				t.Errorf("the $7.00 coverage costs %s", v.Price)
			}
			if v.SKU == "SHIP-PROT" && v.SelectedOptions[0].Value == "$8.00" && v.Price != "8.00" {
				t.Errorf("the $8.00 coverage was changed to %s", v.Price)
			}
		}
	}

	// A SKU-only sheet: the shared SKU is not matched (skipped, no error),
	// the unique one is.
	p3 := h.plan(t, "SKU,Price\nSHIP-PROT,9.00\nTEE-M,11.00\n", h.opts())
	if p3.Counts.Variants.Error > 0 || p3.Counts.Variants.Skipped != 1 || p3.Counts.Variants.Update != 1 {
		t.Fatalf("SKU-only sheet:\n%s", planText(p3))
	}
	if !strings.Contains(p3.Loose[0].Message, "is on 60 variants in the store: not matched") {
		t.Errorf("loose shared SKU: %q", p3.Loose[0].Message)
	}
	// The same SKU on two rows of a SKU-only sheet: neither is guessed.
	p4 := h.plan(t, "SKU,Price\nTEE-M,11.00\nTEE-M,12.00\n", h.opts())
	if p4.Counts.Variants.Error > 0 || p4.Counts.Variants.Skipped != 2 || !strings.Contains(p4.Loose[1].Message, "2 rows of the sheet") {
		t.Fatalf("SKU twice in a SKU-only sheet:\n%s", planText(p4))
	}
}

// TestDuplicateSKUsCreate: a new product whose variants share one SKU is
// created whole; one that shares a SKU with another product (and is not
// that product renamed: its other SKU is new) is created with a warning;
// both resync to nothing.
func TestDuplicateSKUsCreate(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.Seed([]fakeshop.Product{{Handle: "gift-wrap", Title: "Gift wrap", Variants: []fakeshop.Variant{{SKU: "WRAP", Price: "2.00"}}}})
	csv := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n" +
		"sock,Sock,Size,S,SOCK,5.00\nsock,,,M,SOCK,5.00\nsock,,,L,SOCK,6.00\n" +
		"wrap-2,Wrap 2,Size,S,WRAP,3.00\nwrap-2,,,L,WRAP-L,4.00\n"
	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 2 || p.Counts.Variants.Create != 5 || res.Counts.Errors > 0 {
		t.Fatalf("create: %+v\n%s", res.Counts, planText(p))
	}
	if text := planText(p); !strings.Contains(text, `warning: SKU "WRAP" is already on gift-wrap in the store`) {
		t.Errorf("no F11 warning for a SKU another product has:\n%s", text)
	}
	before := h.mutations()
	p2, _ := h.sync(t, readCSV(t, csv), h.opts())
	if p2.HasChanges() || h.mutations() != before || p2.Counts.Variants.Error > 0 {
		t.Fatalf("resync:\n%s", planText(p2))
	}
}

// TestSKUElsewhereWarned (F11): a variant added to an existing product, or
// re-SKU'd, with a SKU another product already has is planned with a
// warning in the preview, before anything is written.
func TestSKUElsewhereWarned(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.Seed([]fakeshop.Product{
		{Handle: "cap", Title: "Cap", Variants: []fakeshop.Variant{{SKU: "CAP-1", Price: "9.00"}}},
		{Handle: "scarf", Title: "Scarf", Options: []fakeshop.Option{{Name: "Color", Values: []string{"Red"}}},
			Variants: []fakeshop.Variant{{SKU: "SCARF-R", Price: "9.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Red"}}}}},
	})
	// Scarf gets a blue variant with the cap's SKU, and red is re-SKU'd to it too.
	csv := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n" +
		"scarf,Scarf,Color,Red,CAP-1,9.00\nscarf,,,Blue,CAP-1,9.00\n"
	p := h.plan(t, csv, h.opts())
	if p.Counts.Variants.Error > 0 || p.Counts.Variants.Create != 1 || p.Counts.Variants.Update != 1 {
		t.Fatalf("plan:\n%s", planText(p))
	}
	for _, vp := range p.Products[0].Variants {
		if !strings.Contains(vp.Message, `warning: SKU "CAP-1" is already on cap in the store`) {
			t.Errorf("%s (%s): message %q", vp.Key, vp.Action, vp.Message)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), "already on other products") {
		t.Errorf("notes: %q", p.Notes)
	}
}

// TestOversoldStock: negative available quantities are read, created,
// updated and resync to nothing; taking stock below zero trips the
// zero-stock guard like taking it to zero.
func TestOversoldStock(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	csv := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty,Variant Inventory Policy\n" +
		"pre,Preorder,Size,S,PRE-S,5.00,-3,continue\npre,,,M,PRE-M,5.00,4,continue\n"
	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if res.Counts.Errors > 0 || p.Counts.Variants.Create != 2 {
		t.Fatalf("create: %+v\n%s", res.Counts, planText(p))
	}
	if st := shopState(h.sh); !strings.Contains(st, "PRE-S||5.00||CONTINUE|Size=S|Main warehouse=-3") {
		t.Fatalf("shop:\n%s", st)
	}
	if p2 := h.plan(t, exportCSV(t, h), h.opts()); p2.HasChanges() || p2.Counts.Variants.Error > 0 {
		t.Fatalf("export → sync:\n%s", planText(p2))
	}
	p3 := h.plan(t, strings.Replace(csv, "PRE-M,5.00,4", "PRE-M,5.00,-1", 1), h.opts())
	if p3.Counts.Changes != 1 || len(p3.Guards) != 1 || p3.Guards[0].Kind != GuardZeroStock {
		t.Fatalf("oversell: guards %+v\n%s", p3.Guards, planText(p3))
	}
	if q := p3.Products[0].Variants[1].Quantities; len(q) != 1 || q[0].New != -1 || *q[0].Old != 4 {
		t.Fatalf("quantity change %+v", q)
	}
}

// TestBadCellSyncsTheRest: one bad cell on a product's first row is
// reported, and the product's other fields and variants still sync; a new
// product is created without the row whose price can't be read, never with
// a made-up price.
func TestBadCellSyncsTheRest(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	csv := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n" +
		"a,Alpha,Size,S,A-S,5.00,1\na,,,M,A-M,5.00,2\n"
	h.sync(t, readCSV(t, csv), h.opts())
	edited := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Inventory Qty\n" +
		"a,Alpha 2,Size,S,A-S,five,1\na,,,M,A-M,5.00,7\n" +
		"b,Beta,Size,S,B-S,abc,1\nb,,,M,B-M,6.00,1\n"
	cat, err := readCSVLenient(edited)
	if err != nil {
		t.Fatal(err)
	}
	p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.SourceErrors) != 2 || p.Products[0].Action != ActUpdate || p.Products[1].Action != ActCreate {
		t.Fatalf("plan:\n%s", planText(p))
	}
	if a := p.Products[0]; len(a.Fields) != 1 || a.Fields[0].New != "Alpha 2" || len(a.Variants[0].Fields) != 0 || len(a.Variants[1].Quantities) != 1 {
		t.Fatalf("update of a:\n%s", planText(p))
	}
	b := p.Products[1]
	if b.Variants[0].Action != ActError || b.Variants[1].Action != ActCreate || len(b.Create.Variants) != 1 || *b.Create.Variants[0].Price != "6.00" {
		t.Fatalf("create of b:\n%s", planText(p))
	}
}

// readCSVLenient reads a sheet that has cell errors (kept in cat.Errors).
func readCSVLenient(text string) (*catalog.Catalog, error) {
	return source.ReadCSV(strings.NewReader(text), source.Options{})
}

// TestTitleOptionWithRealValues: a product whose one option is named
// "Title" with real values (not Shopify's "Default Title") is created and
// resyncs with zero writes and zero errors, from the sheet and from an export.
func TestTitleOptionWithRealValues(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	csv := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price\n" +
		"poster,Poster,Title,A2 print,P-A2,20.00\n" +
		"card,Card,Title,Small,C-S,2.00\ncard,,,Large,C-L,3.00\n"
	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 2 || res.Counts.Errors > 0 {
		t.Fatalf("create: %+v\n%s", res.Counts, planText(p))
	}
	for _, text := range []string{csv, exportCSV(t, h)} {
		p2 := h.plan(t, text, h.opts())
		if p2.HasChanges() || p2.Counts.Products.Error+p2.Counts.Variants.Error > 0 {
			t.Fatalf("resync:\n%s\nof:\n%s", planText(p2), text)
		}
	}
}

// TestCRLFDescriptionUnchanged: a description stored with CR LF line ends
// (as many real stores hold them) exports, reads back as LF (quoted CSV
// cells lose the CR), and plans nothing.
func TestCRLFDescriptionUnchanged(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.Seed([]fakeshop.Product{{Handle: "lamp", Title: "Lamp", DescriptionHTML: "<p>Warm light.</p>\r\n<ul>\r\n<li>E27</li>\r\n</ul>",
		Variants: []fakeshop.Variant{{SKU: "LAMP", Price: "30.00"}}}})
	csv := exportCSV(t, h)
	cat := readCSV(t, csv)
	if d := cat.Products[0].DescriptionHTML; strings.Contains(d, "\r") || !strings.Contains(d, "\n<ul>") {
		t.Fatalf("test premise: the CSV reader gives %q", d)
	}
	if p := h.plan(t, csv, h.opts()); p.HasChanges() {
		t.Fatalf("unchanged description planned:\n%s", planText(p))
	}
	// A real edit is still seen.
	if p := h.plan(t, strings.Replace(csv, "Warm light.", "Warmer light.", 1), h.opts()); p.Counts.Changes != 1 {
		t.Fatalf("edit not seen:\n%s", planText(p))
	}
}

// TestBlankCellsNeverClear: in a Shopify CSV, blank description, vendor,
// type, tags, barcode and compare-at price cells leave the store's values
// alone unless "blank means clear" is on for the run; the preview says
// which it is.
func TestBlankCellsNeverClear(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.Seed([]fakeshop.Product{{Handle: "vase", Title: "Vase", DescriptionHTML: "<p>Glass</p>", Vendor: "Acme", ProductType: "Decor",
		Tags: []string{"glass"}, Variants: []fakeshop.Variant{{SKU: "VASE", Barcode: "123", Price: "20.00", CompareAtPrice: "25.00"}}}})
	csv := "Handle,Title,Body (HTML),Vendor,Type,Tags,Variant SKU,Variant Barcode,Variant Price,Variant Compare At Price\n" +
		"vase,Vase,,,,,VASE,,20.00,\n"
	p := h.plan(t, csv, h.opts())
	if p.HasChanges() || !strings.Contains(strings.Join(p.Notes, "\n"), "blank cells leave their fields as they are") {
		t.Fatalf("blank cells cleared values (or no note):\n%s", planText(p))
	}
	cat, err := source.ReadCSV(strings.NewReader(csv), source.Options{BlankClears: true})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if p2.Counts.Changes != 6 || !strings.Contains(strings.Join(p2.Notes, "\n"), `"blank means clear" is on`) {
		t.Fatalf("with blank means clear:\n%s", planText(p2))
	}
}

// bigSharedSKUProductCSV is one product with 2,048 variants over three options
// (16 colours × 16 sizes × 8 materials), Shopify's limit. Variants of one
// colour share a style-colour SKU, as some merchants number them.
func bigSharedSKUProductCSV() string {
	var b strings.Builder
	b.WriteString("Handle,Title,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Price,Variant Inventory Qty\n")
	n := 0
	for c := range 16 {
		for s := range 16 {
			for m := range 8 {
				if n == 0 {
					fmt.Fprintf(&b, "big,Big,Colour,C%d,Size,S%d,Material,M%d,BIG-C%d,%d.00,%d\n", c, s, m, c, 10+n%7, n%5)
				} else {
					fmt.Fprintf(&b, "big,,,C%d,,S%d,,M%d,BIG-C%d,%d.00,%d\n", c, s, m, c, 10+n%7, n%5)
				}
				n++
			}
		}
	}
	return b.String()
}

// TestLargeProduct: a product with 2,048 variants and three options (and a
// SKU per colour, on 128 variants each) is created, and the same file and
// its export resync with zero writes.
func TestLargeProduct(t *testing.T) {
	if testing.Short() {
		t.Skip("2,048 variants")
	}
	h := newHarness(t, fakeshop.PlanPlus, 1000)
	csv := bigSharedSKUProductCSV()
	p, res := h.sync(t, readCSV(t, csv), h.opts())
	if p.Counts.Products.Create != 1 || p.Counts.Variants.Create != 2048 || res.Counts.Errors > 0 {
		t.Fatalf("create: plan %+v, run %+v %+v", p.Counts, res.Counts, res.Problems)
	}
	if got := len(h.sh.Snapshot()[0].Variants); got != 2048 {
		t.Fatalf("the shop has %d variants", got)
	}
	export := exportCSV(t, h) // a bulk query: counted as a mutation by the shop
	before := h.mutations()
	for name, text := range map[string]string{"the same file": csv, "its export": export} {
		p2 := h.plan(t, text, h.opts())
		if p2.HasChanges() || p2.Counts.Variants.Unchanged != 2048 || p2.Counts.Products.Error+p2.Counts.Variants.Error > 0 {
			t.Fatalf("resync of %s: %+v\n%.3000s", name, p2.Counts, planText(p2))
		}
	}
	if h.mutations() != before {
		t.Fatalf("planning wrote %d mutations", h.mutations()-before)
	}
}

// TestSharedSKUMatchedByBarcode: when option values were renamed in the
// sheet and the SKU is shared, a unique barcode still finds the variant,
// and the preview says so.
func TestSharedSKUMatchedByBarcode(t *testing.T) {
	h := newHarness(t, fakeshop.PlanPlus, 100)
	h.sh.Seed([]fakeshop.Product{{Handle: "scarf", Title: "Scarf", Options: []fakeshop.Option{{Name: "Color", Values: []string{"Red", "Blue"}}},
		Variants: []fakeshop.Variant{
			{SKU: "SCARF", Barcode: "111", Price: "9.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Red"}}},
			{SKU: "SCARF", Barcode: "222", Price: "9.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Blue"}}}}}})
	p := h.plan(t, "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Barcode,Variant Price\n"+
		"scarf,Scarf,Color,Crimson,SCARF,111,9.00\nscarf,,,Blue,SCARF,222,9.00\n", h.opts())
	vp := p.Products[0].Variants[0]
	if vp.Action != ActUpdate || len(vp.Fields) != 1 || vp.Fields[0].New != "Crimson" || !strings.Contains(vp.Message, "matched by barcode") {
		t.Fatalf("plan:\n%s", planText(p))
	}
}

// One shared SKU is "1 SKU is", not "1 SKUs are".
func TestSharedSKUNoteSingular(t *testing.T) {
	s := sharedSKUs{n: 1, example: "TEE", most: 2}
	if got := s.note(); !strings.HasPrefix(got, `1 SKU is on more than one variant or row ("TEE" on 2)`) {
		t.Fatalf("note %q", got)
	}
}
