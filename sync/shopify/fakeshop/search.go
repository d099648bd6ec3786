package fakeshop

import (
	"strconv"
	"strings"
	"time"
)

// Search is eventually consistent. Shopify's products and productVariants
// queries with a query string are answered from a search index that is
// updated after the write (the fidelity review, F1, cites index lag after an
// edit or create; Shopify documents no bound, so the delay is UNCONFIRMED).
// The simulator keeps a product it created out of every search for
// searchLag, so code that decides whether a product exists by search is
// caught by the tests; lookups by ID or handle (product, nodes,
// productByIdentifier) are exact and immediate, as they do not use the
// index. Simulator choice: an edited product is searched by its new values
// at once, where Shopify would match its old indexed values for a while
// (listed in doc.go).

// DefaultSearchLag is the search index delay of a new shop (simulated time).
const DefaultSearchLag = 2 * time.Second

// SetSearchLag sets how long a created product stays invisible to search;
// 0 makes search immediate.
func (sh *Shop) SetSearchLag(d time.Duration) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.cat.searchLag = max(d, 0)
}

// searchable reports whether the search index has caught up with p: it was
// seeded, or created at least searchLag ago.
func (c *catalog) searchable(p *product, now time.Time) bool {
	return !p.indexedAt.IsZero() || !now.Before(p.createdAt.Add(c.searchLag))
}

// listFields are the filters that take a comma-separated list of values
// (schema QueryRoot.products and productVariants filter tables:
// "Filter by a comma-separated list of …").
var listFields = map[string]bool{"handle": true, "status": true, "product_status": true, "product_type": true, "product_ids": true}

// defaultProductStatus is the products query's status filter when the query
// names none: the 2026-04 schema documents default_value "active"
// (QueryRoot.products, filter "status"). Whether the live API applies it to
// queries without a filter is UNCONFIRMED; applying it always is the choice
// that makes a client that forgets the filter miss drafts in the tests
// rather than in a merchant's store.
const defaultProductStatus = "status:active"

// hasField reports whether the expression filters on field anywhere.
func (e *searchExpr) hasField(field string) bool {
	if e == nil {
		return false
	}
	for _, and := range e.or {
		for _, t := range and {
			if t.field == field || t.sub.hasField(field) {
				return true
			}
		}
	}
	return false
}

// A small parser for Shopify's search syntax: field:value terms, implicit or explicit AND, OR,
// NOT / leading "-", parentheses, quoted values, trailing * for prefix matches and
// comparisons (id:>123). https://shopify.dev/docs/api/usage/search-syntax

type searchExpr struct {
	or [][]*searchTerm // OR of ANDs
}

type searchTerm struct {
	neg   bool
	field string // "" = free text
	op    string // ":", ">", ">=", "<", "<="
	value string
	sub   *searchExpr
}

func parseSearch(q string) *searchExpr {
	toks := tokenizeSearch(q)
	pos := 0
	return parseOr(toks, &pos)
}

func tokenizeSearch(q string) []string {
	var toks []string
	var cur strings.Builder
	inQuote := false
	flush := func() {
		if cur.Len() > 0 {
			toks = append(toks, cur.String())
			cur.Reset()
		}
	}
	for _, r := range q {
		switch {
		case r == '"' || r == '\'':
			inQuote = !inQuote
		case inQuote:
			cur.WriteRune(r)
		case r == '(' || r == ')':
			flush()
			toks = append(toks, string(r))
		case r == ' ' || r == '\t' || r == '\n':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return toks
}

func parseOr(toks []string, pos *int) *searchExpr {
	e := &searchExpr{}
	var and []*searchTerm
	for *pos < len(toks) {
		t := toks[*pos]
		switch {
		case t == ")":
			*pos++
			e.or = append(e.or, and)
			return e
		case t == "OR":
			*pos++
			e.or = append(e.or, and)
			and = nil
		case t == "AND":
			*pos++
		case t == "(":
			*pos++
			and = append(and, &searchTerm{sub: parseOr(toks, pos)})
		case t == "NOT":
			*pos++
			if *pos < len(toks) {
				term := parseTerm(toks, pos)
				term.neg = !term.neg
				and = append(and, term)
			}
		default:
			and = append(and, parseTerm(toks, pos))
		}
	}
	e.or = append(e.or, and)
	return e
}

func parseTerm(toks []string, pos *int) *searchTerm {
	t := toks[*pos]
	*pos++
	if t == "(" {
		return &searchTerm{sub: parseOr(toks, pos)}
	}
	term := &searchTerm{}
	if strings.HasPrefix(t, "-") && len(t) > 1 {
		term.neg = true
		t = t[1:]
	}
	field, value, ok := strings.Cut(t, ":")
	if !ok {
		term.value = t
		return term
	}
	term.field, term.op = strings.ToLower(field), ":"
	for _, op := range []string{">=", "<=", ">", "<"} {
		if strings.HasPrefix(value, op) {
			term.op, value = op, value[len(op):]
			break
		}
	}
	term.value = value
	return term
}

// match evaluates the expression; fieldValues returns the candidate values of a field.
func (e *searchExpr) match(fieldValues func(field string) []string) bool {
	if e == nil {
		return true
	}
	for _, and := range e.or {
		ok := true
		for _, t := range and {
			if t.matches(fieldValues) == t.neg {
				ok = false
				break
			}
		}
		if ok && (len(and) > 0 || len(e.or) == 1) {
			return true
		}
	}
	return false
}

func (t *searchTerm) matches(fv func(string) []string) bool {
	if t.sub != nil {
		return t.sub.match(fv)
	}
	field := t.field
	if field == "" {
		field = "title"
	}
	vals := fv(field)
	if vals == nil {
		return true // unknown fields are ignored, as Shopify ignores unsupported filters
	}
	want := strings.ToLower(t.value)
	if listFields[field] && t.op == ":" && strings.Contains(want, ",") {
		for _, w := range strings.Split(want, ",") {
			if (&searchTerm{field: t.field, op: ":", value: strings.TrimSpace(w)}).matches(fv) {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		v = strings.ToLower(v)
		if t.op != ":" {
			a, err1 := strconv.ParseInt(v, 10, 64)
			b, err2 := strconv.ParseInt(legacyID(want), 10, 64)
			if err1 == nil && err2 == nil && compare(a, b, t.op) {
				return true
			}
			continue
		}
		if field == "id" || field == "product_id" {
			if v == legacyID(want) {
				return true
			}
			continue
		}
		if t.field == "" && strings.Contains(v, want) {
			return true
		}
		if prefix, ok := strings.CutSuffix(want, "*"); ok && strings.HasPrefix(v, prefix) {
			return true
		}
		if v == want {
			return true
		}
	}
	return false
}

func legacyID(s string) string {
	if _, n, ok := parseGID(s); ok {
		return strconv.FormatInt(n, 10)
	}
	if i := strings.LastIndex(s, "/"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func compare(a, b int64, op string) bool {
	switch op {
	case ">":
		return a > b
	case ">=":
		return a >= b
	case "<":
		return a < b
	case "<=":
		return a <= b
	}
	return false
}

func productFields(p *product) func(string) []string {
	return func(f string) []string {
		switch f {
		case "handle":
			return []string{p.handle}
		case "title":
			return []string{p.title}
		case "id":
			return []string{strconv.FormatInt(p.id, 10)}
		case "status":
			return []string{p.status}
		case "vendor":
			return []string{p.vendor}
		case "product_type":
			return []string{p.productType}
		case "tag", "tags":
			return append([]string{}, p.tags...)
		case "sku", "barcode":
			out := []string{}
			for _, v := range p.variants {
				if f == "sku" {
					out = append(out, v.item.sku)
				} else {
					out = append(out, v.barcode)
				}
			}
			return out
		}
		return nil
	}
}

func variantFields(v *variant) func(string) []string {
	return func(f string) []string {
		switch f {
		case "sku":
			return []string{v.item.sku}
		case "barcode":
			return []string{v.barcode}
		case "id":
			return []string{strconv.FormatInt(v.id, 10)}
		case "product_id":
			return []string{strconv.FormatInt(v.product.id, 10)}
		case "title":
			return []string{v.title()}
		case "product_status":
			return []string{v.product.status}
		case "product_ids":
			return []string{strconv.FormatInt(v.product.id, 10)}
		}
		return nil
	}
}
