package fakeshop

import (
	"bufio"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

const bulkStatusDoc = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl type query createdAt completedAt } }`

func waitBulk(t *testing.T, sh *Shop, tok, id string) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		op := gql(t, sh, tok, bulkStatusDoc, map[string]any{"id": id})["bulkOperation"].(map[string]any)
		switch op["status"] {
		case "COMPLETED", "FAILED", "CANCELED":
			return op
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("bulk operation did not finish")
	return nil
}

func fetchLines(t *testing.T, url string) []map[string]any {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out []map[string]any
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("bad JSONL line %q: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestBulkQueryJSONL(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	seedCatalog(sh, 3)
	inner := `{ products { edges { node { id handle variants { edges { node { id sku inventoryItem { id } } } } } } } }`
	documents[inner] = true
	d := gql(t, sh, tok, `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { field message code } } }`,
		map[string]any{"q": inner})
	id := dig(d, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	op := waitBulk(t, sh, tok, id)
	if op["status"] != "COMPLETED" || op["objectCount"] != "9" || op["rootObjectCount"] != "3" || op["type"] != "QUERY" {
		t.Fatalf("%v", op)
	}
	lines := fetchLines(t, op["url"].(string))
	if len(lines) != 9 {
		t.Fatalf("%d lines", len(lines))
	}
	parents := map[string]bool{}
	children := 0
	for _, l := range lines {
		if p, ok := l["__parentId"].(string); ok {
			if !parents[p] || l["sku"] == nil || dig(l, "inventoryItem", "id") == nil {
				t.Fatalf("child before parent or incomplete: %v", l)
			}
			children++
		} else {
			parents[l["id"].(string)] = true
			if l["variants"] != nil {
				t.Fatalf("nested connection left inline: %v", l)
			}
		}
	}
	if children != 6 || len(parents) != 3 {
		t.Fatalf("children %d parents %d", children, len(parents))
	}
	d = gql(t, sh, tok, `{ currentBulkOperation(type: QUERY) { id status } }`, nil)
	if dig(d, "currentBulkOperation", "id") != id {
		t.Fatalf("%v", d)
	}
}

func TestBulkMutationRoundTrip(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	m := `mutation call($input: ProductSetInput!) { productSet(input: $input) { product { id handle } userErrors { field message code } } }`
	op := waitBulk(t, sh, tok, startBulkMutation(t, sh, tok, m, `{"input":{"title":"Bulk One"}}`+"\n"+`{"input":{"title":"Bulk Two","handle":"bulk-two"}}`+"\n"))
	if op["status"] != "COMPLETED" || op["type"] != "MUTATION" || op["objectCount"] != "2" {
		t.Fatalf("%v", op)
	}
	lines := fetchLines(t, op["url"].(string))
	if len(lines) != 2 || lines[1]["__lineNumber"] != 1.0 || dig(lines[1], "data", "productSet", "product", "handle") != "bulk-two" {
		t.Fatalf("%v", lines)
	}
	if len(sh.Snapshot()) != 2 {
		t.Fatal("bulk mutation did not write")
	}
	d := gql(t, sh, tok, `mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation: $m, stagedUploadPath: $path) { bulkOperation { id } userErrors { field message code } } }`,
		map[string]any{"m": m, "path": "tmp/nope"})
	if dig(d, "bulkOperationRunMutation", "userErrors", 0, "code") != "NO_SUCH_FILE" {
		t.Fatalf("%v", d)
	}
}

func TestBulkConcurrencyAndCancel(t *testing.T) {
	_, sh, tok := newTestShop(t, PlanGrow)
	sh.SetBulkDelay(time.Hour)
	run := `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { bulkOperation { id status } userErrors { field message code } } }`
	d := gql(t, sh, tok, run, nil)
	first := dig(d, "bulkOperationRunQuery", "bulkOperation", "id").(string)
	r := post(t, sh, tok, "2025-10", run, nil)
	if dig(r.Body, "data", "bulkOperationRunQuery", "userErrors", 0, "code") != "OPERATION_IN_PROGRESS" {
		t.Fatalf("2025-10 allows one: %s", r.Raw)
	}
	for i := 0; i < 4; i++ {
		gql(t, sh, tok, run, nil)
	}
	d = gql(t, sh, tok, run, nil)
	if dig(d, "bulkOperationRunQuery", "userErrors", 0, "code") != "LIMIT_REACHED" {
		t.Fatalf("2026-04 allows five: %v", d)
	}
	d = gql(t, sh, tok, `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { field message } } }`, map[string]any{"id": first})
	if s := dig(d, "bulkOperationCancel", "bulkOperation", "status"); s != "CANCELING" {
		t.Fatalf("%v", d)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		d = gql(t, sh, tok, `query($id: ID!) { node(id: $id) { ... on BulkOperation { status } } }`, map[string]any{"id": first})
		if dig(d, "node", "status") == "CANCELED" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not canceled: %v", d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
