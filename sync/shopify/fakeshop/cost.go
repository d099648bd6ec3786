package fakeshop

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Requested cost, computed statically before execution with Shopify's rules
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits and Shopify's engineering
// post on calculated query costs): scalars and enums 0, objects 1, a connection
// 2 + first/last × (cost of one node with its selection), mutations 10 plus their input
// complexity (inputComplexity), interfaces the maximum of their possible selections. Simulator
// choices: plain objects inside a mutation payload are free (Shopify reports 10 for plain
// mutations), but a connection in a payload costs as in a query, its nodes' objects included
// (UNCONFIRMED; the stricter reading, which keeps the client honest about read-backs such as
// productSet's variants); a plain list of objects costs as one object; nodes(ids:) costs per id.
// The executor computes the actual cost with the same rules and the number of nodes really
// returned.

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
			total += 10 + inputComplexity(f.Name, args) + ec.costSel(def.typ, sub, true)
		case def.conn:
			n, ok := toInt(args["first"])
			if !ok {
				n, _ = toInt(args["last"])
			}
			total += 2 + float64(n)*ec.connNodeCost(def, sub, false)
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

// inputComplexity is the part of a mutation's cost that Shopify computes from its input
// ("dynamic complexity"), on top of the 10 points of every mutation:
//   - productSet: 0.2 per variant, 0.6 per variant file, 0.4 per variant or product metafield,
//     1.9 per product file (https://shopify.dev/changelog/dynamic-complexity-cost-for-productset-mutation,
//     2025-10-01; schema ProductSetInput.variants "Complexity cost: 0.2 per variant");
//   - productVariantsBulkCreate/Update: 0.2 per variant, 0.6 per variant media, 0.4 per variant
//     metafield, 1.9 per product media (https://shopify.dev/changelog/dynamic-complexity-for-productvariantsbulkcreate-and-productvariantsbulkupdate-mutations);
//   - productCreate/Update: 0.4 per product metafield, 1.9 per product media
//     (https://shopify.dev/changelog/dynamic-complexity-cost-for-productcreate-and-productupdate-mutations);
//   - metafieldsSet, from 2026-09-15: per distinct owner, the weight of its type — Order 10,
//     Product 4, ProductVariant 2, Collection, Customer and Shop 1, others 0
//     (https://shopify.dev/changelog/dynamic-complexity-cost-for-metafieldsset-mutation; the
//     changelog's table lost the name of the weight-2 type, read here as ProductVariant,
//     UNCONFIRMED). The simulator serves no metafieldsSet, so this only prices documents.
func inputComplexity(field string, args map[string]any) float64 {
	switch field {
	case "productSet":
		in := asMap(args["input"])
		c := 0.4*float64(len(asList(in["metafields"]))) + 1.9*float64(len(asList(in["files"])))
		for _, v := range asList(in["variants"]) {
			vm := asMap(v)
			c += 0.2 + 0.4*float64(len(asList(vm["metafields"])))
			if vm["file"] != nil {
				c += 0.6
			}
		}
		return c
	case "productVariantsBulkCreate", "productVariantsBulkUpdate":
		c := 1.9 * float64(len(asList(args["media"])))
		for _, v := range asList(args["variants"]) {
			vm := asMap(v)
			c += 0.2 + 0.4*float64(len(asList(vm["metafields"]))) + 0.6*float64(len(asList(vm["mediaSrc"])))
			if vm["mediaId"] != nil {
				c += 0.6
			}
		}
		return c
	case "productCreate", "productUpdate":
		in := asMap(args["product"])
		if in == nil {
			in = asMap(args["input"])
		}
		return 0.4*float64(len(asList(in["metafields"]))) + 1.9*float64(len(asList(args["media"])))
	case "metafieldsSet":
		weights := map[string]float64{"Order": 10, "Product": 4, "ProductVariant": 2, "Collection": 1, "Customer": 1, "Shop": 1}
		owners := map[string]bool{}
		c := 0.0
		for _, m := range asList(args["metafields"]) {
			owner := str(asMap(m)["ownerId"])
			if owners[owner] {
				continue
			}
			owners[owner] = true
			if rest, ok := strings.CutPrefix(owner, "gid://shopify/"); ok {
				typ, _, _ := strings.Cut(rest, "/")
				c += weights[typ]
			}
		}
		return c
	}
	return 0
}
