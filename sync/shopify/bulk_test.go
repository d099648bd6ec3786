package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// bulkStub serves the GraphQL side of bulk operations plus an upload target
// and a result file, all on one loopback server.
type bulkStub struct {
	*httptest.Server
	polls    atomic.Int32
	uploaded atomic.Value // string: the file part received
	path     atomic.Value // string: stagedUploadPath received
	result   string
	status   string // terminal status to report
	tokenOff atomic.Bool
}

func newBulkStub(t *testing.T, result, status string) *bulkStub {
	b := &bulkStub{result: result, status: status}
	mux := http.NewServeMux()
	mux.HandleFunc("/result.jsonl", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Shopify-Access-Token") != "" {
			b.tokenOff.Store(true) // the token must not go to file URLs
		}
		_, _ = io.WriteString(w, b.result)
	})
	mux.HandleFunc("/upload", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Shopify-Access-Token") != "" {
			b.tokenOff.Store(true)
		}
		if r.FormValue("key") != "tmp/vars.jsonl" || r.FormValue("policy") != "p" {
			w.WriteHeader(400)
			return
		}
		f, _, err := r.FormFile("file")
		if err != nil {
			w.WriteHeader(400)
			return
		}
		data, _ := io.ReadAll(f)
		b.uploaded.Store(string(data))
		w.WriteHeader(201)
	})
	mux.HandleFunc("/admin/api/2026-04/graphql.json", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Query     string
			Variables map[string]any
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		op := parseDoc(req.Query).op.Name
		var data string
		switch op {
		case "BulkRunQuery":
			data = `{"bulkOperationRunQuery":{"bulkOperation":{"id":"B1","status":"CREATED"},"userErrors":[]}}`
		case "StagedUploads":
			data = `{"stagedUploadsCreate":{"stagedTargets":[{"url":"` + b.URL + `/upload","resourceUrl":null,
			  "parameters":[{"name":"key","value":"tmp/vars.jsonl"},{"name":"policy","value":"p"}]}],"userErrors":[]}}`
		case "BulkRunMutation":
			b.path.Store(req.Variables["path"])
			data = `{"bulkOperationRunMutation":{"bulkOperation":{"id":"B2","status":"CREATED"},"userErrors":[]}}`
		case "BulkOperation":
			st := "RUNNING"
			if b.polls.Add(1) >= 3 {
				st = b.status
			}
			data = `{"bulkOperation":{"id":"B1","status":"` + st + `","errorCode":null,"objectCount":"4","fileSize":"100","url":"` +
				b.URL + `/result.jsonl","partialDataUrl":null,"createdAt":"2026-01-01T00:00:00Z","completedAt":null,"type":"QUERY"}}`
		default:
			write(w, 200, `{"errors":[{"message":"unknown op"}]}`)
			return
		}
		write(w, 200, okBody(data, 10, 1990))
	})
	b.Server = httptest.NewServer(mux)
	t.Cleanup(b.Close)
	return b
}

const bulkProductsJSONL = `{"id":"V1","title":"S","sku":"A","barcode":null,"price":"1.00","compareAtPrice":null,"inventoryPolicy":"DENY","position":1,"selectedOptions":[{"name":"Size","value":"S"}],"product":{"id":"P1","handle":"shirt","title":"Shirt","descriptionHtml":"","vendor":"","productType":"","tags":[],"status":"ACTIVE","options":[{"id":"O","name":"Size","position":1,"optionValues":[{"name":"S"},{"name":"M"}]}]},"inventoryItem":{"id":"I1","tracked":true}}
{"location":{"id":"L1"},"quantities":[{"name":"available","quantity":3}],"__parentId":"V1"}
{"id":"V2","title":"M","sku":"B","barcode":"123","price":"2.00","compareAtPrice":"3.00","inventoryPolicy":"CONTINUE","position":2,"selectedOptions":[{"name":"Size","value":"M"}],"product":{"id":"P1","handle":"shirt","title":"Shirt","descriptionHtml":"","vendor":"","productType":"","tags":[],"status":"ACTIVE","options":[]},"inventoryItem":{"id":"I2","tracked":true}}

{"location":{"id":"L2"},"quantities":[{"name":"available","quantity":9}],"__parentId":"I2"}
`

func TestAllProductsBulk(t *testing.T) {
	b := newBulkStub(t, bulkProductsJSONL, "COMPLETED")
	c, fc := testClient(t, b.URL)
	var got []Product
	if err := c.AllProductsBulk(context.Background(), func(p Product) error { got = append(got, p); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Variants) != 2 {
		t.Fatalf("%+v", got)
	}
	v1, v2 := got[0].Variants[0], got[0].Variants[1]
	if v1.InventoryItem.Levels[0].Available != 3 || v2.InventoryItem.Levels[0].LocationID != "L2" || v2.CompareAtPrice != "3.00" || v2.ProductHandle != "shirt" {
		t.Fatalf("v1=%+v v2=%+v", v1, v2)
	}
	// Polls back off: 1 s then 1.5 s of store time.
	if len(fc.slept) != 2 || fc.slept[1] <= fc.slept[0] {
		t.Fatalf("polling waits %v", fc.slept)
	}
	if b.tokenOff.Load() {
		t.Fatal("token sent to the result URL")
	}
}

func TestBulkQueryFailed(t *testing.T) {
	b := newBulkStub(t, "", "FAILED")
	c, _ := testClient(t, b.URL)
	op, err := c.BulkQuery(context.Background(), BulkProductsQuery, func(BulkLine) error { return nil })
	if err == nil || op == nil || op.Status != "FAILED" {
		t.Fatalf("op=%+v err=%v", op, err)
	}
}

func TestBulkMutationStagesAndParses(t *testing.T) {
	b := newBulkStub(t, `{"data":{"productVariantsBulkUpdate":{"userErrors":[]}},"__lineNumber":0}
{"data":{"productVariantsBulkUpdate":{"userErrors":[{"field":["price"],"message":"bad","code":"INVALID"}]}},"__lineNumber":1}
`, "COMPLETED")
	c, _ := testClient(t, b.URL)
	price := "5.00"
	lines := []any{
		map[string]any{"productId": "P1", "variants": []any{VariantUpdate{ID: "V1", Price: &price}.Input()}},
		map[string]any{"productId": "P2", "variants": []any{}},
	}
	var results []BulkResult
	if _, err := c.BulkMutation(context.Background(), BulkVariantsUpdateMutation, lines, func(r BulkResult) error {
		results = append(results, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	up, _ := b.uploaded.Load().(string)
	if strings.Count(up, "\n") != 2 || !strings.Contains(up, `"price":"5.00"`) {
		t.Fatalf("uploaded %q", up)
	}
	if b.path.Load() != "tmp/vars.jsonl" {
		t.Fatalf("stagedUploadPath = %v", b.path.Load())
	}
	if len(results) != 2 || results[1].Line != 1 {
		t.Fatalf("results %+v", results)
	}
	if b.tokenOff.Load() {
		t.Fatal("token sent to the upload URL")
	}
}

func TestAuxURLHostCheck(t *testing.T) {
	real, _ := New(Options{Shop: "a.myshopify.com", Tokens: StaticToken("x")})
	sim, _ := New(Options{Shop: "a.myshopify.com", BaseURL: "http://127.0.0.1:9", Tokens: StaticToken("x")})
	cases := []struct {
		c   *Client
		url string
		ok  bool
	}{
		{real, "https://shopify-staged-uploads.storage.googleapis.com/", true},
		{real, "https://storage.googleapis.com/shopify-bulk-result/x.jsonl", true},
		{real, "http://storage.googleapis.com/x", false},
		{real, "https://evil.googleapis.com/x", false},
		{real, "http://127.0.0.1:9/x", false},
		{sim, "http://127.0.0.1:5/upload", true},
		{sim, "https://storage.googleapis.com/x", false},
		{sim, "http://localhost:5/x", false},
	}
	for _, tc := range cases {
		_, err := tc.c.checkAuxURL(tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("%s (loopback=%v): err=%v", tc.url, tc.c.loopback, err)
		}
	}
}

// A bulk inventory line is one inventorySetQuantities call: at most 250
// quantities (Shopify's input limit), an idempotency key, every quantity
// with changeFromQuantity (null only when asked), and well under the 1,000
// points one line may cost.
func TestSetInventoryLine(t *testing.T) {
	qs := make([]InventoryQuantity, 251)
	from := 3
	for i := range qs {
		qs[i] = InventoryQuantity{InventoryItemID: fmt.Sprintf("gid://shopify/InventoryItem/%d", i), LocationID: "gid://shopify/Location/1", Quantity: i, ChangeFrom: &from}
	}
	if _, err := SetInventoryLine(SetInventoryInput{Quantities: qs, IdempotencyKey: "k"}); err == nil {
		t.Fatal("251 quantities make one line")
	}
	if _, err := SetInventoryLine(SetInventoryInput{Quantities: qs[:5]}); err == nil {
		t.Fatal("a line without an idempotency key")
	}
	qs[1].ChangeFrom = nil
	vars, err := SetInventoryLine(SetInventoryInput{Name: QuantityOnHand, Quantities: qs[:250], IdempotencyKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(vars)
	if !strings.Contains(string(raw), `"changeFromQuantity":3`) || !strings.Contains(string(raw), `"changeFromQuantity":null`) ||
		!strings.Contains(string(raw), `"name":"on_hand"`) || !strings.Contains(string(raw), `"reason":"correction"`) || vars["key"] != "k" {
		t.Fatalf("%s", raw)
	}
	if c := EstimateCost(BulkSetInventoryMutation, vars); c > 1000 || c < 10 {
		t.Fatalf("a 250-quantity line costs %d points", c)
	}
}

// The pace of a running operation says when its lines should be done: 30
// of 100 lines seen after 10 s, 40 after 12 s is 5 lines/s, so the 60 left
// take 12 s. Nothing is guessed before two counts, nor from a count that
// does not fit the lines.
func TestBulkPaceLeft(t *testing.T) {
	t0 := time.Unix(0, 0)
	var p bulkPace
	if _, ok := p.left(t0, 0, 100); ok {
		t.Fatal("a pace from nothing run")
	}
	if _, ok := p.left(t0.Add(10*time.Second), 30, 100); ok {
		t.Fatal("a pace from one count")
	}
	if left, ok := p.left(t0.Add(12*time.Second), 40, 100); !ok || left != 12*time.Second {
		t.Fatalf("left %v %v, want 12s", left, ok)
	}
	if _, ok := p.left(t0.Add(13*time.Second), 100, 100); ok {
		t.Fatal("a pace from a count at the end")
	}
	if _, ok := p.left(t0.Add(13*time.Second), 50, 0); ok {
		t.Fatal("a pace without the number of lines")
	}
}
