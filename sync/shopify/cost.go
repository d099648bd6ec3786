package shopify

import (
	"encoding/json"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Cost model, after https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
// ("Cost calculation"): scalars and enums cost 0, objects 1, a connection 2 plus
// the number of objects it may return times their own cost, and a mutation 10.
// The estimate only matters before Shopify has told us the real
// requestedQueryCost of a document, and for sizing our own queries under the
// single-query limit of 1000 points.
const (
	mutationCost = 10
	// MaxQueryCost is Shopify's single-query limit (error MAX_COST_EXCEEDED,
	// "exceeds the single query max cost limit (1000)", Shopify/shopify-app-js#577).
	MaxQueryCost = 1000
	// defaultPageSize is assumed for a connection whose size is unknown.
	defaultPageSize = 250
)

// docInfo is what the client needs to know about one document.
type docInfo struct {
	mutation   bool
	idempotent bool // carries @idempotent(key: …), so it is safe to resend
	op         *ast.OperationDefinition
	frags      ast.FragmentDefinitionList
	parseErr   error
}

var docCache sync.Map // document string → *docInfo

// parseDoc parses a document once per process.
func parseDoc(doc string) *docInfo {
	if v, ok := docCache.Load(doc); ok {
		return v.(*docInfo)
	}
	info := &docInfo{}
	qd, err := parser.ParseQuery(&ast.Source{Input: doc})
	if err != nil {
		info.parseErr = err
	} else if len(qd.Operations) > 0 {
		info.op = qd.Operations[0]
		info.frags = qd.Fragments
		info.mutation = info.op.Operation == ast.Mutation
		info.idempotent = hasDirective(info.op.SelectionSet, "idempotent")
	}
	v, _ := docCache.LoadOrStore(doc, info)
	return v.(*docInfo)
}

func hasDirective(set ast.SelectionSet, name string) bool {
	for _, s := range set {
		if f, ok := s.(*ast.Field); ok {
			if f.Directives.ForName(name) != nil || hasDirective(f.SelectionSet, name) {
				return true
			}
		}
	}
	return false
}

// EstimateCost estimates the requested cost of a document with the given
// variables, following Shopify's published cost model. It never returns less
// than 1.
func EstimateCost(doc string, vars map[string]any) int {
	info := parseDoc(doc)
	if info.op == nil {
		return mutationCost
	}
	e := estimator{vars: vars, frags: info.frags}
	var c int
	if info.mutation {
		for _, s := range info.op.SelectionSet {
			if f, ok := s.(*ast.Field); ok {
				// The payload object itself is part of the flat mutation cost.
				c += mutationCost + int(math.Ceil(e.inputCost(f)-1e-9)) + e.set(f.SelectionSet) // 0.2 × 250 is 50.000…1 in floats
			}
		}
	} else {
		c = e.set(info.op.SelectionSet)
	}
	return max(c, 1)
}

// Dynamic input complexity, charged by Shopify on top of a mutation's 10
// points (changelog, 2025-10-01: https://shopify.dev/changelog/dynamic-complexity-cost-for-productset-mutation,
// …-for-productvariantsbulkcreate-and-productvariantsbulkupdate-mutations,
// …-cost-for-productcreate-and-productupdate-mutations; 2026-09-15:
// https://shopify.dev/changelog/dynamic-complexity-cost-for-metafieldsset-mutation).
const (
	perVariant       = 0.2
	perMetafield     = 0.4
	perVariantFile   = 0.6
	perProductFile   = 1.9
	perOwnerOrder    = 10
	perOwnerProduct  = 4
	perOwnerVariant  = 2 // the changelog's table lost this type's name (UNCONFIRMED)
	perOwnerOtherAny = 1 // Collection, Customer, Shop
)

// inputCost is the input complexity of one mutation field, from the values
// of its arguments.
func (e estimator) inputCost(f *ast.Field) float64 {
	arg := func(name string) any {
		a := f.Arguments.ForName(name)
		if a == nil {
			return nil
		}
		if a.Value.Kind == ast.Variable {
			return plain(e.vars[a.Value.Raw])
		}
		v, _ := a.Value.Value(nil)
		return v
	}
	switch f.Name {
	case "productSet":
		in, _ := arg("input").(map[string]any)
		c := perMetafield*count(in["metafields"]) + perProductFile*count(in["files"])
		for _, v := range items(in["variants"]) {
			c += perVariant + perMetafield*count(v["metafields"])
			if v["file"] != nil {
				c += perVariantFile
			}
		}
		return c
	case "productVariantsBulkCreate", "productVariantsBulkUpdate":
		c := perProductFile * count(arg("media"))
		for _, v := range items(arg("variants")) {
			c += perVariant + perMetafield*count(v["metafields"]) + perVariantFile*count(v["mediaSrc"])
			if v["mediaId"] != nil {
				c += perVariantFile
			}
		}
		return c
	case "productCreate", "productUpdate":
		in, _ := arg("product").(map[string]any)
		return perMetafield*count(in["metafields"]) + perProductFile*count(arg("media"))
	case "metafieldsSet":
		return metafieldOwnersCost(items(arg("metafields")))
	}
	return 0
}

// metafieldOwnersCost weighs each distinct owner of the metafields once.
func metafieldOwnersCost(mfs []map[string]any) float64 {
	seen := map[string]bool{}
	var c float64
	for _, m := range mfs {
		owner, _ := m["ownerId"].(string)
		if seen[owner] {
			continue
		}
		seen[owner] = true
		switch kind, _, _ := strings.Cut(strings.TrimPrefix(owner, "gid://shopify/"), "/"); kind {
		case "Order":
			c += perOwnerOrder
		case "Product":
			c += perOwnerProduct
		case "ProductVariant":
			c += perOwnerVariant
		case "Collection", "Customer", "Shop":
			c += perOwnerOtherAny
		}
	}
	return c
}

// plain turns a variable's Go value (maps, slices of maps, structs) into
// JSON's shapes, as Shopify sees it.
func plain(v any) any {
	switch v.(type) {
	case nil, map[string]any, []any, string, bool, int, float64:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// count is the length of a JSON list, 0 for anything else.
func count(v any) float64 {
	l, _ := plain(v).([]any)
	return float64(len(l))
}

// items are the objects of a JSON list.
func items(v any) []map[string]any {
	l, _ := plain(v).([]any)
	out := make([]map[string]any, 0, len(l))
	for _, x := range l {
		if m, ok := plain(x).(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// readBackPage sizes a connection that a mutation reads back in its own
// answer (productSet's variants, $pageVar): as many nodes as fit under the
// single-query limit next to the input's complexity, at most 250, at least 1.
// The rest is paged with a query afterwards.
func readBackPage(doc string, vars map[string]any, pageVar string) int {
	v := maps.Clone(vars)
	v[pageVar] = 0
	base := EstimateCost(doc, v)
	v[pageVar] = 1
	per := EstimateCost(doc, v) - base
	if per <= 0 {
		return defaultPageSize
	}
	return min(max((MaxQueryCost-base)/per, 1), defaultPageSize)
}

type estimator struct {
	vars  map[string]any
	frags ast.FragmentDefinitionList
}

func (e estimator) set(set ast.SelectionSet) int {
	total := 0
	for _, s := range set {
		switch s := s.(type) {
		case *ast.Field:
			total += e.field(s)
		case *ast.InlineFragment:
			total += e.set(s.SelectionSet)
		case *ast.FragmentSpread:
			if fd := e.frags.ForName(s.Name); fd != nil {
				total += e.set(fd.SelectionSet)
			}
		}
	}
	return total
}

func (e estimator) field(f *ast.Field) int {
	if len(f.SelectionSet) == 0 {
		return 0 // scalar or enum
	}
	switch f.Name {
	case "pageInfo":
		return 0
	case "edges":
		return e.set(f.SelectionSet) // transparent: node is counted per item
	}
	n, paged := e.pageSize(f)
	if paged {
		return 2 + n*e.set(f.SelectionSet)
	}
	return 1 + e.set(f.SelectionSet)
}

// pageSize returns the first/last argument of a connection field.
func (e estimator) pageSize(f *ast.Field) (int, bool) {
	for _, name := range []string{"first", "last"} {
		a := f.Arguments.ForName(name)
		if a == nil {
			continue
		}
		if a.Value.Kind == ast.Variable {
			switch v := e.vars[a.Value.Raw].(type) {
			case int:
				return v, true
			case int64:
				return int(v), true
			case float64:
				return int(v), true
			}
			return defaultPageSize, true
		}
		if n, err := strconv.Atoi(a.Value.Raw); err == nil {
			return n, true
		}
		return defaultPageSize, true
	}
	return 0, false
}
