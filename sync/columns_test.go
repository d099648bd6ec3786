package sync

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestPlanListsUnsyncedColumns: the preview and the dry-run text name every
// column that is not synced, with its reason.
func TestPlanListsUnsyncedColumns(t *testing.T) {
	h := newHarness(t, fakeshop.PlanBasic, 100)
	cat := readCSV(t, "Handle,Title,Variant SKU,Variant Price,Mystery,Variant Tax Code,Price / International,Color (product.metafields.shopify.color-pattern)\n"+
		"tee,Tee,T-1,10.00,x,C0001,12.00,red\n")
	p, err := h.eng.Plan(context.Background(), h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Unsynced) != 4 {
		t.Fatalf("unsynced = %v", p.Unsynced)
	}
	var b strings.Builder
	_ = p.WriteText(&b, TextOptions{})
	for _, want := range []string{"columns not synced, and why:", `"Mystery": not a column Shelfsync knows`,
		`"Variant Tax Code": Shopify deprecates`, `"Price / International": the app lacks the read_markets access scope`, `"Color (product.metafields.shopify.color-pattern)": the store has no product metafield definition shopify.color-pattern`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("dry-run text lacks %q:\n%s", want, b.String())
		}
	}
}

// extrasState renders the shop's SEO, gift card, weight, cost, shipping,
// tax and customs fields, sorted.
func extrasState(sh *fakeshop.Shop) string {
	var lines []string
	for _, p := range sh.Snapshot() {
		lines = append(lines, fmt.Sprintf("P %s|%s|%s|gift=%v", p.Handle, p.SEOTitle, p.SEODescription, p.GiftCard))
		for _, v := range p.Variants {
			w := "none"
			if v.Weight != nil {
				w = fmt.Sprintf("%g %s", v.Weight.Value, v.Weight.Unit)
			}
			lines = append(lines, fmt.Sprintf("V %s|%s|w=%s|cost=%s|ship=%v|tax=%v|hs=%s|origin=%s", p.Handle, v.SKU, w, v.Cost,
				*v.RequiresShipping, *v.Taxable, v.HSCode, v.CountryOfOrigin))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestExtraFieldsEndToEnd: SEO, gift card, weight, cost, shipping, tax and
// customs columns are diffed field by field, written, read back (a resync
// plans nothing), left alone by blank cells, undone, and exported so that
// the export syncs back to nothing.
func TestExtraFieldsEndToEnd(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Tee", Variants: []fakeshop.Variant{{SKU: "T-1", Price: "10.00"}}}})
	original := extrasState(h.sh)
	const header = "Handle,Title,Variant SKU,Variant Price,SEO Title,SEO Description,Gift Card,Variant Grams,Variant Weight Unit," +
		"Cost per item,Variant Requires Shipping,Variant Taxable,HS code,Country of origin\n"
	sheet := header +
		"tee,Tee,T-1,10.00,Tee | Shop,\"Soft, organic\",FALSE,145,kg,4.20,FALSE,no,610910,pt\n" +
		"card,Gift card,G-1,25.00,,,TRUE,,,,false,FALSE,,\n"
	p, res := h.sync(t, readCSV(t, sheet), h.opts())
	var b strings.Builder
	_ = p.WriteText(&b, TextOptions{})
	for _, want := range []string{"seoTitle: (none) → \"Tee | Shop\"", "seoDescription: (none) → \"Soft, organic\"",
		"T-1 weight: (none) → \"0.145 kg\"", "T-1 cost: (none) → 4.20", "T-1 requiresShipping: true → false",
		"T-1 taxable: true → false", "T-1 harmonizedSystemCode: (none) → 610910", "T-1 countryCodeOfOrigin: (none) → PT"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, b.String())
		}
	}
	if p.Counts.Changes != 9 || res.Counts.Errors != 0 {
		t.Fatalf("changes %d, run %+v\n%s", p.Counts.Changes, res.Counts, b.String())
	}
	written := extrasState(h.sh)
	for _, want := range []string{"P card|||gift=true", "V card|G-1|w=none|cost=|ship=false|tax=false|hs=|origin=",
		"P tee|Tee | Shop|Soft, organic|gift=false", "V tee|T-1|w=0.145 KILOGRAMS|cost=4.20|ship=false|tax=false|hs=610910|origin=PT"} {
		if !strings.Contains(written, want) {
			t.Errorf("shop lacks %q:\n%s", want, written)
		}
	}

	// The same sheet again, and one with every extra cell blank: nothing to write.
	blank := header + "tee,Tee,T-1,10.00,,,,,,,,,,\n"
	assertNoWrites(t, h, sheet, h.opts())
	assertNoWrites(t, h, blank, h.opts())

	// A gift card can't be switched on an existing product: said, not sent.
	p3, _ := h.sync(t, readCSV(t, header+"tee,Tee,T-1,10.00,,,TRUE,,,,,,,\n"), h.opts())
	if p3.HasChanges() || !strings.Contains(p3.Products[0].Message, "only when a product is created") {
		t.Errorf("gift card on update: %+v", p3.Products[0])
	}

	// Export → sync: zero writes, with the new columns filled in.
	var buf strings.Builder
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Cost per item", "Weight value (grams)", "SEO title", ",145,kg,", "4.20", "610910"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("export lacks %q:\n%s", want, buf.String())
		}
	}
	assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})

	// Undo the first run: the card is deleted, the tee is as before.
	undoRun(t, h, res.RunID)
	// A weight the store didn't have comes back as 0 g: the API can't unset one.
	if got, want := extrasState(h.sh), strings.Replace(original, "w=none", "w=0 GRAMS", 1); got != want {
		t.Errorf("after undo:\n%s\nwant:\n%s", got, want)
	}
}

// TestImagesOnCreate: a new product is created with its images in position
// order, alt texts and variant images, share links turned into direct links;
// syncing the same sheet again sends nothing (no image is uploaded twice).
func TestImagesOnCreate(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	sheet := "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text,Variant Image\n" +
		"tee,Tee,Color,Red,T-R,10.00,https://cdn.example.com/back.jpg,2,Back,https://www.dropbox.com/s/abc/red.jpg?dl=0\n" +
		"tee,,,Blue,T-B,10.00,https://drive.google.com/file/d/1FrOnT/view?usp=sharing,1,Front,\n" +
		"tee,,,,,,https://cdn.example.com/side.jpg,3,,\n"
	h.sync(t, readCSV(t, sheet), h.opts())
	snap := h.sh.Snapshot()
	if len(snap) != 1 {
		t.Fatalf("shop: %+v", snap)
	}
	var got []string
	for _, m := range snap[0].Media {
		got = append(got, m.Source+" "+m.Alt)
	}
	want := []string{"https://drive.google.com/uc?export=download&id=1FrOnT Front", "https://cdn.example.com/back.jpg Back",
		"https://cdn.example.com/side.jpg ", "https://www.dropbox.com/s/abc/red.jpg?dl=1 "}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("media:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, v := range snap[0].Variants {
		if v.SKU == "T-R" && v.ImageSource != "https://www.dropbox.com/s/abc/red.jpg?dl=1" || v.SKU == "T-B" && v.ImageSource != "" {
			t.Errorf("variant %s image %q", v.SKU, v.ImageSource)
		}
	}
	before := h.mutations()
	p, _ := h.sync(t, readCSV(t, sheet), h.opts())
	if p.HasChanges() || h.mutations() != before || len(h.sh.Snapshot()[0].Media) != 4 {
		t.Errorf("resync: changes %v, %d mutations", p.HasChanges(), h.mutations()-before)
	}
}

// TestMetafieldsEndToEnd: product and variant metafield columns are typed by
// the store's definitions (a value that doesn't fit is a cell error, a column
// without a definition is listed as not synced), written with metafieldsSet
// (and productSet on create), resynced to nothing, exported and undone.
func TestMetafieldsEndToEnd(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	for _, d := range []fakeshop.MetafieldDefinition{
		{OwnerType: "PRODUCT", Namespace: "custom", Key: "material", Name: "Material", Type: "single_line_text_field"},
		{OwnerType: "PRODUCT", Namespace: "custom", Key: "care_score", Name: "Care score", Type: "number_integer"},
		{OwnerType: "PRODUCTVARIANT", Namespace: "custom", Key: "fabric", Name: "Fabric", Type: "list.single_line_text_field"},
		{OwnerType: "PRODUCTVARIANT", Namespace: "custom", Key: "organic", Name: "Organic", Type: "boolean"},
	} {
		h.sh.AddMetafieldDefinition(d)
	}
	h.sh.Seed([]fakeshop.Product{{Handle: "tee", Title: "Tee", Metafields: map[string]string{"custom.material": "Wool"},
		Variants: []fakeshop.Variant{{SKU: "T-1", Price: "10.00"}}}})
	before := mfState(h.sh)
	const header = "Handle,Title,Variant SKU,Variant Price,Material (product.metafields.custom.material)," +
		"Care score (product.metafields.custom.care_score),Fabric (variant.metafields.custom.fabric)," +
		"Organic (variant.metafields.custom.organic),Secret (product.metafields.custom.nodef)\n"
	sheet := header +
		"tee,Tee,T-1,10.00,Cotton,+5,cotton; elastane,yes,x\n" +
		"cap,Cap,C-1,12.00,Denim,lots,,no,\n"
	p, res := h.sync(t, readCSV(t, sheet), h.opts())
	var b strings.Builder
	_ = p.WriteText(&b, TextOptions{})
	for _, want := range []string{`metafield:custom.material: Wool → Cotton`, `metafield:custom.care_score: (none) → 5`,
		`T-1 metafield:custom.fabric: (none) → "[\"cotton\",\"elastane\"]"`, `T-1 metafield:custom.organic: (none) → true`,
		`row 3, column "Care score (product.metafields.custom.care_score)": not a whole number`,
		`"Secret (product.metafields.custom.nodef)": the store has no product metafield definition custom.nodef`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, b.String())
		}
	}
	got := mfState(h.sh)
	for _, want := range []string{"P cap custom.material=Denim", "V cap C-1 custom.organic=false", "P tee custom.care_score=5",
		"P tee custom.material=Cotton", `V tee T-1 custom.fabric=["cotton","elastane"]`, "V tee T-1 custom.organic=true"} {
		if !strings.Contains(got, want) {
			t.Errorf("shop lacks %q:\n%s", want, got)
		}
	}

	assertNoWrites(t, h, sheet, h.opts())
	assertNoWrites(t, h, header+"tee,Tee,T-1,10.00,,,,,\n", h.opts())

	var buf strings.Builder
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Fabric (variant.metafields.custom.fabric)") || !strings.Contains(buf.String(), "Cotton") {
		t.Errorf("export lacks metafields:\n%s", buf.String())
	}
	assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})

	up := undoRun(t, h, res.RunID)
	if got := mfState(h.sh); got != before {
		var b strings.Builder
		_ = up.WriteText(&b, TextOptions{})
		t.Errorf("after undo:\n%s\nwant:\n%s\nundo plan:\n%s", got, before, b.String())
	}
}

// mfState renders the shop's metafields, sorted.
func mfState(sh *fakeshop.Shop) string {
	var lines []string
	for _, p := range sh.Snapshot() {
		for k, v := range p.Metafields {
			lines = append(lines, "P "+p.Handle+" "+k+"="+v)
		}
		for _, v := range p.Variants {
			for k, val := range v.Metafields {
				lines = append(lines, "V "+p.Handle+" "+v.SKU+" "+k+"="+val)
			}
		}
		lines = append(lines, "product "+p.Handle)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// assertNoWrites syncs csv and fails unless nothing was planned or sent.
func assertNoWrites(t *testing.T, h *harness, csv string, o Options) {
	t.Helper()
	n := h.mutations()
	p, _ := h.sync(t, readCSV(t, csv), o)
	if p.HasChanges() || h.mutations() != n {
		var b strings.Builder
		_ = p.WriteText(&b, TextOptions{})
		t.Fatalf("resync plans changes:\n%s\nsheet:\n%s", b.String(), csv)
	}
}

// undoRun plans and applies the undo of a run.
func undoRun(t *testing.T, h *harness, runID string) *Plan {
	t.Helper()
	ctx := context.Background()
	up, err := h.eng.PlanUndo(ctx, h.st, runID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Apply(ctx, h.st, up, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	return up
}

// TestAllColumnsRoundTrip: a current-format sheet with every column of
// Shopify's product CSV creates its products; the sheet again, the same
// catalog in the legacy header, and the store's export each sync back with
// zero writes.
func TestAllColumnsRoundTrip(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	h.sh.AddMetafieldDefinition(fakeshop.MetafieldDefinition{OwnerType: "PRODUCT", Namespace: "custom", Key: "material", Name: "Material", Type: "single_line_text_field"})
	h.sh.AddMetafieldDefinition(fakeshop.MetafieldDefinition{OwnerType: "PRODUCTVARIANT", Namespace: "custom", Key: "fit", Name: "Fit", Type: "number_decimal"})
	current := "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode," +
		"Option1 name,Option1 value,Option1 Linked To,Price,Compare-at price,Cost per item,Charge tax,Tax code," +
		"Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit,Inventory tracker," +
		"Inventory quantity,Continue selling when out of stock,Weight value (grams),Weight unit for display,Requires shipping," +
		"Fulfillment service,Product image URL,Image position,Image alt text,Variant image URL,Gift card,SEO title,SEO description," +
		"Material (product.metafields.custom.material),Fit (variant.metafields.custom.fit),Google Shopping / Gender," +
		"Price / International,Compare-at price / International,HS code,Country of origin\n" +
		"Tee 😀,tee,<p>שלום</p>,Acme,Apparel & Accessories > Clothing > Clothing Tops > T-Shirts,Shirts,\"a, b\",TRUE,active,T-S,111,Size,S,,10.00,12.00,4.20,TRUE,C0001,250,ml,100,ml,shopify," +
		"5,FALSE,145,kg,TRUE,manual,https://cdn.example.com/tee.jpg,1,Front,https://cdn.example.com/s.jpg,FALSE,Tee | Shop,Soft," +
		"Cotton,1.5,unisex,14.00,,610910,PT\n" +
		",tee,,,,,,,,T-M,,,M,,10.00,12.00,4.20,TRUE,C0001,0.5,l,1,l,shopify,3,FALSE,150,kg,TRUE,manual,,,,,,,,,2,unisex,14.00,,610910,PT\n"
	p, _ := h.sync(t, readCSV(t, current), h.opts())
	if p.Counts.Products.Create != 1 || len(p.SourceErrors) > 0 {
		var b strings.Builder
		_ = p.WriteText(&b, TextOptions{})
		t.Fatalf("create:\n%s", b.String())
	}
	if got := unitPriceState(h.sh); got != "tee|T-M|0.5 L per 1 L|shown=true\ntee|T-S|250 ML per 100 ML|shown=true" {
		t.Errorf("unit prices:\n%s", got)
	}
	for _, col := range []string{"Tax code", "Price / International", "Google Shopping / Gender", "Fulfillment service"} {
		found := false
		for _, u := range p.Unsynced {
			found = found || u.Column == col
		}
		if !found {
			t.Errorf("%q not listed as not synced: %v", col, p.Unsynced)
		}
	}
	assertNoWrites(t, h, current, h.opts())

	legacy := "Handle,Title,Body (HTML),Vendor,Type,Tags,Status,Option1 Name,Option1 Value,Variant SKU,Variant Barcode,Variant Price," +
		"Variant Compare At Price,Cost per item,Variant Taxable,Variant Inventory Qty,Variant Inventory Policy,Variant Grams," +
		"Variant Weight Unit,Variant Requires Shipping,Gift Card,SEO Title,SEO Description,Material (product.metafields.custom.material)," +
		"Fit (variant.metafields.custom.fit),Unit Price Total Measure,Unit Price Total Measure Unit,Unit Price Base Measure,Unit Price Base Measure Unit\n" +
		"tee,Tee 😀,<p>שלום</p>,Acme,Shirts,\"a, b\",active,Size,S,T-S,111,10.00,12.00,4.20,TRUE,5,deny,145,kg,TRUE,FALSE,Tee | Shop,Soft,Cotton,1.5,250,ML,100,ML\n" +
		"tee,,,,,,,,M,T-M,,10.00,12.00,4.20,TRUE,3,deny,150,kg,TRUE,,,,,2,0.50,L,1,l\n"
	assertNoWrites(t, h, legacy, h.opts())

	var buf strings.Builder
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})
}

// TestCategory: a product category given by full name or ID is looked up in
// Shopify's taxonomy, set on create and update, compared by ID (a resync and
// the export plan nothing), refused with a cell error when it is none, and
// undone.
func TestCategory(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	ctx := context.Background()
	const header = "Handle,Title,Product Category,Variant SKU,Variant Price\n"
	sheet := header + "tee,Tee,apparel & accessories > clothing > clothing tops >  t-shirts,T-1,10.00\n" +
		"cap,Cap,Hats > Caps,C-1,5.00\n"
	p, _ := h.sync(t, readCSV(t, sheet), h.opts())
	if len(p.SourceErrors) != 1 || !strings.Contains(p.SourceErrors[0].Error(), `row 3, column "Product Category": not a category`) {
		t.Errorf("errors %v", p.SourceErrors)
	}
	category := func(handle string) string {
		for _, p := range h.sh.Snapshot() {
			if p.Handle == handle {
				return p.Category
			}
		}
		return "(no product)"
	}
	if category("tee") != "gid://shopify/TaxonomyCategory/aa-1-13-8" || category("cap") != "" {
		t.Fatalf("categories: tee %q, cap %q", category("tee"), category("cap"))
	}
	assertNoWrites(t, h, header+"tee,Tee,aa-1-13-8,T-1,10.00\n", h.opts())
	p2, res := h.sync(t, readCSV(t, header+"tee,Tee,Apparel & Accessories > Clothing,T-1,10.00\n"), h.opts())
	var b strings.Builder
	_ = p2.WriteText(&b, TextOptions{})
	if len(p2.Products) != 1 || len(p2.Products[0].Fields) != 1 ||
		p2.Products[0].Fields[0].New != "Apparel & Accessories > Clothing [gid://shopify/TaxonomyCategory/aa-1]" {
		t.Errorf("plan:\n%s", b.String())
	}
	if category("tee") != "gid://shopify/TaxonomyCategory/aa-1" {
		t.Errorf("category not updated:\n%s", b.String())
	}
	var buf strings.Builder
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Apparel & Accessories > Clothing") {
		t.Errorf("export:\n%s", buf.String())
	}
	assertNoWrites(t, h, buf.String(), Options{StoreID: h.storeID})
	undoRun(t, h, res.RunID)
	if got := category("tee"); got != "gid://shopify/TaxonomyCategory/aa-1-13-8" {
		t.Errorf("after undo: %q", got)
	}
}
