package sync

import (
	"context"
	"fmt"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify"
)

// Publishing new products. Shopify publishes nothing by itself: "Products
// with an active status aren't automatically published to sales channels,
// such as the online store, or apps" (enum ProductStatus, ACTIVE, 2026-04
// Admin schema). Shopify's own CSV importer publishes a new product to the
// Online Store unless its Published column says FALSE, so Shelfsync does the
// same with publishablePublish, and says so in the preview.

// Publication is one of the shop's publications: the products a sales
// channel (Online Store, Point of Sale, …) shows.
type Publication struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// OnlineStore is the name of the Online Store's publication (its catalog's title).
const OnlineStore = shopify.OnlineStoreName

// Publisher is implemented by stores that can publish products to sales
// channels (NewShopStore's does).
type Publisher interface {
	// Publications lists the shop's publications. missing names the access
	// scopes the app lacks to publish; then pubs may be empty.
	Publications(ctx context.Context) (pubs []Publication, missing []string, err error)
	// Publish publishes a product to publications (publishablePublish).
	Publish(ctx context.Context, productID string, publicationIDs []string) error
}

// PublishMode says where the products a run creates are published when the
// sheet has no Published column (a per-store setting).
type PublishMode string

// Publish modes.
const (
	// PublishOnlineStore publishes new products to the Online Store, as
	// Shopify's CSV importer does (the default).
	PublishOnlineStore PublishMode = ""
	// PublishNone leaves new products unpublished.
	PublishNone PublishMode = "none"
)

// ParsePublishMode reads a publish mode as people write it: "online-store"
// (or "" or "online store") and "none".
func ParsePublishMode(s string) (PublishMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "online-store", "online store", "online_store", "onlinestore":
		return PublishOnlineStore, nil
	case "none", "unpublished", "no":
		return PublishNone, nil
	}
	return "", fmt.Errorf("%q is not a publish setting: use online-store or none", s)
}

// String names the mode for people and settings ("online-store", "none").
func (m PublishMode) String() string {
	if m == PublishNone {
		return "none"
	}
	return "online-store"
}

// planPublishing decides, for every product the plan creates, whether it is
// published and where, and says so on the product: "will be published to
// Online Store" or "stays unpublished: <why>".
func planPublishing(ctx context.Context, st Store, cat *catalog.Catalog, p *Plan, mode PublishMode) error {
	var creates []*ProductPlan
	for i := range p.Products {
		if pp := &p.Products[i]; pp.Action == ActCreate && pp.Create != nil {
			creates = append(creates, pp)
		}
	}
	if len(creates) == 0 {
		return nil
	}
	sheet := make(map[string]*bool, len(cat.Products))
	for i := range cat.Products {
		sheet[cat.Products[i].Handle] = cat.Products[i].Published
	}
	wants := func(pp *ProductPlan) (bool, string) {
		switch v := sheet[pp.Handle]; {
		case v != nil && *v:
			return true, ""
		case v != nil:
			return false, "the sheet's Published column says FALSE"
		case mode == PublishNone:
			return false, "the store's setting leaves new products unpublished"
		}
		return true, ""
	}
	var target *Publication
	why, resolved := "", false
	resolve := func() error {
		resolved = true
		pub, ok := st.(Publisher)
		if !ok {
			why = "this store can't publish products to sales channels"
			return nil
		}
		pubs, missing, err := pub.Publications(ctx)
		switch {
		case err != nil:
			return fmt.Errorf("reading the store's sales channels: %w", err)
		case len(missing) > 0:
			why = "Shelfsync may not publish to sales channels (the store did not grant " + strings.Join(missing, ", ") +
				"): reconnect the store and approve them, or publish the products in Shopify admin"
			return nil
		}
		for i := range pubs {
			if strings.EqualFold(strings.TrimSpace(pubs[i].Name), OnlineStore) {
				target = &pubs[i]
				return nil
			}
		}
		why = "the store has no Online Store sales channel"
		return nil
	}
	blocked := 0
	for _, pp := range creates {
		want, reason := wants(pp)
		if want && !resolved {
			if err := resolve(); err != nil {
				return err
			}
		}
		switch {
		case want && target != nil:
			pp.Create.PublishTo = []Publication{*target}
			pp.addMessage("will be published to " + target.Name)
			continue
		case want:
			reason = why
			blocked++
		}
		pp.Create.Unpublished = reason
		pp.addMessage("stays unpublished: " + reason)
	}
	if blocked > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d new product(s) will stay unpublished, invisible to customers: %s", blocked, why))
	}
	return nil
}

// addMessage appends to a product's message.
func (pp *ProductPlan) addMessage(m string) {
	if pp.Message == "" {
		pp.Message = m
		return
	}
	pp.Message += "; " + m
}

// publishCreated publishes a product that was just created as its plan
// says. The product exists either way, so a refusal is not a failed create:
// it returns a message for the journal ("" when published or not meant to be).
func (x *executor) publishCreated(ctx context.Context, in *ProductInput, productID string) string {
	if in == nil || len(in.PublishTo) == 0 || productID == "" {
		return ""
	}
	pub, ok := x.st.(Publisher)
	names := make([]string, len(in.PublishTo))
	ids := make([]string, len(in.PublishTo))
	for i, p := range in.PublishTo {
		names[i], ids[i] = p.Name, p.ID
	}
	if !ok {
		return "created, but not published to " + strings.Join(names, ", ") + ": this store can't publish; publish it in Shopify admin"
	}
	if err := pub.Publish(ctx, productID, ids); err != nil {
		return "created, but not published to " + strings.Join(names, ", ") + " (" + errText(err) + "); publish it in Shopify admin"
	}
	return ""
}
