package fakeshop

import (
	"fmt"
	"strings"
)

// DemoOptions configure StartDemo.
type DemoOptions struct {
	Addr         string               // fixed loopback address such as "127.0.0.1:8765"; "" picks a free port
	RedirectURIs []string             // OAuth redirect URIs to register for the demo app
	Catalog      []Product            // nil seeds the built-in demo catalog
	ShopName     string               // default "shelfsync-demo"
	Plan         Plan                 // default Grow
	TimeScale    float64              // see Options.TimeScale
	Logf         func(string, ...any) // optional request log
}

// Demo is a running demo shop with a registered app and a ready token.
type Demo struct {
	Server       *Server
	Shop         *Shop
	URL          string // http://127.0.0.1:PORT
	Domain       string // shelfsync-demo.myshopify.com
	Token        string // non-expiring shpat_ token with the demo scopes
	ClientID     string
	ClientSecret string
	Scopes       []string
}

// DemoScopes are the scopes the demo app is configured with: all Shelfsync
// asks for, publishing included, so the demo's new product is published, and
// write_files, so the demo can change the images of existing products
// (oauth.NeededScopes; write_ implies read_).
var DemoScopes = []string{"write_products", "write_inventory", "read_locations", "write_publications", "write_files"}

// StartDemo starts a shop for `shelfsync demo`: a demo app (client id and secret generated per
// run, OwnOrganization so client credentials work) installed on a Grow shop seeded with the
// given or the built-in catalog.
func StartDemo(opts DemoOptions) (*Demo, error) {
	srv := NewServer(Options{TimeScale: opts.TimeScale, Logf: opts.Logf})
	d := &Demo{Server: srv, ClientID: "demo-" + randomHex(8), ClientSecret: "shpss_" + randomHex(16),
		Scopes: append([]string(nil), DemoScopes...)}
	srv.RegisterApp(App{ClientID: d.ClientID, ClientSecret: d.ClientSecret, RedirectURIs: opts.RedirectURIs,
		Scopes: d.Scopes, OwnOrganization: true, Title: "Shelfsync (demo)"})
	name := opts.ShopName
	if name == "" {
		name = "shelfsync-demo"
	}
	plan := opts.Plan
	if plan == "" {
		plan = PlanGrow
	}
	var sh *Shop
	var err error
	if opts.Addr != "" {
		sh, err = srv.AddShopAt(name, plan, opts.Addr)
	} else {
		sh, err = srv.AddShop(name, plan)
	}
	if err != nil {
		return nil, err
	}
	catalog := opts.Catalog
	if catalog == nil {
		catalog = DemoCatalog()
	}
	sh.Seed(catalog)
	// A market with a price list, so a sheet's "Price / International" column
	// has somewhere to go in the demo.
	sh.AddMarket(MarketSpec{Name: "International", Currency: "EUR"})
	d.Shop, d.URL, d.Domain = sh, sh.URL(), sh.Domain()
	d.Token = sh.Install(d.ClientID, d.Scopes)
	return d, nil
}

// Close stops the demo shop.
func (d *Demo) Close() error { return d.Server.Close() }

// DemoCatalog is a small built-in catalog: outdoor gear and coffee, with options and stock at
// both locations. Written for the simulator; no sample files are copied.
func DemoCatalog() []Product {
	type item struct {
		title, vendor, kind, option string
		values                      []string
		price                       float64
		tags                        string
	}
	items := []item{
		{"Ridgeline Daypack 22L", "Northpine", "Backpacks", "Color", []string{"Moss", "Slate"}, 89, "hiking,bags"},
		{"Summit Trekking Poles", "Northpine", "Hiking", "", nil, 64.5, "hiking"},
		{"Lakeside Camp Chair", "Oxbow Outfitters", "Camp Furniture", "", nil, 45, "camping"},
		{"Ember Titanium Mug 450ml", "Oxbow Outfitters", "Camp Kitchen", "", nil, 29, "camping,kitchen"},
		{"Drift Down Jacket", "Northpine", "Jackets", "Size", []string{"S", "M", "L", "XL"}, 189, "apparel,winter"},
		{"Trailhead Merino Socks", "Northpine", "Socks", "Size", []string{"S", "M", "L"}, 18, "apparel"},
		{"Basecamp Headlamp 300", "Lumen Works", "Lighting", "", nil, 39.95, "camping,lighting"},
		{"Morning Ridge Espresso Beans", "Copper Kettle Roasters", "Coffee", "Weight", []string{"250g", "1kg"}, 14.5, "coffee"},
		{"Highland Decaf Filter Roast", "Copper Kettle Roasters", "Coffee", "Grind", []string{"Whole bean", "Filter", "Espresso"}, 13, "coffee,decaf"},
		{"Ceramic Pour-Over Dripper", "Copper Kettle Roasters", "Brewing", "Color", []string{"White", "Charcoal"}, 24, "coffee,brewing"},
		{"Insulated Trail Flask 750ml", "Oxbow Outfitters", "Bottles", "Color", []string{"Orange", "Navy"}, 34, "hiking,kitchen"},
		{"Canvas Map Case", "Lumen Works", "Accessories", "", nil, 22, "hiking"},
	}
	var out []Product
	for i, it := range items {
		p := Product{Title: it.title, Vendor: it.vendor, ProductType: it.kind, Tags: strings.Split(it.tags, ","),
			DescriptionHTML: fmt.Sprintf("<p>%s by %s.</p>", it.title, it.vendor), Status: "ACTIVE"}
		prefix := fmt.Sprintf("DEMO-%02d", i+1)
		price := fmt.Sprintf("%.2f", it.price)
		if it.option == "" {
			p.Variants = []Variant{{SKU: prefix, Price: price, InventoryPolicy: "DENY",
				Levels: []InventoryLevel{{LocationID: "Main warehouse", Available: 10 + i, OnHand: 10 + i},
					{LocationID: "Shop floor", Available: i % 4, OnHand: i % 4}}}}
		} else {
			p.Options = []Option{{Name: it.option, Values: it.values}}
			for j, v := range it.values {
				p.Variants = append(p.Variants, Variant{SKU: fmt.Sprintf("%s-%s", prefix, strings.ToUpper(strings.ReplaceAll(v, " ", ""))),
					Price: price, InventoryPolicy: "DENY", SelectedOptions: []SelectedOption{{Name: it.option, Value: v}},
					Levels: []InventoryLevel{{LocationID: "Main warehouse", Available: 4 + 3*j, OnHand: 4 + 3*j},
						{LocationID: "Shop floor", Available: j, OnHand: j}}})
			}
		}
		out = append(out, p)
	}
	return out
}
