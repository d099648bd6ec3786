package sync

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

var linkScopesForTest = []string{"write_products", "write_inventory", "read_locations", "read_metaobjects", "read_metaobject_definitions"}

// colorShop defines the standard color metafield, linked to a metaobject
// type with entries Red, Blue and Green; it returns the entries by name.
func colorShop(h *harness) map[string]string {
	def := h.sh.AddMetaobjectDefinition("shopify--color-pattern", "Color")
	h.sh.AddMetafieldDefinition(fakeshop.MetafieldDefinition{OwnerType: "PRODUCT", Namespace: "shopify", Key: "color-pattern",
		Name: "Color", Type: "list.metaobject_reference", Validations: map[string]string{"metaobject_definition_id": def}})
	ids := map[string]string{}
	for _, n := range []string{"Red", "Blue", "Green"} {
		ids[n] = h.sh.AddMetaobject("shopify--color-pattern", strings.ToLower(n)+"-1", n)
	}
	return ids
}

const linkedHeader = "Title,URL handle,Option1 name,Option1 value,Option1 Linked To,SKU,Price\n"

func productPlan(p *Plan, handle string) *ProductPlan {
	for i := range p.Products {
		if p.Products[i].Handle == handle {
			return &p.Products[i]
		}
	}
	return nil
}

// TestLinkedOptionsCreateAndResync: "Option1 Linked To" creates options
// linked to the metafield, each value the entry of its display name (case
// ignored) or handle; a value with no entry is a cell error naming the
// entries there are, and its product is created with the rest; a metafield
// that can't be linked fails its product. The sheet again, and the store's
// export (which writes the Linked To column), plan zero writes; a new row
// adds a variant by its entry.
func TestLinkedOptionsCreateAndResync(t *testing.T) {
	h := newHarnessScopes(t, fakeshop.PlanAdvanced, 50, linkScopesForTest)
	ctx := context.Background()
	ids := colorShop(h)
	const link = "product.metafields.shopify.color-pattern"
	sheet := linkedHeader +
		"Tee,tee,Color,Red," + link + ",T-R,10.00\n" +
		",tee,,blue,,T-B,10.00\n" +
		"Cap,cap,Color,green-1," + link + ",C-G,5.00\n" +
		",cap,,Teal,,C-T,5.00\n" +
		",cap,,Green,,C-G2,5.00\n" +
		"Mug,mug,Size,Large,,M-L,4.00\n" +
		"Scarf,scarf,Color,Red,product.metafields.custom.nothing,S-R,9.00\n"
	p, _ := h.sync(t, readCSV(t, sheet), h.opts())
	if v := productPlan(p, "cap").Variants[2]; v.Action != ActError || !strings.Contains(v.Message, "same option values as row 4 (they name the same metaobject entries)") {
		t.Errorf("Green twice (by handle and by name): %+v", v)
	}
	if p.Counts.Products.Create != 3 {
		t.Fatalf("creates %+v\n%s", p.Counts, planText(p))
	}
	var teal *VariantPlan
	for i := range productPlan(p, "cap").Variants {
		if v := &productPlan(p, "cap").Variants[i]; v.Key == "C-T" {
			teal = v
		}
	}
	if teal == nil || teal.Action != ActError || teal.Cell.Column != "Option1 value" || teal.Cell.Row != 5 ||
		!strings.Contains(teal.Message, `"Teal" is not one of the store's shopify--color-pattern entries`) || !strings.Contains(teal.Message, `"Blue"`) {
		t.Errorf("Teal: %+v", teal)
	}
	if sc := productPlan(p, "scarf"); sc.Action != ActError || !strings.Contains(sc.Message, `row 8, column "Option1 Linked To"`) ||
		!strings.Contains(sc.Message, "no product metafield definition") {
		t.Errorf("scarf: %+v", sc)
	}
	want := map[string][]string{"tee": {"Red", "Blue"}, "cap": {"Green"}}
	for _, sp := range h.sh.Snapshot() {
		o := sp.Options[0]
		switch sp.Handle {
		case "tee", "cap":
			if o.LinkedMetafield != "shopify.color-pattern" || strings.Join(o.Values, ",") != strings.Join(want[sp.Handle], ",") {
				t.Errorf("%s: option %+v", sp.Handle, o)
			}
			for k, v := range o.Values {
				if o.LinkedValues[k] != ids[v] {
					t.Errorf("%s: %s is entry %s, want %s", sp.Handle, v, o.LinkedValues[k], ids[v])
				}
			}
		case "mug":
			if o.LinkedMetafield != "" {
				t.Errorf("mug linked: %+v", o)
			}
		}
	}

	clean := linkedHeader + "Tee,tee,Color,Red," + link + ",T-R,10.00\n" + ",tee,,blue,,T-B,10.00\n" +
		"Cap,cap,Color,green-1," + link + ",C-G,5.00\n" + "Mug,mug,Size,Large,,M-L,4.00\n"
	assertNoWrites(t, h, clean, h.opts())
	// cap's row names its entry by handle: matched by its entry's name, not by SKU with a value change.
	noSKU := linkedHeader + "Cap,cap,Color,green-1," + link + ",,5.00\n"
	if p, err := h.eng.Plan(ctx, h.st, readCSV(t, noSKU), h.opts()); err != nil || p.HasChanges() ||
		productPlan(p, "cap").Variants[0].Action != ActUnchanged || productPlan(p, "cap").Variants[0].Message != "" {
		t.Errorf("cap by handle: %v\n%s", err, planText(p))
	}
	var buf bytes.Buffer
	if err := h.eng.Export(ctx, h.st, &buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Option1 Linked To") || !strings.Contains(buf.String(), ","+link+",") {
		t.Fatalf("export lacks the link:\n%s", buf.String())
	}
	assertNoWrites(t, h, buf.String(), h.opts())

	p, _ = h.sync(t, readCSV(t, clean+",tee,,Green,,T-G,10.00\n,tee,,Teal,,T-T,10.00\n"), h.opts())
	if v := productPlan(p, "tee").Variants[3]; v.Action != ActError || v.Cell.Column != "Option1 value" || !strings.Contains(v.Message, `"Teal" is not one of`) {
		t.Errorf("adding Teal to a linked option: %+v", v)
	}
	if p.Counts.Variants.Create != 1 {
		t.Fatalf("adding Green: %s", planText(p))
	}
	for _, sp := range h.sh.Snapshot() {
		if o := sp.Options[0]; sp.Handle == "tee" && (len(o.Values) != 3 || o.LinkedValues[2] != ids["Green"]) {
			t.Errorf("tee after adding Green: %+v", o)
		}
	}
}

// TestLinkChangeIsNeverMade: a sheet linking an option that Shopify has
// unlinked (or linked elsewhere) plans no write and says so on the product;
// a blank Linked To never unlinks; a matched variant's linked value is not
// moved to another entry.
func TestLinkChangeIsNeverMade(t *testing.T) {
	h := newHarnessScopes(t, fakeshop.PlanAdvanced, 50, linkScopesForTest)
	ids := colorShop(h)
	h.sh.Seed([]fakeshop.Product{
		{Handle: "mug", Title: "Mug", Options: []fakeshop.Option{{Name: "Color", Values: []string{"Red"}}},
			Variants: []fakeshop.Variant{{SKU: "M-R", Price: "4.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Red"}}}}},
		{Handle: "tee", Title: "Tee", Options: []fakeshop.Option{{Name: "Color", Values: []string{"Red"}, LinkedMetafield: "shopify.color-pattern",
			LinkedValues: []string{ids["Red"]}}},
			Variants: []fakeshop.Variant{{SKU: "T-R", Price: "10.00", SelectedOptions: []fakeshop.SelectedOption{{Name: "Color", Value: "Red"}}}}},
	})
	sheet := linkedHeader + "Mug,mug,Color,Red,product.metafields.shopify.color-pattern,M-R,4.00\n" +
		"Tee,tee,Color,Red,,T-R,10.00\n"
	n := h.mutations()
	p, _ := h.sync(t, readCSV(t, sheet), h.opts())
	if p.HasChanges() || h.mutations() != n {
		t.Fatalf("a link change was planned:\n%s", planText(p))
	}
	if m := productPlan(p, "mug").Message; !strings.Contains(m, `option "Color" is linked to shopify.color-pattern in the sheet but not linked in Shopify: left as it is`) {
		t.Errorf("mug message %q", m)
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "links an option of mug") }) {
		t.Errorf("no note: %q", p.Notes)
	}
	if m := productPlan(p, "tee").Message; m != "" {
		t.Errorf("a blank Linked To speaks: %q", m)
	}
	// T-R matched by SKU with another color: the linked value stays.
	moved := "Title,URL handle,Option1 name,Option1 value,SKU,Price\nTee,tee,Color,Blue,T-R,10.00\n"
	p, _ = h.sync(t, readCSV(t, moved), Options{StoreID: h.storeID, Source: "t.csv", DefaultLocationID: h.locs[0].ID, Match: []MatchKey{MatchSKU}})
	if p.HasChanges() || !strings.Contains(productPlan(p, "tee").Variants[0].Message, "its value is left as it is") {
		t.Errorf("moving a linked value:\n%s", planText(p))
	}
}

// TestLinkedOptionsNeedMetaobjectScopes: without the metaobject scopes a
// linked product is not created, and the preview says which scopes to grant.
func TestLinkedOptionsNeedMetaobjectScopes(t *testing.T) {
	h := newHarness(t, fakeshop.PlanAdvanced, 50)
	colorShop(h)
	p, _ := h.sync(t, readCSV(t, linkedHeader+"Tee,tee,Color,Red,product.metafields.shopify.color-pattern,T-R,10.00\n"), h.opts())
	if pp := productPlan(p, "tee"); pp.Action != ActError || !strings.Contains(pp.Message, linkScopes) {
		t.Fatalf("tee: %+v", pp)
	}
}

// TestLinkedOptionsBulkCreate: products created in one bulk operation get
// their linked options too, and resync to nothing.
func TestLinkedOptionsBulkCreate(t *testing.T) {
	h := newHarnessScopes(t, fakeshop.PlanGrow, 50, linkScopesForTest)
	h.eng.BulkCreateMin = 5
	ids := colorShop(h)
	var b strings.Builder
	b.WriteString(linkedHeader)
	for i := range 8 {
		fmt.Fprintf(&b, "Tee %d,tee-%d,Color,Red,product.metafields.shopify.color-pattern,T%d-R,10.00\n,tee-%d,,Green,,T%d-G,10.00\n", i, i, i, i, i)
	}
	p, _ := h.sync(t, readCSV(t, b.String()), h.opts())
	if p.Counts.Products.Create != 8 || h.sh.Stats().Mutations["bulkOperationRunMutation"] != 1 {
		t.Fatalf("bulk create: %+v %v\n%s", p.Counts, h.sh.Stats().Mutations, planText(p))
	}
	for _, sp := range h.sh.Snapshot() {
		if o := sp.Options[0]; o.LinkedMetafield != "shopify.color-pattern" || len(o.LinkedValues) != 2 || o.LinkedValues[1] != ids["Green"] {
			t.Errorf("%s: %+v", sp.Handle, o)
		}
	}
	assertNoWrites(t, h, b.String(), h.opts())
}
