package sync

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/state"
)

// daySheet updates prod-0's price and creates, in sheet order, new-a (3 variants), a new
// variant of prod-1, new-b (3), new-c (1) and new-d (2).
const daySheet = `Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price
prod-0,Product 0,Size,S0,SKU-0-0,2.00
new-a,New A,Size,S,A-S,5.00
new-a,,,M,A-M,5.00
new-a,,,L,A-L,5.00
new-b,New B,Size,S,B-S,5.00
new-b,,,M,B-M,5.00
new-b,,,L,B-L,5.00
prod-1,Product 1,Size,S0,SKU-1-0,1.00
prod-1,,,S9,SKU-1-9,1.00
new-c,New C,Size,S,C-S,5.00
new-d,New D,Size,S,D-S,5.00
new-d,,,M,D-M,5.00
`

// dayHarness is a Grow store of 8 one-variant products whose limit is lowered to a threshold
// of 10 variants and 5 new variants a day, in the shop and in the planner; the engine's
// clock is the shop's.
func dayHarness(t *testing.T, plan fakeshop.Plan) *harness {
	h := newHarness(t, plan, 50)
	seedShop(h.sh, 8, 1, "1.00")
	h.sh.SetVariantLimit(10, 5)
	h.eng.DayLimit = DayLimit{Threshold: 10, PerDay: 5}
	h.eng.Now = h.srv.Now
	return h
}

// nextUTCDay moves the shop's clock (and so the engine's) past the next midnight UTC.
func nextUTCDay(h *harness) {
	now := h.srv.Now().UTC()
	h.srv.Advance(now.Truncate(24*time.Hour).Add(24*time.Hour).Sub(now) + time.Minute)
}

func actionOf(p *Plan, handle string) Action {
	for i := range p.Products {
		if p.Products[i].Handle == handle {
			return p.Products[i].Action
		}
	}
	return ""
}

// A non-Plus store past the threshold: the plan creates whole products in sheet order while
// they fit in today's allowance and leaves the others, saying so in the preview, the run's
// result and its history; a second run the same day creates nothing more (it counts what
// Shelfsync created today); the next day's run creates the rest. Updates are never held back.
func TestDayLimitPlansWholeProducts(t *testing.T) {
	ctx := context.Background()
	h := dayHarness(t, fakeshop.PlanGrow)
	cat := readCSV(t, daySheet)

	p, err := h.eng.Plan(ctx, h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	// 8 variants: new-a (3) fits, new-b (3 + 3 > 5) waits, prod-1's new variant (4) and new-c (5) fit, new-d waits.
	for handle, want := range map[string]Action{"prod-0": ActUpdate, "new-a": ActCreate, "new-b": ActSkipped, "prod-1": ActUpdate,
		"new-c": ActCreate, "new-d": ActSkipped} {
		if got := actionOf(p, handle); got != want {
			t.Errorf("%s: %s, want %s", handle, got, want)
		}
	}
	dl := p.DayLimit
	if dl == nil || dl.WaitProducts != 2 || dl.WaitVariants != 5 || dl.CreateProducts != 3 || dl.CreateVariants != 5 || dl.StoreVariants != 8 {
		t.Fatalf("day limit %+v", dl)
	}
	const want = "2 products (5 variants) wait for tomorrow: Shopify allows non-Plus stores past 10 variants 5 new variants a day"
	var preview bytes.Buffer
	if err := p.WriteText(&preview, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(preview.String(), "note: "+want) || !strings.Contains(preview.String(), "new-b  row 6: "+msgWaits) ||
		strings.Contains(preview.String(), "B-S") {
		t.Fatalf("the dry run does not say what waits:\n%s", preview.String())
	}

	res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
	if err != nil || res.State != state.RunFinished || len(res.Problems) > 0 {
		t.Fatalf("apply: %v %+v", err, res)
	}
	run, err := h.db.GetRun(ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), want) || !strings.Contains(run.Summary, want) {
		t.Fatalf("the result does not say what waits: %q / %q", res.Warnings, run.Summary)
	}
	if got := shopState(h.sh); !strings.Contains(got, "P new-a|") || !strings.Contains(got, "SKU-1-9") || !strings.Contains(got, "P new-c|") ||
		strings.Contains(got, "P new-b|") || strings.Contains(got, "P new-d|") || !strings.Contains(got, "V prod-0|SKU-0-0||2.00") {
		t.Fatalf("store after the first run:\n%s", got)
	}

	// The same day: Shelfsync created 5 variants today, so nothing more fits.
	again, err := h.eng.Plan(ctx, h.st, cat, h.opts())
	if err != nil {
		t.Fatal(err)
	}
	if dl := again.DayLimit; dl == nil || dl.CreatedToday != 5 || dl.CreateProducts != 0 || dl.WaitProducts != 2 ||
		!strings.Contains(dl.Message, "Shelfsync created 5 variants in it today") {
		t.Fatalf("second plan the same day: %+v", again.DayLimit)
	}
	if s := again.NothingToWriteToday(); s != "Nothing to write today: 2 new products wait for tomorrow, because of Shopify's daily limit on new variants (see the note)." {
		t.Fatalf("a plan whose creates all wait says %q", s)
	}
	if _, err := h.eng.Apply(ctx, h.st, again, ApplyOptions{Confirm: true}); err != nil {
		t.Fatal(err)
	}
	if n := h.sh.VariantsCreatedToday(); n != 5 {
		t.Fatalf("%d variants created today after the second run, want 5", n)
	}

	// The next day, the next run (as a scheduled one would) creates the rest.
	nextUTCDay(h)
	last, res := h.sync(t, cat, h.opts())
	if last.DayLimit != nil || actionOf(last, "new-b") != ActCreate || actionOf(last, "new-d") != ActCreate || len(res.Problems) > 0 {
		t.Fatalf("next day: %+v, %+v", last.DayLimit, res)
	}
	if got := shopState(h.sh); !strings.Contains(got, "P new-b|") || !strings.Contains(got, "P new-d|") {
		t.Fatalf("store after the next day's run:\n%s", got)
	}
	if resync, _ := h.sync(t, cat, h.opts()); resync.HasChanges() {
		t.Fatal("a resync plans changes")
	}
}

// A Plus store has no such limit: everything is created at once.
func TestDayLimitSparesPlus(t *testing.T) {
	h := dayHarness(t, fakeshop.PlanPlus)
	p, res := h.sync(t, readCSV(t, daySheet), h.opts())
	if p.DayLimit != nil || p.Counts.Products.Create != 4 || len(res.Problems) > 0 {
		t.Fatalf("plan %+v counts %+v, result %+v", p.DayLimit, p.Counts, res)
	}
}

// Shopify refuses a create the plan expected to fit (another app created variants today): the
// run creates nothing more, reports the refused and the unsent rows with what happened and
// what to do, and goes on with its updates; the next day's run creates them. In a bulk create
// only the refused line fails.
func TestDayLimitRefusedMidRun(t *testing.T) {
	const sheet = `Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price
new-x,New X,Size,S,X-S,5.00
new-y,New Y,Size,S,Y-S,5.00
new-y,,,M,Y-M,5.00
new-y,,,L,Y-L,5.00
new-z,New Z,Size,S,Z-S,5.00
prod-0,Product 0,Size,S0,SKU-0-0,2.00
`
	for _, bulk := range []bool{false, true} {
		name := "one by one"
		if bulk {
			name = "bulk"
		}
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			h := dayHarness(t, fakeshop.PlanGrow)
			h.eng.Concurrency = 1 // creates go in sheet order
			if bulk {
				h.eng.BulkCreateMin = 2
				h.sh.SetBulkRate(0, -1)
			}
			// Another app creates 3 variants today; Shelfsync's history does not know.
			for _, handle := range []string{"other-1", "other-2", "other-3"} {
				if _, err := h.st.ProductSet(ctx, ProductInput{Handle: handle, ProductFields: ProductFields{Title: &handle},
					Variants: []VariantInput{{Price: ptrTo("1.00")}}}); err != nil {
					t.Fatal(err)
				}
			}
			p, err := h.eng.Plan(ctx, h.st, readCSV(t, sheet), h.opts())
			if err != nil {
				t.Fatal(err)
			}
			if p.DayLimit != nil || p.Counts.Products.Create != 3 {
				t.Fatalf("the plan expected all 5 new variants to fit: %+v %+v", p.DayLimit, p.Counts)
			}
			res, err := h.eng.Apply(ctx, h.st, p, ApplyOptions{Confirm: true})
			if err != nil {
				t.Fatalf("apply: %v", err)
			}
			problems := map[string]string{}
			for _, o := range res.Problems {
				problems[o.Item] = o.Message
			}
			if !strings.HasPrefix(problems["new-y"], "not created: Shopify refused it because the store reached its daily limit") {
				t.Fatalf("new-y: %q (problems %v)", problems["new-y"], problems)
			}
			got := shopState(h.sh)
			if !strings.Contains(got, "P new-x|") || strings.Contains(got, "P new-y|") || !strings.Contains(got, "V prod-0|SKU-0-0||2.00") {
				t.Fatalf("store after the run:\n%s", got)
			}
			if bulk { // the other lines went on: new-z fits in the allowance
				if !strings.Contains(got, "P new-z|") || len(problems) != 1 {
					t.Fatalf("bulk: problems %v, store:\n%s", problems, got)
				}
			} else {
				if !strings.HasPrefix(problems["new-z"], "not created: Shopify's daily limit on new variants was reached earlier in this run") ||
					strings.Contains(got, "P new-z|") || h.sh.Stats().Mutations["productSet"] != 3+2 {
					t.Fatalf("new-z: %q, productSet sent %d times, store:\n%s", problems["new-z"], h.sh.Stats().Mutations["productSet"], got)
				}
			}
			if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "Shopify's daily limit on new variants was reached during the run") ||
				!strings.Contains(w, "its updates went on") || !strings.Contains(w, "The limit resets the next day") {
				t.Fatalf("warnings: %q", res.Warnings)
			}
			// The same day, a new plan knows Shopify refused: nothing more is sent today.
			same, err := h.eng.Plan(ctx, h.st, readCSV(t, sheet), h.opts())
			if err != nil {
				t.Fatal(err)
			}
			if dl := same.DayLimit; dl == nil || !dl.RefusedToday || dl.CreateProducts != 0 || dl.WaitProducts != same.Counts.Products.Skipped ||
				!strings.Contains(dl.Message, "Shopify already refused new variants today") {
				t.Fatalf("a plan the same day after a refusal: %+v", same.DayLimit)
			}

			nextUTCDay(h)
			last, res := h.sync(t, readCSV(t, sheet), h.opts())
			if last.Counts.Products.Create == 0 || len(res.Problems) > 0 {
				t.Fatalf("next day: %+v %+v", last.Counts, res)
			}
			if got := shopState(h.sh); !strings.Contains(got, "P new-y|") || !strings.Contains(got, "P new-z|") {
				t.Fatalf("store after the next day's run:\n%s", got)
			}
		})
	}
}

// The message people read, with Shopify's numbers.
func TestDayLimitMessage(t *testing.T) {
	got := dayLimitMessage(&DayLimitPlan{Threshold: shopify.VariantThreshold, PerDay: shopify.DailyVariants, StoreVariants: 50_412,
		CreatedToday: 2, CreateProducts: 30, CreateVariants: 998, WaitProducts: 12, WaitVariants: 1_340})
	want := "12 products (1,340 variants) wait for tomorrow: Shopify allows non-Plus stores past 50,000 variants 1,000 new variants a day, " +
		"and this store has 50,412 (Shelfsync created 2 variants in it today, UTC). This run creates 30 products (998 variants), " +
		"the first in sheet order that fit; the others are still not in the store, so the next run creates the next ones: " +
		"tomorrow's scheduled run, or sync again tomorrow. Plus stores have no such limit."
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func ptrTo[T any](v T) *T { return &v }
