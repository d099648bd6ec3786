package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/shelfsync/shelfsync/assets"
	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/catalog"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/source"
)

// DemoShopDomain is the built-in simulated store's domain.
const DemoShopDomain = "shelfsync-demo.myshopify.com"

// DemoShop is the built-in simulated store: a fakeshop on loopback, seeded
// with the demo catalog, with a registered app Shelfsync can sign in to.
type DemoShop struct {
	Server       *fakeshop.Server
	Shop         *fakeshop.Shop
	ClientID     string
	ClientSecret string
	Token        string // a ready custom-app token, for curl and 'shelfsync demo'
	redirects    []string
}

// DemoOptions configures StartDemoShop.
type DemoOptions struct {
	Addr         string   // listen address, e.g. 127.0.0.1:8765; "" picks a free port
	RedirectURIs []string // extra OAuth redirect URLs to register for the demo app
	TimeScale    float64
}

// StartDemoShop starts a simulated shop seeded with the demo catalog.
func StartDemoShop(opts DemoOptions) (*DemoShop, error) {
	cat, err := source.ReadCSV(bytes.NewReader(assets.DemoStoreCSV), source.Options{})
	if err != nil {
		return nil, fmt.Errorf("read the demo catalog: %w", err)
	}
	redirects := append([]string{oauth.RedirectURL(oauth.DefaultPort)}, opts.RedirectURIs...)
	demo, err := fakeshop.StartDemo(fakeshop.DemoOptions{
		Addr: opts.Addr, RedirectURIs: redirects, TimeScale: opts.TimeScale,
		ShopName: strings.TrimSuffix(DemoShopDomain, ".myshopify.com"),
		Catalog:  demoProducts(cat, []string{"Main warehouse", "Shop floor"}),
	})
	if err != nil {
		return nil, fmt.Errorf("start the demo store: %w", err)
	}
	return &DemoShop{Server: demo.Server, Shop: demo.Shop, ClientID: demo.ClientID, ClientSecret: demo.ClientSecret,
		Token: demo.Token, redirects: redirects}, nil
}

// allowRedirect registers one more redirect URL for the demo app.
func (d *DemoShop) allowRedirect(u string) {
	d.redirects = append(d.redirects, u)
	d.Server.RegisterApp(fakeshop.App{
		Title: "Shelfsync (demo)", ClientID: d.ClientID, ClientSecret: d.ClientSecret,
		RedirectURIs: d.redirects, Scopes: oauth.NeededScopes(), OwnOrganization: true,
	})
}

// URL is the simulated shop's base URL.
func (d *DemoShop) URL() string { return d.Shop.URL() }

// Close stops the simulated shop.
func (d *DemoShop) Close() { d.Server.Close() }

// demoProducts turns the demo catalog into the simulator's products: stock
// in the first location, a few units in the second.
func demoProducts(cat *catalog.Catalog, locs []string) []fakeshop.Product {
	out := make([]fakeshop.Product, 0, len(cat.Products))
	for _, p := range cat.Products {
		fp := fakeshop.Product{Handle: p.Handle, Title: p.Title, DescriptionHTML: p.DescriptionHTML, Vendor: p.Vendor,
			ProductType: p.ProductType, Tags: p.Tags, Status: strings.ToUpper(p.Status)}
		for i, name := range p.Options {
			opt := fakeshop.Option{Name: name, Position: i + 1}
			seen := map[string]bool{}
			for _, v := range p.Variants {
				if val := v.OptionValues[i]; !seen[val] {
					seen[val] = true
					opt.Values = append(opt.Values, val)
				}
			}
			fp.Options = append(fp.Options, opt)
		}
		for i, v := range p.Variants {
			fv := fakeshop.Variant{SKU: v.SKU, Barcode: v.Barcode, Price: v.Price.String(), InventoryPolicy: v.InventoryPolicy,
				Position: i + 1, Tracked: true}
			if v.CompareAtPrice != 0 {
				fv.CompareAtPrice = v.CompareAtPrice.String()
			}
			for j, name := range p.Options {
				fv.SelectedOptions = append(fv.SelectedOptions, fakeshop.SelectedOption{Name: name, Value: v.OptionValues[j]})
			}
			qty, _ := v.Quantities.Get(catalog.DefaultLocation)
			if len(locs) > 0 {
				fv.Levels = append(fv.Levels, fakeshop.InventoryLevel{LocationID: locs[0], Available: qty, OnHand: qty})
			}
			if len(locs) > 1 {
				floor := qty % 5
				fv.Levels = append(fv.Levels, fakeshop.InventoryLevel{LocationID: locs[1], Available: floor, OnHand: floor})
			}
			fp.Variants = append(fp.Variants, fv)
		}
		out = append(out, fp)
	}
	return out
}

// ConnectDemo starts the demo store (once per session) and connects it
// through the real OAuth flow: the loopback listener, the authorize page, the
// signed callback and the code exchange. A built-in robot plays the browser
// and presses Install, so the demo works on machines without one.
func (w *Workspace) ConnectDemo(ctx context.Context, progress func(step string)) (StoreSummary, error) {
	if progress == nil {
		progress = func(string) {}
	}
	progress("Starting the simulated store on this computer…")
	w.mu.Lock()
	d := w.demo
	w.mu.Unlock()
	if d == nil {
		var err error
		if d, err = StartDemoShop(DemoOptions{}); err != nil {
			return StoreSummary{}, err
		}
		w.mu.Lock()
		w.demo = d
		w.mu.Unlock()
	}
	port, err := freePort()
	if err != nil {
		return StoreSummary{}, err
	}
	d.allowRedirect(oauth.RedirectURL(port))
	progress("Signing in with Shopify's OAuth flow (the demo presses Install for you)…")
	return w.ConnectOAuth(ctx, OAuthRequest{
		Shop: DemoShopDomain, ClientID: d.ClientID, ClientSecret: d.ClientSecret, Port: port,
		Name: "Demo store", BaseURL: d.URL(),
		OpenBrowser: func(authURL string) error { return pressInstall(ctx, authURL) },
	})
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// pressInstall does what a merchant does in the browser: open the
// authorize page and press Install, following the redirect to Shelfsync's
// loopback listener. Only for the loopback demo store.
func pressInstall(ctx context.Context, authURL string) error {
	u, err := url.Parse(authURL)
	if err != nil || !oauth.IsLoopbackHost(u.Hostname()) {
		return errors.New("the demo robot only signs in to the simulated store")
	}
	_, err = fakeshop.PressInstall(ctx, authURL, true)
	return err
}

// ForgetStaleDemo removes the demo store left from an earlier session: the
// simulated shop lived in that process and is gone. The window calls it at
// start; the command line does not, so it never removes a demo store a
// running window is using.
func (w *Workspace) ForgetStaleDemo(ctx context.Context) error {
	stores, err := w.db.ListStores(ctx)
	if err != nil {
		return err
	}
	for _, s := range stores {
		if s.ShopDomain == DemoShopDomain && isLoopbackURL(s.BaseURL) {
			if err := w.Disconnect(ctx, s.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && oauth.IsLoopbackHost(u.Hostname())
}

func demoSheet() []byte { return assets.DemoSheetCSV }
