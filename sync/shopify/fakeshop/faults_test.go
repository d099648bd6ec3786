package fakeshop

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultKinds(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	q := `{ shop { id } }`
	for _, tc := range []struct {
		fault  Fault
		status int
		check  func(r gqlResp) bool
	}{
		{Fault{Kind: Fault429, RetryAfter: 3 * time.Second}, 429, func(r gqlResp) bool { return r.Header.Get("Retry-After") == "3" }},
		{Fault{Kind: Fault503}, 503, func(r gqlResp) bool { return r.Header.Get("Retry-After") == "1" }},
		{Fault{Kind: Fault500}, 500, nil},
		{Fault{Kind: Fault502}, 502, nil},
		{Fault{Kind: FaultRevoked}, 401, func(r gqlResp) bool { return r.Body["errors"] == msgInvalidToken }},
		{Fault{Kind: FaultUninstalled}, 401, nil},
		{Fault{Kind: FaultThrottled}, 200, func(r gqlResp) bool {
			return dig(r.Body, "errors", 0, "extensions", "code") == "THROTTLED" && r.Body["data"] == nil
		}},
	} {
		sh.Faults().Next(1, tc.fault)
		r := post(t, sh, tok, "2026-04", q, nil)
		if r.Status != tc.status || (tc.check != nil && !tc.check(r)) {
			t.Errorf("%s: %d %v %s", tc.fault.Kind, r.Status, r.Header, r.Raw)
		}
		if r := post(t, sh, tok, "2026-04", q, nil); r.Status != 200 || r.Body["errors"] != nil {
			t.Errorf("after %s: %d %s", tc.fault.Kind, r.Status, r.Raw)
		}
	}
	if sh.Stats().Faults != 7 {
		t.Fatalf("faults %d", sh.Stats().Faults)
	}
}

func TestFaultDropAndSlow(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Faults().Next(1, Fault{Kind: FaultDrop})
	req, _ := http.NewRequest("POST", sh.URL()+"/admin/api/2026-04/graphql.json", strings.NewReader(`{"query":"{ shop { id } }"}`))
	req.Header.Set("X-Shopify-Access-Token", tok)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("dropped connection answered %d", res.StatusCode)
	}
	sh.Faults().Next(1, Fault{Kind: FaultSlow, Delay: 150 * time.Millisecond})
	start := time.Now()
	if r := post(t, sh, tok, "2026-04", `{ shop { id } }`, nil); r.Status != 200 || time.Since(start) < 150*time.Millisecond {
		t.Fatalf("slow: %d after %v", r.Status, time.Since(start))
	}
}

func TestFaultBeforeAndAfterWrite(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	set := func(title string) gqlResp {
		return post(t, sh, tok, "2026-04", productSetDoc, map[string]any{"input": map[string]any{"title": title}})
	}
	sh.Faults().Next(1, Fault{Kind: Fault500})
	if r := set("Before"); r.Status != 500 || len(sh.Snapshot()) != 0 {
		t.Fatalf("a fault before processing must not write: %d %d", r.Status, len(sh.Snapshot()))
	}
	sh.Faults().Next(1, Fault{Kind: FaultDrop, After: true})
	req, _ := http.NewRequest("POST", sh.URL()+"/admin/api/2026-04/graphql.json", strings.NewReader(`{"query":"mutation { productSet(input: {title: \"After\"}) { product { id } } }"}`))
	req.Header.Set("X-Shopify-Access-Token", tok)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatal("expected a dropped connection")
	}
	if s := sh.Snapshot(); len(s) != 1 || s[0].Title != "After" {
		t.Fatalf("crash after write must keep the write: %+v", s)
	}
}

func TestFaultProbabilityAndTarget(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.Faults().SetProbability(0.5, Fault{Kind: Fault503}, 42)
	failed := 0
	for i := 0; i < 100; i++ {
		if post(t, sh, tok, "2026-04", `{ shop { id } }`, nil).Status == 503 {
			failed++
		}
	}
	if failed < 25 || failed > 75 {
		t.Fatalf("p=0.5 failed %d of 100", failed)
	}
	sh.Faults().Clear()
	sh.Faults().Next(1, Fault{Kind: Fault500, Target: TargetOAuth})
	if r := post(t, sh, tok, "2026-04", `{ shop { id } }`, nil); r.Status != 200 || sh.Faults().Pending() != 1 {
		t.Fatalf("an OAuth fault must not hit GraphQL: %d", r.Status)
	}
	if st, _ := tokenRequest(t, sh, false, map[string]string{"grant_type": "client_credentials"}); st != 500 {
		t.Fatalf("token endpoint: %d", st)
	}
}
