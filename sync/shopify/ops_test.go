package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// opStub answers by GraphQL operation name and records the variables.
type opStub struct {
	mu   sync.Mutex
	vars map[string][]map[string]any
	*stub
}

func newOpStub(t *testing.T, answers map[string]func(vars map[string]any) string) *opStub {
	s := &opStub{vars: map[string][]map[string]any{}}
	s.stub = newStub(t, func(n int, w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query     string         `json:"query"`
			Variables map[string]any `json:"variables"`
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &req); err != nil {
			write(w, 400, `{"errors":[{"message":"bad json"}]}`)
			return
		}
		op := parseDoc(req.Query).op
		name := ""
		if op != nil {
			name = op.Name
		}
		s.mu.Lock()
		s.vars[name] = append(s.vars[name], req.Variables)
		s.mu.Unlock()
		a, ok := answers[name]
		if !ok {
			write(w, 200, `{"errors":[{"message":"no stub for `+name+`"}]}`)
			return
		}
		write(w, 200, okBody(a(req.Variables), 10, 1990))
	})
	return s
}

func TestShopInfo(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"ShopInfo": func(map[string]any) string {
			return `{"shop":{"id":"gid://shopify/Shop/1","name":"Demo","myshopifyDomain":"demo.myshopify.com","currencyCode":"EUR",
			"plan":{"publicDisplayName":"Grow","partnerDevelopment":false,"shopifyPlus":false}},
			"currentAppInstallation":{"accessScopes":[{"handle":"write_products"},{"handle":"read_inventory"}]}}`
		},
	})
	c, _ := testClient(t, s.URL)
	info, err := c.ShopInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name != "Demo" || info.PlanName != "Grow" || info.CurrencyCode != "EUR" || len(info.Scopes) != 2 {
		t.Fatalf("%+v", info)
	}
	if !info.HasScope("read_products") || info.HasScope("write_inventory") {
		t.Fatal("HasScope: write should imply read, not the reverse")
	}
}

func TestLocationsPaginate(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"Locations": func(v map[string]any) string {
			if v["after"] == nil {
				return `{"locations":{"nodes":[{"id":"L1","name":"A","isActive":true}],"pageInfo":{"hasNextPage":true,"endCursor":"c1"}}}`
			}
			return `{"locations":{"nodes":[{"id":"L2","name":"B","isActive":false}],"pageInfo":{"hasNextPage":false,"endCursor":"c2"}}}`
		},
	})
	c, _ := testClient(t, s.URL)
	locs, err := c.Locations(context.Background())
	if err != nil || len(locs) != 2 || locs[1].ID != "L2" || locs[1].IsActive {
		t.Fatalf("locs=%+v err=%v", locs, err)
	}
	if got := s.vars["Locations"][1]["after"]; got != "c1" {
		t.Fatalf("second page after = %v", got)
	}
}

func TestPaginateStopsOnRepeatedCursor(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"Locations": func(v map[string]any) string {
			return `{"locations":{"nodes":[],"pageInfo":{"hasNextPage":true,"endCursor":"same"}}}`
		},
	})
	c, _ := testClient(t, s.URL)
	if _, err := c.Locations(context.Background()); err == nil {
		t.Fatal("endless pagination not detected")
	}
}

const wireVariantJSON = `{"id":"V%d","title":"S","sku":"SKU-%d","barcode":null,"price":"9.99","compareAtPrice":null,"inventoryPolicy":"DENY","position":1,
 "selectedOptions":[{"name":"Size","value":"S"}],
 "inventoryItem":{"id":"I%d","tracked":true,"inventoryLevels":{"nodes":[{"location":{"id":"L1"},"quantities":[{"name":"available","quantity":7}]}]}}}`

func variantJSON(i int) string {
	return strings.ReplaceAll(wireVariantJSON, "%d", string(rune('0'+i)))
}

func TestProductsByHandlesFollowsVariantPages(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"Locations": func(map[string]any) string {
			return `{"locations":{"nodes":[{"id":"L1","name":"A","isActive":true},{"id":"L2","name":"B","isActive":true}],"pageInfo":{"hasNextPage":false}}}`
		},
		"ProductIDsByHandle": func(v map[string]any) string {
			if v["h0"] != "shirt" || v["h1"] != "missing" || v["h2"] != "odd handle" {
				t.Errorf("handles %v", v)
			}
			return `{"p0":{"id":"P1","handle":"shirt"},"p1":null,"p2":null}`
		},
		"ProductsByID": func(v map[string]any) string {
			if v["id0"] != "P1" || v["id1"] != nil {
				t.Errorf("ids %v", v)
			}
			return `{"p0":
			 {"id":"P1","handle":"shirt","title":"Shirt","descriptionHtml":"","vendor":"V","productType":"","tags":["a"],"status":"ACTIVE",
			  "options":[{"id":"O1","name":"Size","position":1,"optionValues":[{"name":"S"},{"name":"M"}]}],
			  "variants":{"nodes":[` + variantJSON(1) + `],"pageInfo":{"hasNextPage":true,"endCursor":"vc1"}}}}`
		},
		"ProductVariants": func(v map[string]any) string {
			return `{"product":{"variants":{"nodes":[` + variantJSON(2) + `],"pageInfo":{"hasNextPage":false}}}}`
		},
	})
	c, _ := testClient(t, s.URL)
	ps, err := c.ProductsByHandles(context.Background(), []string{"shirt", "missing", "odd handle"})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Handle != "shirt" || len(ps[0].Variants) != 2 {
		t.Fatalf("%+v", ps)
	}
	v := ps[0].Variants[1]
	if v.SKU != "SKU-2" || v.ProductID != "P1" || v.InventoryItem.ID != "I2" || len(v.InventoryItem.Levels) != 1 ||
		v.InventoryItem.Levels[0].Available != 7 || v.Barcode != "" || v.CompareAtPrice != "" {
		t.Fatalf("variant %+v", v)
	}
	if ps[0].Options[0].Values[1] != "M" {
		t.Fatalf("options %+v", ps[0].Options)
	}
	if len(s.vars["Products"]) != 0 {
		t.Fatal("products were looked up with a search query; handles need the exact productByIdentifier lookup")
	}
	pv := s.vars["ProductsByID"][0]
	if pv["levels"] != float64(2) {
		t.Fatalf("levels = %v, want the number of locations", pv["levels"])
	}
	if got := s.vars["ProductVariants"][0]["after"]; got != "vc1" {
		t.Fatalf("variant page after = %v", got)
	}
	// The query the client sized stays under Shopify's limit.
	if est := EstimateCost(productsByIDDoc(productsPerPage(variantsWithProduct(2), 2)), pv); est > MaxQueryCost {
		t.Fatalf("products query estimated at %d points", est)
	}
}

func TestQuerySizingStaysUnderLimit(t *testing.T) {
	for l := 1; l <= 250; l++ {
		v := variantsWithProduct(l)
		vars := map[string]any{"first": productsPerPage(v, l), "variants": v, "levels": l}
		if est := EstimateCost(docProducts, vars); est > MaxQueryCost {
			t.Errorf("Products with %d locations: %d points", l, est)
		}
		vars = map[string]any{"first": variantsPerPage(l, true), "levels": l}
		if est := EstimateCost(docVariantsBySKU, vars); est > MaxQueryCost {
			t.Errorf("VariantsBySKU with %d locations: %d points", l, est)
		}
		vars = map[string]any{"first": variantsPerPage(l, false), "levels": l}
		if est := EstimateCost(docProductVariants, vars); est > MaxQueryCost {
			t.Errorf("ProductVariants with %d locations: %d points", l, est)
		}
	}
	if est := EstimateCost(docProductSet, map[string]any{"variants": productSetVariants}); est > MaxQueryCost {
		t.Errorf("ProductSet: %d points", est)
	}
	if got := EstimateCost(`query { products(first: 10) { edges { node { id variants(first: 5) { nodes { id } } } } } }`, nil); got != 2+10*(1+2+5) {
		t.Errorf("estimate = %d, want %d", got, 2+10*(1+2+5))
	}
}

func TestSetInventorySplitsAndSendsNull(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"SetInventory": func(map[string]any) string {
			return `{"inventorySetQuantities":{"inventoryAdjustmentGroup":{"id":"G"},"userErrors":[]}}`
		},
	})
	c, _ := testClient(t, s.URL)
	qs := make([]InventoryQuantity, 600)
	five := 5
	for i := range qs {
		qs[i] = InventoryQuantity{InventoryItemID: "I", LocationID: "L", Quantity: i}
	}
	qs[0].ChangeFrom = &five
	if err := c.SetInventory(context.Background(), SetInventoryInput{Quantities: qs, IdempotencyKey: "run-1"}); err != nil {
		t.Fatal(err)
	}
	calls := s.vars["SetInventory"]
	if len(calls) != 3 {
		t.Fatalf("%d calls, want 3 (250+250+100)", len(calls))
	}
	keys := map[any]bool{}
	for _, v := range calls {
		keys[v["key"]] = true
	}
	if len(keys) != 3 || !keys["run-1/0"] {
		t.Fatalf("keys %v", keys)
	}
	in := calls[0]["input"].(map[string]any)
	q := in["quantities"].([]any)
	if len(q) != 250 || in["name"] != "available" || in["reason"] != "correction" {
		t.Fatalf("input %v", in["name"])
	}
	first, second := q[0].(map[string]any), q[1].(map[string]any)
	if first["changeFromQuantity"] != float64(5) {
		t.Fatalf("changeFrom = %v", first["changeFromQuantity"])
	}
	if v, ok := second["changeFromQuantity"]; !ok || v != nil {
		t.Fatal("nil ChangeFrom must be sent as an explicit null")
	}
}

func TestUserErrorsReturned(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"VariantsBulkUpdate": func(map[string]any) string {
			return `{"productVariantsBulkUpdate":{"productVariants":null,"userErrors":[{"field":["variants","0","price"],"message":"Price must be positive","code":"INVALID"}]}}`
		},
	})
	c, _ := testClient(t, s.URL)
	price := "-1"
	_, err := c.VariantsBulkUpdate(context.Background(), "P1", []VariantUpdate{{ID: "V1", Price: &price}})
	var ue *UserErrors
	if !errors.As(err, &ue) || ue.Errors[0].Code != "INVALID" || !strings.Contains(err.Error(), "variants.0.price") {
		t.Fatalf("err = %v", err)
	}
	sent := s.vars["VariantsBulkUpdate"][0]["variants"].([]any)[0].(map[string]any)
	if sent["price"] != "-1" || sent["id"] != "V1" {
		t.Fatalf("sent %v", sent)
	}
}

func TestVariantUpdateSKUGoesToInventoryItem(t *testing.T) {
	sku, empty := "ABC", ""
	m := VariantUpdate{ID: "V", SKU: &sku, CompareAtPrice: &empty}.Input()
	if _, ok := m["sku"]; ok {
		t.Fatal("sku must not be top-level")
	}
	if m["inventoryItem"].(map[string]any)["sku"] != "ABC" {
		t.Fatalf("%v", m)
	}
	if v, ok := m["compareAtPrice"]; !ok || v != nil {
		t.Fatal(`pointer to "" must clear compareAtPrice`)
	}
}

func TestMaxCostShrinksPage(t *testing.T) {
	s := newOpStub(t, map[string]func(map[string]any) string{
		"Locations": func(map[string]any) string {
			return `{"locations":{"nodes":[{"id":"L1","name":"A","isActive":true}],"pageInfo":{"hasNextPage":false}}}`
		},
		"ProductsByID": func(v map[string]any) string {
			if v["id2"] != nil {
				return `null`
			}
			return `{"p0":null,"p1":null}`
		},
	})
	// The stub answers data null for big pages; make those a MAX_COST_EXCEEDED error.
	inner := s.stub.handle
	s.stub.handle = func(n int, w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		inner(n, rec, r)
		if strings.Contains(rec.Body.String(), `"data":null`) {
			write(w, 200, `{"errors":[{"message":"Query cost is 1200","extensions":{"code":"MAX_COST_EXCEEDED"}}]}`)
			return
		}
		write(w, rec.Code, rec.Body.String())
	}
	c, _ := testClient(t, s.URL)
	if _, err := c.ProductsByIDs(context.Background(), []string{"a", "b", "c", "d", "e", "f"}); err != nil {
		t.Fatal(err)
	}
	var firsts []int
	for _, v := range s.vars["ProductsByID"] {
		firsts = append(firsts, len(v)-2) // id0…idN plus variants and levels
	}
	if fmt.Sprint(firsts) != "[6 3 1 1 1 1 1 1]" {
		t.Fatalf("page sizes tried: %v", firsts)
	}
}
