package fakeshop

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
)

// A small generic GraphQL executor: object types with resolvers per field, variables and literal
// arguments, aliases, inline and named fragments, __typename, @include/@skip, connections with
// nodes and edges{cursor node}. It also computes the actual query cost while it runs.

type resolver func(ec *execCtx, parent any, args map[string]any) (any, error)

type fieldDef struct {
	typ      string // named result type; "" for scalars and enums
	list     bool   // list of typ
	conn     bool   // typ is a *Connection type; the resolver returns *connection
	node     string // node type of a connection
	sum      bool   // list whose items each cost (connection nodes/edges, nodes(ids))
	mutation bool   // root mutation field: costs 10
	scopes   []string
	resolve  resolver
}

type typeDef struct {
	name     string
	fields   map[string]*fieldDef
	impl     []string // interfaces this object implements
	possible []string // for interfaces: implementing objects
	free     bool     // connection, edge and PageInfo objects cost nothing themselves
}

type schema struct {
	types map[string]*typeDef
}

// mobj is a map-backed object for payloads, errors and small value types.
type mobj struct {
	typ string
	m   map[string]any
}

func obj(typ string, kv ...any) *mobj {
	o := &mobj{typ: typ, m: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.m[kv[i].(string)] = kv[i+1]
	}
	return o
}

// gqlError is one entry of the response's "errors".
type gqlError struct {
	Message    string         `json:"message"`
	Locations  []errLoc       `json:"locations,omitempty"`
	Path       []any          `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

type errLoc struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

func locOf(p *ast.Position) []errLoc {
	if p == nil {
		return nil
	}
	return []errLoc{{Line: p.Line, Column: p.Column}}
}

// omap is an ordered JSON object.
type omap struct {
	keys []string
	vals map[string]any
}

func newOmap() *omap { return &omap{vals: map[string]any{}} }

func (m *omap) set(k string, v any) {
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
}

func (m *omap) get(k string) (any, bool) { v, ok := m.vals[k]; return v, ok }

func (m *omap) del(k string) {
	if _, ok := m.vals[k]; !ok {
		return
	}
	delete(m.vals, k)
	for i, x := range m.keys {
		if x == k {
			m.keys = append(m.keys[:i], m.keys[i+1:]...)
			break
		}
	}
}

// MarshalJSON writes the keys in insertion order.
func (m *omap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(m.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// execCtx is one execution of one operation.
type execCtx struct {
	sh             *Shop
	sc             *schema
	tok            *accessToken // nil inside bulk operations
	clientID       string
	version        string
	doc            *ast.QueryDocument
	vars           map[string]any
	errors         []*gqlError
	now            time.Time
	bulk           bool     // bulk query: connections are unbounded and become JSONL lines
	inMut          bool     // completing a mutation payload: plain objects are free
	usedDeprecated []string // "Type.field" of deprecated fields the request selected
}

type fieldGroup struct {
	key    string
	fields []*ast.Field
}

// collectFields merges the selections that apply to the concrete type typeName, by response key.
func (ec *execCtx) collectFields(sc *schema, typeName string, sel ast.SelectionSet, out *[]*fieldGroup, seen map[string]bool) {
	for _, s := range sel {
		switch s := s.(type) {
		case *ast.Field:
			if !ec.included(s.Directives) {
				continue
			}
			key := s.Alias
			if key == "" {
				key = s.Name
			}
			found := false
			for _, g := range *out {
				if g.key == key {
					g.fields = append(g.fields, s)
					found = true
					break
				}
			}
			if !found {
				*out = append(*out, &fieldGroup{key: key, fields: []*ast.Field{s}})
			}
		case *ast.InlineFragment:
			if ec.included(s.Directives) && sc.applies(s.TypeCondition, typeName) {
				ec.collectFields(sc, typeName, s.SelectionSet, out, seen)
			}
		case *ast.FragmentSpread:
			if !ec.included(s.Directives) || seen[s.Name] {
				continue
			}
			fd := ec.doc.Fragments.ForName(s.Name)
			if fd != nil && sc.applies(fd.TypeCondition, typeName) {
				seen[s.Name] = true
				ec.collectFields(sc, typeName, fd.SelectionSet, out, seen)
				delete(seen, s.Name)
			}
		}
	}
}

func (sc *schema) applies(cond, typeName string) bool {
	if cond == "" || cond == typeName {
		return true
	}
	if t := sc.types[typeName]; t != nil {
		for _, i := range t.impl {
			if i == cond {
				return true
			}
		}
	}
	return false
}

func (ec *execCtx) included(dirs ast.DirectiveList) bool {
	for _, d := range dirs {
		if d.Name != "include" && d.Name != "skip" {
			continue
		}
		a := d.Arguments.ForName("if")
		if a == nil {
			continue
		}
		v, _ := a.Value.Value(ec.vars)
		b, _ := v.(bool)
		if d.Name == "include" && !b || d.Name == "skip" && b {
			return false
		}
	}
	return true
}

func (ec *execCtx) args(f *ast.Field) map[string]any {
	out := map[string]any{}
	for _, a := range f.Arguments {
		v, err := a.Value.Value(ec.vars)
		if err == nil {
			out[a.Name] = v
		}
	}
	return out
}

func mergedSelection(fields []*ast.Field) ast.SelectionSet {
	if len(fields) == 1 {
		return fields[0].SelectionSet
	}
	var out ast.SelectionSet
	for _, f := range fields {
		out = append(out, f.SelectionSet...)
	}
	return out
}

func (ec *execCtx) fail(f *ast.Field, path []any, msg string, ext map[string]any) {
	ec.errors = append(ec.errors, &gqlError{Message: msg, Locations: locOf(f.Position), Path: append([]any(nil), path...), Extensions: ext})
}

// execObject resolves sel on obj of concrete type typeName and returns the object and its
// children's cost.
func (ec *execCtx) execObject(typeName string, sel ast.SelectionSet, o any, path []any) (*omap, float64) {
	var groups []*fieldGroup
	ec.collectFields(ec.sc, typeName, sel, &groups, map[string]bool{})
	out := newOmap()
	td := ec.sc.types[typeName]
	var cost float64
	for _, g := range groups {
		f := g.fields[0]
		p := append(append([]any(nil), path...), g.key)
		if f.Name == "__typename" {
			out.set(g.key, typeName)
			continue
		}
		def := td.fields[f.Name]
		if len(ec.sh.deprecated) > 0 {
			ec.noteDeprecated(typeName + "." + f.Name)
		}
		if def == nil { // validation normally catches this first
			ec.fail(f, p, fmt.Sprintf("Field '%s' doesn't exist on type '%s'", f.Name, typeName), map[string]any{"code": "undefinedField"})
			out.set(g.key, nil)
			continue
		}
		v, c := ec.execField(def, f, mergedSelection(g.fields), o, p)
		out.set(g.key, v)
		cost += c
	}
	return out, cost
}

func (ec *execCtx) execField(def *fieldDef, f *ast.Field, sel ast.SelectionSet, parent any, path []any) (any, float64) {
	args := ec.args(f)
	if len(def.scopes) > 0 && ec.tok != nil && !anyScope(ec.tok.scopes, def.scopes) {
		ec.fail(f, path, fmt.Sprintf("Access denied for %s field. Required access: `%s` access scope.", f.Name, def.scopes[0]),
			map[string]any{"code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes",
				"requiredAccess": fmt.Sprintf("`%s` access scope.", def.scopes[0])})
		return nil, 0
	}
	if def.conn && !ec.bulk && args["first"] == nil && args["last"] == nil {
		ec.fail(f, path, "you must provide one of first or last", nil)
		return nil, 0
	}
	var v any
	var err error
	if def.mutation {
		v, err = ec.runMutation(def, f, parent, args)
	} else {
		v, err = def.resolve(ec, parent, args)
	}
	if err != nil {
		ext := map[string]any(nil)
		if ce, ok := err.(*codedError); ok {
			ext = map[string]any{"code": ce.code}
		}
		ec.fail(f, path, err.Error(), ext)
		return nil, 0
	}
	if def.mutation {
		saved := ec.inMut
		ec.inMut = true
		out, c := ec.complete(def, v, sel, path)
		ec.inMut = saved
		return out, 10 + inputComplexity(f.Name, args) + c
	}
	return ec.complete(def, v, sel, path)
}

// noteDeprecated records a selected field the shop marks deprecated, once.
func (ec *execCtx) noteDeprecated(tf string) {
	if !ec.sh.deprecated[tf] || slices.Contains(ec.usedDeprecated, tf) {
		return
	}
	ec.usedDeprecated = append(ec.usedDeprecated, tf)
}

// codedError is a resolver error with extensions.code.
type codedError struct{ code, msg string }

func (e *codedError) Error() string { return e.msg }

func (ec *execCtx) objCost(typeName string) float64 {
	if ec.inMut {
		return 0
	}
	if t := ec.sc.types[typeName]; t != nil && t.free {
		return 0
	}
	return 1
}

func (ec *execCtx) complete(def *fieldDef, v any, sel ast.SelectionSet, path []any) (any, float64) {
	if v == nil || def.typ == "" {
		return v, 0
	}
	if def.conn {
		c := v.(*connection)
		if ec.bulk {
			return ec.bulkConnection(def, c, sel, path), 0
		}
		saved := ec.inMut // a connection costs as in a query, even in a mutation payload
		ec.inMut = false
		out, cost := ec.execObject(def.typ, sel, c, path)
		ec.inMut = saved
		return out, 2 + cost
	}
	if def.list {
		items := toAnySlice(v)
		out := make([]any, len(items))
		var sum, max float64
		for i, it := range items {
			o, c := ec.completeObject(def.typ, it, sel, append(path, i))
			out[i] = o
			sum += c
			if c > max {
				max = c
			}
		}
		if def.sum {
			return out, sum
		}
		if len(items) == 0 {
			return out, 0
		}
		return out, max
	}
	return ec.completeObject(def.typ, v, sel, path)
}

func (ec *execCtx) completeObject(declared string, v any, sel ast.SelectionSet, path []any) (any, float64) {
	if v == nil {
		return nil, 0
	}
	typeName := declared
	if t := ec.sc.types[declared]; t != nil && len(t.possible) > 0 {
		typeName = typeNameOf(v)
	}
	o, c := ec.execObject(typeName, sel, v, path)
	return o, ec.objCost(typeName) + c
}

func toAnySlice(v any) []any {
	switch v := v.(type) {
	case []any:
		return v
	case []*mobj:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = x
		}
		return out
	case []*variant:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = x
		}
		return out
	case []*level:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = x
		}
		return out
	case []*option:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = x
		}
		return out
	}
	return nil
}

func typeNameOf(v any) string {
	switch v := v.(type) {
	case *product:
		return "Product"
	case *variant:
		return "ProductVariant"
	case *invItem:
		return "InventoryItem"
	case *level:
		return "InventoryLevel"
	case *location:
		return "Location"
	case *option:
		return "ProductOption"
	case *bulkOp:
		return "BulkOperation"
	case *mediaImage:
		return "MediaImage"
	case *Shop:
		return "Shop"
	case *mobj:
		return v.typ
	}
	return ""
}

func anyScope(granted, need []string) bool {
	for _, n := range need {
		if hasScope(granted, n) {
			return true
		}
	}
	return false
}
