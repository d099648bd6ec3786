package fakeshop

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// Requested cost, computed statically before execution with Shopify's rules
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits and Shopify's engineering
// post on calculated query costs): scalars and enums 0, objects 1, a connection
// 2 + first/last × (cost of one node with its selection), mutations 10, interfaces the maximum
// of their possible selections. Simulator choices: objects inside a mutation payload are free
// (Shopify reports 10 for plain mutations); a plain list of objects costs as one object;
// nodes(ids:) costs per id. The executor computes the actual cost with the same rules and the
// number of nodes really returned.

const maxQueryCost = 1000

func (ec *execCtx) requestedCost(rootType string, sel ast.SelectionSet) float64 {
	return ec.costSel(rootType, sel, false)
}

func (ec *execCtx) staticObjCost(typeName string, inMut bool) float64 {
	if inMut {
		return 0
	}
	if t := ec.sc.types[typeName]; t != nil && t.free {
		return 0
	}
	return 1
}

func (ec *execCtx) costSel(typeName string, sel ast.SelectionSet, inMut bool) float64 {
	td := ec.sc.types[typeName]
	if td == nil {
		return 0
	}
	if len(td.possible) > 0 {
		var max float64
		for _, p := range td.possible {
			if c := ec.costSel(p, sel, inMut); c > max {
				max = c
			}
		}
		return max
	}
	var groups []*fieldGroup
	ec.collectFields(ec.sc, typeName, sel, &groups, map[string]bool{})
	var total float64
	for _, g := range groups {
		f := g.fields[0]
		def := td.fields[f.Name]
		if def == nil || def.typ == "" {
			continue
		}
		sub := mergedSelection(g.fields)
		args := ec.args(f)
		switch {
		case def.mutation:
			total += 10 + ec.costSel(def.typ, sub, true)
		case def.conn:
			n, ok := toInt(args["first"])
			if !ok {
				n, _ = toInt(args["last"])
			}
			total += 2 + float64(n)*ec.connNodeCost(def, sub, inMut)
		case def.sum: // nodes(ids:)
			n := len(toAnySliceOfStrings(args["ids"]))
			total += float64(n) * (ec.staticObjCost(def.typ, inMut) + ec.costSel(def.typ, sub, inMut))
		default:
			total += ec.staticObjCost(def.typ, inMut) + ec.costSel(def.typ, sub, inMut)
		}
	}
	return total
}

// connNodeCost is the cost of one node: its own object cost plus the selections made under
// nodes { … } and edges { node { … } }.
func (ec *execCtx) connNodeCost(def *fieldDef, sel ast.SelectionSet, inMut bool) float64 {
	nodeSel := ec.nodeSelection(def, sel)
	return ec.staticObjCost(def.node, inMut) + ec.costSel(def.node, nodeSel, inMut)
}

// nodeSelection is what a connection's selection asks of each node: the
// fields under nodes { … } and under edges { node { … } }, merged.
func (ec *execCtx) nodeSelection(def *fieldDef, sel ast.SelectionSet) ast.SelectionSet {
	var groups []*fieldGroup
	ec.collectFields(ec.sc, def.typ, sel, &groups, map[string]bool{})
	var nodeSel ast.SelectionSet
	for _, g := range groups {
		switch g.fields[0].Name {
		case "nodes":
			nodeSel = append(nodeSel, mergedSelection(g.fields)...)
		case "edges":
			var eg []*fieldGroup
			ec.collectFields(ec.sc, def.node+"Edge", mergedSelection(g.fields), &eg, map[string]bool{})
			for _, e := range eg {
				if e.fields[0].Name == "node" {
					nodeSel = append(nodeSel, mergedSelection(e.fields)...)
				}
			}
		}
	}
	return nodeSel
}
