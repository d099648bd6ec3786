package shopify

import (
	"strconv"
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
				c += mutationCost + e.set(f.SelectionSet)
			}
		}
	} else {
		c = e.set(info.op.SelectionSet)
	}
	return max(c, 1)
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
