package fakeshop

import (
	"strings"
	"testing"
	"time"
)

func cost(r gqlResp) (requested, actual any, status map[string]any) {
	c, _ := dig(r.Body, "extensions", "cost").(map[string]any)
	st, _ := c["throttleStatus"].(map[string]any)
	return c["requestedQueryCost"], c["actualQueryCost"], st
}

func TestBucketNumbersByPlan(t *testing.T) {
	srv := NewServer(Options{})
	defer srv.Close()
	for _, tc := range []struct {
		plan         Plan
		max, restore float64
	}{{PlanBasic, 2000, 100}, {PlanGrow, 2000, 100}, {PlanAdvanced, 4000, 200}, {PlanPlus, 20000, 1000}, {PlanEnterprise, 40000, 2000}} {
		sh, err := srv.AddShop("shop-"+strings.ToLower(string(tc.plan)), tc.plan)
		if err != nil {
			t.Fatal(err)
		}
		tok := sh.Install("app", allScopes)
		_, _, st := cost(post(t, sh, tok, "2026-04", `{ shop { id } }`, nil))
		if st["maximumAvailable"] != tc.max || st["restoreRate"] != tc.restore {
			t.Errorf("%s: %v", tc.plan, st)
		}
	}
}

func TestQueryCosts(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 3)
	req, act, st := cost(post(t, sh, tok, "2026-04", `{ products(first: 250) { nodes { title } } }`, nil))
	if req != 252.0 || act != 5.0 { // 2 + 250×1 requested; 2 + 3 returned nodes actual
		t.Fatalf("requested %v actual %v", req, act)
	}
	if st["currentlyAvailable"] != 1995.0 { // only the actual cost is kept
		t.Fatalf("available %v", st)
	}
	req, act, _ = cost(post(t, sh, tok, "2026-04", `{ products(first: 10) { edges { node { id variants(first: 5) { nodes { id inventoryItem { id } } } } } } }`, nil))
	// 2 + 10 × (1 + 2 + 5 × (1 + 1)) = 132; actual 2 + 3 × (1 + 2 + 2 × 2) = 23.
	if req != 132.0 || act != 23.0 {
		t.Fatalf("nested: requested %v actual %v", req, act)
	}
	req, _, _ = cost(post(t, sh, tok, "2026-04", `mutation { productDelete(input: {id: "gid://shopify/Product/1"}) { deletedProductId userErrors { field message } } }`, nil))
	if req != 10.0 {
		t.Fatalf("mutation cost %v", req)
	}
	r := post(t, sh, tok, "2026-04", `{ products(first: 250) { nodes { variants(first: 10) { nodes { id } } } } }`, nil)
	errs, _ := r.Body["errors"].([]any)
	if len(errs) != 1 || dig(errs[0], "extensions", "code") != "MAX_COST_EXCEEDED" ||
		!strings.HasPrefix(dig(errs[0], "message").(string), "Query cost is 3252, which exceeds the single query max cost limit (1000).") || r.Body["data"] != nil {
		t.Fatalf("%s", r.Raw)
	}
}

// drained reports a bucket emptied a moment ago: the clock runs in real time,
// so a loaded machine (the race detector, parallel packages) may have
// restored a point or two (10 ms each at 100/s) before the request.
func drained(st map[string]any) bool {
	ca, ok := st["currentlyAvailable"].(float64)
	return ok && ca < 10
}

func TestThrottledAndRestore(t *testing.T) {
	srv, sh, tok := newTestShop(t, PlanGrow)
	sh.Drain(testClient)
	r := post(t, sh, tok, "2026-04", `{ products(first: 250) { nodes { id } } }`, nil)
	errs, _ := r.Body["errors"].([]any)
	req, act, st := cost(r)
	if r.Status != 200 || len(errs) != 1 || dig(errs[0], "extensions", "code") != "THROTTLED" || dig(errs[0], "message") != "Throttled" ||
		r.Body["data"] != nil || act != nil || req != 252.0 || !drained(st) {
		t.Fatalf("%s", r.Raw)
	}
	if sh.Stats().Throttled != 1 {
		t.Fatal("throttled count")
	}
	srv.Advance(3 * time.Second) // 300 points restored at 100/s
	if r := post(t, sh, tok, "2026-04", `{ products(first: 250) { nodes { id } } }`, nil); r.Body["errors"] != nil {
		t.Fatalf("after restore: %s", r.Raw)
	}
	// Buckets are per app: another app on the same shop is unaffected.
	other := sh.Install("other-app", allScopes)
	sh.Drain(testClient)
	if r := post(t, sh, other, "2026-04", `{ shop { id } }`, nil); r.Body["errors"] != nil {
		t.Fatalf("other app: %s", r.Raw)
	}
}

func TestTimeScale(t *testing.T) {
	srv := NewServer(Options{TimeScale: 200})
	defer srv.Close()
	sh, err := srv.AddShop("fast", PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	sh.Install("app", allScopes)
	start := srv.Now()
	sh.Drain("app")
	time.Sleep(50 * time.Millisecond) // ≥10 simulated seconds → ≥1000 points
	if got := sh.Available("app"); got < 1000 {
		t.Fatalf("restored %v points, want ≥1000", got)
	}
	if el := srv.Now().Sub(start); el < 10*time.Second {
		t.Fatalf("simulated elapsed %v", el)
	}
	if st := sh.Stats(); st.Elapsed < 10*time.Second || st.RestoreRate != 100 {
		t.Fatalf("stats %+v", st)
	}
}
