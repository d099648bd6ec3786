package sync

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// TextOptions choose what WriteText prints.
type TextOptions struct {
	// Unchanged lists unchanged products and variants too.
	Unchanged bool
	// Limit stops after this many products (0: all), with a line saying how
	// many were left out.
	Limit int
}

// Summary is one line for people: "3 products to create, 12 variants to update, …".
func (p *Plan) Summary() string {
	c := p.Counts
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+what)
		}
	}
	verb := "to "
	if p.Kind == "undo" {
		verb = "to undo: "
	}
	add(c.Products.Create, "products "+verb+"create")
	add(c.Products.Update, "products "+verb+"update")
	add(c.Variants.Create, "variants to create")
	add(c.Variants.Update, "variants to update")
	add(c.Products.Archive, "products to archive")
	add(c.Products.Delete+c.Variants.Delete, "to delete")
	add(c.Variants.Unchanged, "variants unchanged")
	add(c.Products.Skipped+c.Variants.Skipped, "skipped")
	add(c.Products.Error+c.Variants.Error, "errors")
	add(c.Products.Conflict+c.Variants.Conflict, "conflicts")
	if len(parts) == 0 {
		return "nothing to do"
	}
	return strings.Join(parts, ", ")
}

// WriteText prints the plan for people, as `shelfsync sync --dry-run` shows it:
//
//   - create  ocean-blue-shirt  "Ocean Blue Shirt" (3 variants)
//     ~ update  classic-tee
//     title: "Tee" → "Classic Tee"
//     SKU-1 price: 19.90 → 21.00
//     SKU-1 available @ Main warehouse: 4 → 7
//     ! error   row 12: SKU "X" is also on row 7
func (p *Plan) WriteText(w io.Writer, o TextOptions) error {
	bw := bufio.NewWriter(w)
	for _, g := range p.Guards {
		fmt.Fprintf(bw, "STOP: %s (confirm to apply anyway)\n", g.Message)
	}
	for _, n := range p.Notes {
		fmt.Fprintf(bw, "note: %s\n", n)
	}
	if lines := p.UnsyncedLines(); len(lines) > 0 {
		fmt.Fprintf(bw, "columns not synced, and why:\n")
		for _, l := range lines {
			fmt.Fprintf(bw, "  - %s\n", l)
		}
	}
	for _, e := range p.SourceErrors {
		fmt.Fprintf(bw, "! error   %s\n", e.Error())
	}
	shown := 0
	for i := range p.Products {
		pp := &p.Products[i]
		if pp.Action == ActUnchanged && !o.Unchanged {
			continue
		}
		if o.Limit > 0 && shown == o.Limit {
			fmt.Fprintf(bw, "… and more (%d products in all)\n", len(p.Products))
			break
		}
		shown++
		writeProduct(bw, pp, o)
	}
	for i := range p.Loose {
		vp := &p.Loose[i]
		if vp.Action == ActUnchanged && !o.Unchanged {
			continue
		}
		fmt.Fprintf(bw, "%s %-9s %s\n", mark(vp.Action), vp.Action, vp.Key)
		writeVariant(bw, vp, "    ")
	}
	fmt.Fprintf(bw, "%s\n", p.Summary())
	return bw.Flush()
}

func mark(a Action) string {
	switch a {
	case ActCreate:
		return "+"
	case ActUpdate, ActArchive:
		return "~"
	case ActDelete:
		return "-"
	case ActError, ActConflict:
		return "!"
	case ActSkipped:
		return "?"
	default:
		return "="
	}
}

func writeProduct(w *bufio.Writer, pp *ProductPlan, o TextOptions) {
	fmt.Fprintf(w, "%s %-9s %s", mark(pp.Action), pp.Action, pp.Handle)
	if pp.Action == ActCreate {
		fmt.Fprintf(w, "  %q (%d variants)", pp.Title, len(pp.Variants))
	}
	if pp.Row > 0 && (pp.Action == ActError || pp.Action == ActSkipped) {
		fmt.Fprintf(w, "  row %d", pp.Row)
	}
	if pp.Message != "" {
		fmt.Fprintf(w, ": %s", pp.Message)
	}
	w.WriteByte('\n')
	for _, f := range pp.Fields {
		fmt.Fprintf(w, "    %s: %s → %s\n", f.Field, quote(f.Old), quote(f.New))
	}
	for _, c := range pp.Images {
		fmt.Fprintf(w, "    %s\n", c.Line())
	}
	if pp.Action == ActCreate {
		for i := range pp.Variants {
			if pp.Variants[i].Action != ActCreate || pp.Variants[i].Message != "" {
				writeVariantLine(w, &pp.Variants[i])
			}
		}
		return
	}
	if pp.Message == msgWaits {
		return // a new product left for tomorrow: its variants would only repeat it
	}
	for i := range pp.Variants {
		vp := &pp.Variants[i]
		if vp.Action == ActUnchanged && !o.Unchanged {
			continue
		}
		writeVariant(w, vp, "    "+vp.Key+" ")
	}
}

func writeVariantLine(w *bufio.Writer, vp *VariantPlan) {
	fmt.Fprintf(w, "    %s %s %s", mark(vp.Action), vp.Action, vp.Key)
	if vp.Row > 0 {
		fmt.Fprintf(w, " (row %d)", vp.Row)
	}
	if vp.Message != "" {
		fmt.Fprintf(w, ": %s", vp.Message)
	}
	w.WriteByte('\n')
}

func writeVariant(w *bufio.Writer, vp *VariantPlan, prefix string) {
	switch vp.Action {
	case ActUpdate:
		if vp.Message != "" {
			fmt.Fprintf(w, "%s%s\n", prefix, vp.Message)
		}
	case ActUnchanged:
		fmt.Fprintf(w, "%sunchanged", prefix)
		if vp.Message != "" {
			fmt.Fprintf(w, ": %s", vp.Message)
		}
		w.WriteByte('\n')
		return
	default:
		writeVariantLine(w, vp)
		return
	}
	for _, f := range vp.Fields {
		fmt.Fprintf(w, "%s%s: %s → %s\n", prefix, f.Field, quote(f.Old), quote(f.New))
	}
	for _, q := range vp.Quantities {
		old := "not stocked"
		if q.Old != nil {
			old = strconv.Itoa(*q.Old)
		}
		fmt.Fprintf(w, "%s%s @ %s: %s → %d\n", prefix, QuantityLabel(q.Name), q.Location, old, q.New)
	}
}

func quote(s string) string {
	if s == "" {
		return "(none)"
	}
	if strings.ContainsAny(s, " ,\n\"") || len(s) > 60 {
		if len(s) > 60 {
			s = s[:57] + "…"
		}
		return strconv.Quote(s)
	}
	return s
}

// UnsyncedLines lists the columns not synced for people, one line per
// reason in order of first appearance: `"Published", "Published scope":
// publishing … is left as it is`.
func (p *Plan) UnsyncedLines() []string {
	var reasons []string
	cols := map[string][]string{}
	for _, u := range p.Unsynced {
		if _, ok := cols[u.Reason]; !ok {
			reasons = append(reasons, u.Reason)
		}
		cols[u.Reason] = append(cols[u.Reason], strconv.Quote(u.Column))
	}
	out := make([]string, len(reasons))
	for i, r := range reasons {
		out[i] = strings.Join(cols[r], ", ") + ": " + r
	}
	return out
}
