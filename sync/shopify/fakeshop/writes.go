package fakeshop

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Product writes take time on Shopify's side, and Shopify applies the writes of one product one
// after the other: Shopify/shopify-api-js#1256 reports INTERNAL_SERVER_ERROR with 3–5 concurrent
// productVariantsBulkCreate calls on one product. The simulator applies every request at once
// under the shop's lock, so by default it never shows contention. SetProductWriteTime gives each
// product mutation a duration during which the product counts as being written; a second
// mutation of the same product arriving meanwhile is counted (Stats.WriteOverlaps) and, when
// refuse is set, answered INTERNAL_SERVER_ERROR without being applied. How long a real write
// takes, and whether Shopify queues or refuses the second one, is not documented (UNCONFIRMED);
// refusing is the stricter reading.

// productWrites tracks the products being written.
type productWrites struct {
	mu       sync.Mutex
	hold     time.Duration // simulated; 0: off
	refuse   bool
	inFlight map[string]int // product key → mutations in flight
	maxProds int            // most products written at once
}

// ProductsWrittenAtOnce is the largest number of different products that had a mutation in
// flight at the same time since SetProductWriteTime.
func (sh *Shop) ProductsWrittenAtOnce() int {
	sh.writes.mu.Lock()
	defer sh.writes.mu.Unlock()
	return sh.writes.maxProds
}

// SetProductWriteTime makes every product mutation (productSet, productUpdate, productDelete,
// productVariantsBulkCreate/Update/Delete) hold its product for d of simulated time before it
// is applied. With refuse, a mutation of a product that is being written is answered
// INTERNAL_SERVER_ERROR and not applied. d = 0 turns it off.
func (sh *Shop) SetProductWriteTime(d time.Duration, refuse bool) {
	sh.writes.mu.Lock()
	defer sh.writes.mu.Unlock()
	sh.writes.hold, sh.writes.refuse, sh.writes.maxProds = d, refuse, 0
	if sh.writes.inFlight == nil {
		sh.writes.inFlight = map[string]int{}
	}
}

func (sh *Shop) withWriteTime(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sh.writes.mu.Lock()
		hold, refuse := sh.writes.hold, sh.writes.refuse
		sh.writes.mu.Unlock()
		if hold <= 0 || r.Method != http.MethodPost || targetOf(r) != TargetGraphQL {
			next.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 32<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		keys := sh.productKeys(body)
		if len(keys) == 0 {
			next.ServeHTTP(w, r)
			return
		}
		busy := sh.writes.enter(keys)
		defer sh.writes.leave(keys)
		if busy {
			sh.mu.Lock()
			sh.stats.WriteOverlaps++
			sh.mu.Unlock()
			if refuse {
				sh.writeFault(w, r, Fault{Kind: FaultInternal})
				return
			}
		}
		if sh.sleep(r, hold) {
			next.ServeHTTP(w, r)
		}
	})
}

// enter marks keys as being written and reports whether any already was.
func (pw *productWrites) enter(keys []string) bool {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	busy := false
	for _, k := range keys {
		busy = busy || pw.inFlight[k] > 0
		pw.inFlight[k]++
	}
	pw.maxProds = max(pw.maxProds, len(pw.inFlight))
	return busy
}

func (pw *productWrites) leave(keys []string) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	for _, k := range keys {
		if pw.inFlight[k]--; pw.inFlight[k] <= 0 {
			delete(pw.inFlight, k)
		}
	}
}

// productKeys names the products a GraphQL mutation request writes: product IDs, or "handle:h"
// for a product that does not exist yet.
func (sh *Shop) productKeys(body []byte) []string {
	var req gqlRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&req) != nil {
		return nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil {
		return nil
	}
	op, _ := pickOperation(doc, req.OperationName)
	if op == nil || op.Operation != ast.Mutation {
		return nil
	}
	vars := withDefaults(op, req.Variables)
	var keys []string
	for _, s := range op.SelectionSet {
		f, ok := s.(*ast.Field)
		if !ok {
			continue
		}
		args := map[string]any{}
		for _, a := range f.Arguments {
			if v, err := a.Value.Value(vars); err == nil {
				args[a.Name] = v
			}
		}
		if k := sh.productKey(f.Name, args); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// productKey is the product one mutation field writes, or "".
func (sh *Shop) productKey(field string, args map[string]any) string {
	id, handle := "", ""
	switch field {
	case "productVariantsBulkCreate", "productVariantsBulkUpdate", "productVariantsBulkDelete":
		id = str(args["productId"])
	case "productSet":
		ident, in := asMap(args["identifier"]), asMap(args["input"])
		id, handle = str(ident["id"]), str(ident["handle"])
		if id == "" && handle == "" {
			id, handle = str(in["id"]), str(in["handle"])
		}
	case "productUpdate":
		id = str(asMap(args["product"])["id"])
		if id == "" {
			id = str(asMap(args["input"])["id"])
		}
	case "productDelete":
		id = str(asMap(args["input"])["id"])
	default:
		return ""
	}
	if id != "" {
		return id
	}
	if handle == "" {
		return ""
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if p := sh.cat.byHandle[handle]; p != nil {
		return gid("Product", p.id)
	}
	return "handle:" + handle
}
