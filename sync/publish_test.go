package sync

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shelfsync/shelfsync/sync/shopify"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
)

var publishScopesGranted = []string{"write_products", "write_inventory", "read_locations", "write_publications"}

const publishedCSV = "Handle,Title,Published,Variant SKU,Variant Price\n" +
	"on,On,TRUE,ON-1,1.00\n" +
	"off,Off,FALSE,OFF-1,1.00\n" +
	"blank,Blank,,BL-1,1.00\n"

// New products go to the Online Store as the sheet's Published column says
// (blank publishes, as Shopify's importer does), and the preview says so.
// Before, every created product stayed on no sales channel at all.
func TestNewProductsArePublishedAsTheSheetSays(t *testing.T) {
	h := newHarnessScopes(t, fakeshop.PlanGrow, 1000, publishScopesGranted)
	p, res := h.sync(t, readCSV(t, publishedCSV), h.opts())
	if len(res.Problems) > 0 {
		t.Fatalf("%+v", res)
	}
	msgs := map[string]string{}
	for _, pp := range p.Products {
		msgs[pp.Handle] = pp.Message
	}
	if msgs["on"] != "will be published to Online Store" || msgs["blank"] != "will be published to Online Store" ||
		!strings.Contains(msgs["off"], "stays unpublished: the sheet's Published column says FALSE") {
		t.Errorf("messages %q", msgs)
	}
	for handle, want := range map[string][]string{"on": {"Online Store"}, "blank": {"Online Store"}, "off": {}} {
		if got := h.sh.PublishedOn(handle); !slices.Equal(got, want) {
			t.Errorf("%s published on %q, want %q", handle, got, want)
		}
	}
	var text strings.Builder
	_ = p.WriteText(&text, TextOptions{})
	if !strings.Contains(text.String(), "on  \"On\" (1 variants): will be published to Online Store") {
		t.Errorf("preview text:\n%s", text.String())
	}
}

// Without the publishing scopes the products are still created; the
// preview says they stay unpublished and why, once per product and once in
// the notes.
func TestNewProductsStayUnpublishedWithoutScope(t *testing.T) {
	h := newHarness(t, fakeshop.PlanGrow, 1000)
	p, res := h.sync(t, readCSV(t, publishedCSV), h.opts())
	if len(res.Problems) > 0 || h.sh.Stats().Mutations["publishablePublish"] != 0 {
		t.Fatalf("%+v %v", res, h.sh.Stats().Mutations)
	}
	for _, pp := range p.Products {
		if !strings.HasPrefix(pp.Message, "stays unpublished: ") {
			t.Errorf("%s: %q", pp.Handle, pp.Message)
		}
		if got := h.sh.PublishedOn(pp.Handle); len(got) != 0 {
			t.Errorf("%s published on %q", pp.Handle, got)
		}
	}
	if !strings.Contains(p.Products[0].Message, "read_publications, write_publications") ||
		!slices.ContainsFunc(p.Notes, func(n string) bool { return strings.HasPrefix(n, "2 new product(s) will stay unpublished") }) {
		t.Errorf("message %q, notes %q", p.Products[0].Message, p.Notes)
	}
}

// The store's setting decides for a sheet without a Published column.
func TestPublishSettingForSheetsWithoutColumn(t *testing.T) {
	h := newHarnessScopes(t, fakeshop.PlanGrow, 1000, publishScopesGranted)
	in := "Handle,Title,Variant SKU,Variant Price\nx,X,X-1,1.00\n"
	o := h.opts()
	o.PublishNew = PublishNone
	p, err := h.eng.Plan(context.Background(), h.st, readCSV(t, in), o)
	if err != nil {
		t.Fatal(err)
	}
	if m := p.Products[0].Message; m != "stays unpublished: the store's setting leaves new products unpublished" {
		t.Errorf("none: %q", m)
	}
	h.sync(t, readCSV(t, in), h.opts())
	if got := h.sh.PublishedOn("x"); !slices.Equal(got, []string{"Online Store"}) {
		t.Errorf("default: published on %q", got)
	}
	for in, want := range map[string]PublishMode{"": PublishOnlineStore, "online-store": PublishOnlineStore, "None": PublishNone} {
		if m, err := ParsePublishMode(in); err != nil || m != want {
			t.Errorf("%q: %v %v", in, m, err)
		}
	}
	if _, err := ParsePublishMode("pos"); err == nil {
		t.Error("pos accepted")
	}
}

// lostCreateAnswer creates products but loses the answer of the first
// create, as a dropped connection would; it publishes like the store.
type lostCreateAnswer struct {
	Store
	lose *atomic.Int32
}

func (s lostCreateAnswer) ProductSet(ctx context.Context, in ProductInput) (SnapProduct, error) {
	sp, err := s.Store.ProductSet(ctx, in)
	if err == nil && s.lose.Add(-1) >= 0 {
		return SnapProduct{}, shopify.ErrOutcomeUnknown
	}
	return sp, err
}

func (s lostCreateAnswer) Publications(ctx context.Context) ([]Publication, []string, error) {
	return s.Store.(Publisher).Publications(ctx)
}

func (s lostCreateAnswer) Publish(ctx context.Context, id string, pubs []string) error {
	return s.Store.(Publisher).Publish(ctx, id, pubs)
}

// A create whose answer was lost, and that the re-read finds made, is
// published too.
func TestCreateWithLostAnswerIsPublished(t *testing.T) {
	h := newHarnessScopes(t, fakeshop.PlanGrow, 1000, publishScopesGranted)
	lose := &atomic.Int32{}
	lose.Store(1)
	st := lostCreateAnswer{h.st, lose}
	ctx := context.Background()
	p, err := h.eng.Plan(ctx, st, readCSV(t, "Handle,Title,Variant SKU,Variant Price\nx,X,X-1,1.00\n"), h.opts())
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.eng.Apply(ctx, st, p, ApplyOptions{Confirm: true})
	if err != nil || len(res.Problems) > 0 || h.sh.Stats().Mutations["productSet"] != 1 {
		t.Fatalf("%v %+v %v", err, res, h.sh.Stats().Mutations)
	}
	if got := h.sh.PublishedOn("x"); !slices.Equal(got, []string{"Online Store"}) {
		t.Errorf("published on %q", got)
	}
}
