package sync

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/state"
)

// ReportColumns is the header of a run's report CSV: one line per source row
// (or store item without a row), like Matrixify's results file.
var ReportColumns = []string{"Row", "Handle", "Item", "Action", "Outcome", "Changes", "Message"}

// Report outcomes, worst last.
const (
	OutcomeOK        = "ok"
	OutcomeUnchanged = "unchanged"
	OutcomeSkipped   = "skipped"
	OutcomeNotDone   = "not done" // cancelled or unknown; resume the run
	OutcomeConflict  = "conflict"
	OutcomeError     = "error"
)

// reportLine is one line of the report.
type reportLine struct {
	row             int
	handle, item    string
	action, outcome string
	changes, msg    []string
}

// writeReport writes the run's report CSV under e.ReportsDir and returns its
// path ("" when there is no reports dir).
func (e *Engine) writeReport(run state.Run, p *Plan, entries []state.JournalEntry) (string, error) {
	if e.ReportsDir == "" {
		return "", nil
	}
	if err := os.MkdirAll(e.ReportsDir, 0o700); err != nil {
		return "", err
	}
	name := fmt.Sprintf("%s-%s-%s.csv", run.CreatedAt.Format("20060102-150405"), run.Kind, shortID(run.ID))
	path := filepath.Join(e.ReportsDir, name)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	w := csv.NewWriter(f)
	_ = w.Write(ReportColumns)
	for _, l := range reportLines(p, entries) {
		row := ""
		if l.row > 0 {
			row = strconv.Itoa(l.row)
		}
		_ = w.Write([]string{row, inert(l.handle), inert(l.item), l.action, l.outcome,
			inert(strings.Join(l.changes, "; ")), inert(strings.Join(l.msg, "; "))})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}

// inert keeps a cell from being taken for a formula when the report is
// opened in a spreadsheet app ("Open report" hands it to Excel): handles,
// SKUs and messages come from the source sheet, which may be a supplier's
// feed. A cell starting with =, +, -, @, tab or CR gets a leading ' (OWASP's
// CSV-injection rule). Export is not treated so: it must round-trip.
func inert(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// reportLines merges the plan (what was meant) with the journal (what
// happened), one line per product and variant.
func reportLines(p *Plan, entries []state.JournalEntry) []reportLine {
	type key struct {
		item string
		row  int
	}
	byItem := map[key][]state.JournalEntry{}
	for _, en := range entries {
		item := en.ItemKey
		if i := strings.LastIndexByte(item, '@'); i >= 0 && isQuantityField(en.Field) {
			item = item[:i]
		}
		k := key{item, en.SourceRow}
		byItem[k] = append(byItem[k], en)
	}
	var out []reportLine
	for _, e := range p.SourceErrors {
		out = append(out, reportLine{row: e.Row, action: string(ActError), outcome: OutcomeError, msg: []string{e.Error()}})
	}
	line := func(row int, handle, item string, a Action, msg string, ens []state.JournalEntry) reportLine {
		l := reportLine{row: row, handle: handle, item: item, action: string(a)}
		if msg != "" {
			l.msg = append(l.msg, msg)
		}
		l.outcome = planOutcome(a)
		for _, en := range ens {
			switch {
			case isImageField(en.Field):
				l.changes = append(l.changes, imageEntryText(en))
			case en.Field != FieldCreate && en.Field != FieldDelete:
				l.changes = append(l.changes, en.Field+": "+quote(en.Old)+" → "+quote(en.New))
			}
			o := entryOutcome(en.State)
			if worse(o, l.outcome) {
				l.outcome = o
			}
			if en.Message != "" && !slices.Contains(l.msg, en.Message) {
				l.msg = append(l.msg, en.Message)
			}
		}
		return l
	}
	for i := range p.Products {
		pp := &p.Products[i]
		out = append(out, line(pp.Row, pp.Handle, "", pp.Action, pp.Message, byItem[key{pp.Handle, pp.Row}]))
		delete(byItem, key{pp.Handle, pp.Row})
		for j := range pp.Variants {
			vp := &pp.Variants[j]
			out = append(out, line(vp.Row, pp.Handle, vp.Key, vp.Action, vp.Message, byItem[key{vp.Key, vp.Row}]))
		}
		for _, c := range pp.Images { // an image's own row (an image-only row of the sheet)
			if k := (key{pp.Handle, c.Cell.Row}); len(byItem[k]) > 0 && c.Change != VariantImage {
				out = append(out, line(c.Cell.Row, pp.Handle, "image", ActUpdate, "", byItem[k]))
				delete(byItem, k)
			}
		}
	}
	for i := range p.Loose {
		vp := &p.Loose[i]
		out = append(out, line(vp.Row, "", vp.Key, vp.Action, vp.Message, byItem[key{vp.Key, vp.Row}]))
	}
	slices.SortStableFunc(out, func(a, b reportLine) int {
		switch {
		case a.row == 0 && b.row != 0:
			return 1
		case b.row == 0 && a.row != 0:
			return -1
		}
		return a.row - b.row
	})
	return out
}

var outcomeRank = map[string]int{OutcomeUnchanged: 0, OutcomeOK: 1, OutcomeSkipped: 2, OutcomeNotDone: 3, OutcomeConflict: 4, OutcomeError: 5}

func worse(a, b string) bool { return outcomeRank[a] > outcomeRank[b] }

func planOutcome(a Action) string {
	switch a {
	case ActUnchanged:
		return OutcomeUnchanged
	case ActSkipped:
		return OutcomeSkipped
	case ActError:
		return OutcomeError
	case ActConflict:
		return OutcomeConflict
	}
	return OutcomeOK
}

func entryOutcome(s state.JournalState) string {
	switch s {
	case state.JournalDone:
		return OutcomeOK
	case state.JournalFailed:
		return OutcomeError
	case state.JournalConflict:
		return OutcomeConflict
	case state.JournalSkipped:
		return OutcomeSkipped
	}
	return OutcomeNotDone
}
