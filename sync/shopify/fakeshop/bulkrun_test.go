package fakeshop

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

const runMutationDoc = `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id status } userErrors { field message code } } }`

// startBulkMutation stages jsonl and starts mutation m over it, returning the operation's ID.
func startBulkMutation(t *testing.T, sh *Shop, tok, m, jsonl string) string {
	t.Helper()
	d := gql(t, sh, tok, `mutation($in: [StagedUploadInput!]!) { stagedUploadsCreate(input: $in) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } } }`,
		map[string]any{"in": []any{map[string]any{"resource": "BULK_MUTATION_VARIABLES", "filename": "vars.jsonl", "mimeType": "text/jsonl", "httpMethod": "POST"}}})
	target := dig(d, "stagedUploadsCreate", "stagedTargets", 0).(map[string]any)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	key := ""
	for _, p := range target["parameters"].([]any) {
		pm := p.(map[string]any)
		_ = mw.WriteField(pm["name"].(string), pm["value"].(string))
		if pm["name"] == "key" {
			key = pm["value"].(string)
		}
	}
	fw, _ := mw.CreateFormFile("file", "vars.jsonl")
	_, _ = io.WriteString(fw, jsonl)
	_ = mw.Close()
	res, err := http.Post(target["url"].(string), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 201 || key == "" {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	documents[m] = true
	d = gql(t, sh, tok, runMutationDoc, map[string]any{"m": m, "path": key})
	id, ok := dig(d, "bulkOperationRunMutation", "bulkOperation", "id").(string)
	if !ok {
		t.Fatalf("not started: %v", d)
	}
	return id
}

const productSetLine = `mutation call($input: ProductSetInput!) { productSet(input: $input) { product { id handle } userErrors { field message code } } }`

func createLines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `{"input":{"title":"Timed %d","handle":"timed-%d"}}`+"\n", i, i)
	}
	return b.String()
}

// pollUntil polls the operation until ok holds for it (5 s real at most).
func pollUntil(t *testing.T, sh *Shop, tok, id string, ok func(op map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		op := gql(t, sh, tok, bulkStatusDoc, map[string]any{"id": id})["bulkOperation"].(map[string]any)
		if ok(op) {
			return op
		}
		if time.Now().After(deadline) {
			t.Fatalf("operation never got there: %v", op)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// A bulk mutation runs at the shop's rate: RUNNING with objectCount growing and the lines
// applied as it goes, then COMPLETED. Simulated time is moved by hand, so the test is fast.
func TestBulkMutationRunsOverTime(t *testing.T) {
	srv, sh, tok := newTestShop(t, PlanGrow)
	sh.SetBulkRate(0, 1) // one line per simulated second
	id := startBulkMutation(t, sh, tok, productSetLine, createLines(6))
	op := pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["status"] == "RUNNING" })
	if op["objectCount"] != "0" || op["url"] != nil {
		t.Fatalf("a just-started operation has done nothing yet: %v", op)
	}
	srv.Advance(3 * time.Second)
	op = pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["objectCount"] != "0" })
	if op["status"] != "RUNNING" || op["objectCount"] == "6" {
		t.Fatalf("after 3 of 6 seconds: %v", op)
	}
	if n := len(sh.Snapshot()); n == 0 || n == 6 {
		t.Fatalf("%d products written while the operation runs (objectCount %v)", n, op["objectCount"])
	}
	srv.Advance(10 * time.Second)
	op = pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["status"] == "COMPLETED" })
	if op["objectCount"] != "6" || len(sh.Snapshot()) != 6 || len(fetchLines(t, op["url"].(string))) != 6 {
		t.Fatalf("%v, %d products", op, len(sh.Snapshot()))
	}
}

// A partial failure: the failed lines carry an error on their result line and change nothing;
// the others run.
func TestBulkMutationLineErrors(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.SetBulkRate(0, -1)
	sh.Faults().FailBulkLines(1, 3)
	op := waitBulk(t, sh, tok, startBulkMutation(t, sh, tok, productSetLine, createLines(5)))
	if op["status"] != "COMPLETED" || op["objectCount"] != "5" {
		t.Fatalf("%v", op)
	}
	lines := fetchLines(t, op["url"].(string))
	for i, l := range lines {
		failed := l["errors"] != nil
		if failed != (i == 1 || i == 3) || l["__lineNumber"] != float64(i) {
			t.Fatalf("line %d: %v", i, l)
		}
		if failed && dig(l, "errors", 0, "extensions", "code") != "INTERNAL_SERVER_ERROR" {
			t.Fatalf("line %d: %v", i, l)
		}
	}
	if len(sh.Snapshot()) != 3 {
		t.Fatalf("%d products; the two failed lines must change nothing", len(sh.Snapshot()))
	}
}

// A bulk mutation that breaks after some lines ends FAILED with INTERNAL_SERVER_ERROR; the
// lines it ran stay applied and their results are at partialDataUrl.
func TestBulkMutationFailsMidway(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.SetBulkRate(0, -1)
	sh.Faults().FailBulkAfter("MUTATION", "", 3)
	op := waitBulk(t, sh, tok, startBulkMutation(t, sh, tok, productSetLine, createLines(5)))
	if op["status"] != "FAILED" || op["errorCode"] != "INTERNAL_SERVER_ERROR" || op["objectCount"] != "3" || op["url"] != nil {
		t.Fatalf("%v", op)
	}
	partial := fetchLines(t, op["partialDataUrl"].(string))
	if len(partial) != 3 || len(sh.Snapshot()) != 3 || partial[2]["__lineNumber"] != 2.0 {
		t.Fatalf("partial %v, %d products", partial, len(sh.Snapshot()))
	}
}

// A bulk query hands its lines out at the query rate: 2 products of 2 variants are 6 lines,
// 3 s at 2 lines a second.
func TestBulkQueryRunsOverTime(t *testing.T) {
	srv, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 2)
	sh.SetBulkRate(2, 0)
	inner := `{ products { edges { node { id variants { edges { node { id } } } } } } }`
	documents[inner] = true
	d := gql(t, sh, tok, `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { field message code } } }`,
		map[string]any{"q": inner})
	id := dig(d, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["status"] == "RUNNING" })
	srv.Advance(2 * time.Second)
	op := pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["objectCount"] != "0" })
	if op["status"] != "RUNNING" {
		t.Fatalf("6 lines at 2 a second are not done after 2 s: %v", op)
	}
	srv.Advance(2 * time.Second)
	op = pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["status"] == "COMPLETED" })
	if op["objectCount"] != "6" || op["rootObjectCount"] != "2" {
		t.Fatalf("%v", op)
	}
}

// A partner app must be allowed bulk operations, each kind on its own; other apps need not.
func TestBulkAccessForPartnerApps(t *testing.T) {
	srv, sh, _ := newTestShop(t, PlanGrow)
	srv.RegisterApp(App{ClientID: "partner", ClientSecret: "shpss_p", Scopes: allScopes, Partner: true, BulkQueries: true})
	tok := sh.Install("partner", allScopes)
	r := post(t, sh, tok, "2026-04", runMutationDoc, map[string]any{"m": productSetLine, "path": "tmp/x"})
	if !strings.Contains(r.Raw, "ACCESS_DENIED") || !strings.Contains(r.Raw, "bulk mutations") {
		t.Fatalf("a partner app without bulk mutations: %s", r.Raw)
	}
	d := gql(t, sh, tok, `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { bulkOperation { id } userErrors { field message code } } }`, nil)
	if dig(d, "bulkOperationRunQuery", "bulkOperation", "id") == nil {
		t.Fatalf("bulk queries are allowed: %v", d)
	}
}

const setQuantitiesLine = `mutation call($input: InventorySetQuantitiesInput!, $key: String!) { inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { field message code } } }`

// inventorySetQuantities runs in a bulk mutation like any other mutation (faster-bulk-operations
// changelog: "you can execute any mutation using bulk operations"), over time, with its
// compare-and-swap: a stale line changes none of its levels and says why on its result line.
func TestBulkInventorySetQuantitiesOverTime(t *testing.T) {
	srv, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 4) // each product's first variant: 5 available at Main warehouse
	sh.SetBulkRate(0, 1)
	loc := sh.Locations()[0].ID
	var b strings.Builder
	for i, p := range sh.Snapshot() {
		from := 5
		if i == 2 {
			from = 4 // stale: the level is 5
		}
		fmt.Fprintf(&b, `{"input":{"name":"available","reason":"correction","quantities":[{"inventoryItemId":%q,"locationId":%q,"quantity":%d,"changeFromQuantity":%d}]},"key":"k-%d"}`+"\n",
			p.Variants[0].InventoryItemID, loc, 20+i, from, i)
	}
	id := startBulkMutation(t, sh, tok, setQuantitiesLine, b.String())
	pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["status"] == "RUNNING" })
	srv.Advance(2 * time.Second)
	op := pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["objectCount"] != "0" })
	if op["status"] != "RUNNING" {
		t.Fatalf("4 lines at 1 a second are not done after 2 s: %v", op)
	}
	srv.Advance(5 * time.Second)
	op = pollUntil(t, sh, tok, id, func(op map[string]any) bool { return op["status"] == "COMPLETED" })
	lines := fetchLines(t, op["url"].(string))
	if len(lines) != 4 || sh.Stats().BulkLines["inventorySetQuantities"] != 4 {
		t.Fatalf("%d result lines, %v", len(lines), sh.Stats().BulkLines)
	}
	for i, p := range sh.Snapshot() {
		want, code := 20+i, any(nil)
		if i == 2 {
			want, code = 5, "CHANGE_FROM_QUANTITY_STALE"
		}
		if got := p.Variants[0].Levels[0].Available; got != want {
			t.Fatalf("product %d: available %d, want %d", i, got, want)
		}
		if c := dig(lines[i], "data", "inventorySetQuantities", "userErrors", 0, "code"); c != code {
			t.Fatalf("line %d: %v", i, lines[i])
		}
	}
}
