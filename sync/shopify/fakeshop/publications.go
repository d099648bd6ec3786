package fakeshop

import "time"

// Publications: each sales channel's catalog has a publication, the products it shows
// (https://shopify.dev/docs/apps/build/sales-channels/product-publishing). The simulator has
// the two channels every shop starts with, Online Store and Point of Sale, and models:
//
//   - publications(first, after): needs read_publications; each with autoPublish and its
//     AppCatalog's title (Publication.name is deprecated in 2026-04 in favour of Catalog.title).
//   - publishablePublish(id, input): needs write_publications; "Publishes a resource, such as a
//     Product … to one or more publications" (2026-04 schema). Unknown publications or
//     products are user errors and nothing is published (the exact messages are UNCONFIRMED).
//   - Product.publishedOnPublication(publicationId) (needs read_publications).
//
// A product created through the API is on no publication: "Products with an active status
// aren't automatically published to sales channels, such as the online store, or apps"
// (enum ProductStatus, ACTIVE, 2026-04 schema). Whether a real Online Store publication has
// autoPublish on is shop-specific and UNCONFIRMED; the simulator's publications never
// auto-publish, the choice that shows a client which forgets to publish.

const (
	scopeReadPublications  = "read_publications"
	scopeWritePublications = "write_publications"
)

// publication is a channel's publication and the products on it.
type publication struct {
	id          int64
	title       string // its catalog's title
	autoPublish bool
	products    map[int64]time.Time // product id → when it was published
}

// Publication is a publication as the tests see it.
type Publication struct {
	ID          string
	Title       string
	AutoPublish bool
}

// defaultPublications are the channels a new shop has.
func (c *catalog) defaultPublications() {
	for _, t := range []string{"Online Store", "Point of Sale"} {
		c.publications = append(c.publications, &publication{id: c.newID(), title: t, products: map[int64]time.Time{}})
	}
}

func (c *catalog) publication(gidStr string) *publication {
	n, ok := idOf(gidStr, "Publication")
	if !ok {
		return nil
	}
	for _, p := range c.publications {
		if p.id == n {
			return p
		}
	}
	return nil
}

// Publications lists the shop's publications.
func (sh *Shop) Publications() []Publication {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	out := make([]Publication, 0, len(sh.cat.publications))
	for _, p := range sh.cat.publications {
		out = append(out, Publication{ID: gid("Publication", p.id), Title: p.title, AutoPublish: p.autoPublish})
	}
	return out
}

// PublishedOn returns the titles of the publications the product with this
// handle is on, in the shop's order (nil when there is no such product).
func (sh *Shop) PublishedOn(handle string) []string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	p := sh.cat.byHandle[handle]
	if p == nil {
		return nil
	}
	out := []string{}
	for _, pub := range sh.cat.publications {
		if _, ok := pub.products[p.id]; ok {
			out = append(out, pub.title)
		}
	}
	return out
}

// onlineStore is the Online Store's publication (nil if the shop has none).
func (c *catalog) onlineStore() *publication {
	for _, pub := range c.publications {
		if pub.title == "Online Store" {
			return pub
		}
	}
	return nil
}

func pubID(p any) int64 { return p.(*publication).id }

// addPublications adds the publication types and fields to the schema.
func addPublications(sc *schema) {
	sc.addConnection("Publication")
	readPub := []string{scopeReadPublications}
	sc.types["Catalog"] = &typeDef{name: "Catalog", possible: []string{"AppCatalog"},
		fields: map[string]*fieldDef{"id": {}, "title": {}, "status": {}}}
	sc.mapType("AppCatalog", []string{"Node", "Catalog"}, "id", "title", "status")
	sc.types["Publishable"] = &typeDef{name: "Publishable", possible: []string{"Product"}, fields: map[string]*fieldDef{}}
	sc.mapType("PublishablePublishPayload", nil, "publishable:Publishable", "shop:Shop", "userErrors:[UserError]")
	sc.objType("Publication", []string{"Node"}, map[string]*fieldDef{
		"id":                       scalar(func(p any) any { return gid("Publication", p.(*publication).id) }),
		"autoPublish":              scalar(func(p any) any { return p.(*publication).autoPublish }),
		"name":                     scalar(func(p any) any { return p.(*publication).title }),
		"supportsFuturePublishing": scalar(func(p any) any { return p.(*publication).title == "Online Store" }),
		"catalog": ref("Catalog", func(_ *execCtx, p any, _ map[string]any) (any, error) {
			pub := p.(*publication)
			return obj("AppCatalog", "id", gid("AppCatalog", pub.id), "title", pub.title, "status", "ACTIVE"), nil
		}),
	})
	sc.types["QueryRoot"].fields["publications"] = &fieldDef{typ: "PublicationConnection", conn: true, node: "Publication", scopes: readPub,
		resolve: func(ec *execCtx, _ any, a map[string]any) (any, error) {
			all := make([]any, len(ec.sh.cat.publications))
			for i, p := range ec.sh.cat.publications {
				all[i] = p
			}
			return paginate(ec, all, pubID, a)
		}}
	sc.types["Product"].fields["publishedOnPublication"] = &fieldDef{scopes: readPub,
		resolve: func(ec *execCtx, p any, a map[string]any) (any, error) {
			pub := ec.sh.cat.publication(str(a["publicationId"]))
			if pub == nil {
				return false, nil
			}
			_, ok := pub.products[p.(*product).id]
			return ok, nil
		}}
	// Product.publishedAt: "The date and time when the product was published to the online
	// store" (2026-04 schema); null while it is not on the Online Store publication.
	sc.types["Product"].fields["publishedAt"] = &fieldDef{
		resolve: func(ec *execCtx, p any, _ map[string]any) (any, error) {
			if pub := ec.sh.cat.onlineStore(); pub != nil {
				if at, ok := pub.products[p.(*product).id]; ok {
					return ts(at), nil
				}
			}
			return nil, nil
		}}
	sc.types["Mutation"].fields["publishablePublish"] = &fieldDef{typ: "PublishablePublishPayload", mutation: true,
		scopes: []string{scopeWritePublications}, resolve: mutPublishablePublish}
}

// mutPublishablePublish publishes a product to publications, all or nothing.
func mutPublishablePublish(ec *execCtx, _ any, a map[string]any) (any, error) {
	cat := ec.sh.cat
	p := cat.productByGID(str(a["id"]))
	var errs []any
	if p == nil {
		errs = append(errs, uerr("UserError", path("id"), "Resource does not exist", ""))
	}
	var pubs []*publication
	for i, x := range asList(a["input"]) {
		pub := cat.publication(str(asMap(x)["publicationId"]))
		if pub == nil {
			errs = append(errs, uerr("UserError", path("input", i, "publicationId"), "Publication does not exist", ""))
			continue
		}
		pubs = append(pubs, pub)
	}
	if len(errs) > 0 {
		return obj("PublishablePublishPayload", "publishable", nil, "shop", ec.sh, "userErrors", errs), nil
	}
	now := ec.sh.srv.Now()
	for _, pub := range pubs {
		if _, ok := pub.products[p.id]; !ok {
			pub.products[p.id] = now // publishing again keeps the first date
		}
	}
	ec.touch(p)
	return obj("PublishablePublishPayload", "publishable", p, "shop", ec.sh, "userErrors", []any{}), nil
}
