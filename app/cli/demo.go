package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func init() {
	register(&command{
		name:    "demo",
		summary: "Run the simulated demo store in the foreground (loopback only)",
		usage:   "demo [--addr 127.0.0.1:PORT]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on")
			return func(ctx context.Context, env Env, _ []string) error {
				d, err := workspace.StartDemoShop(workspace.DemoOptions{Addr: *addr})
				if err != nil {
					return err
				}
				defer d.Close()
				// These are credentials of a simulated shop that lives only in this
				// process; printing them is the point of the command.
				fmt.Fprintf(env.Stdout, "Simulated Shopify store running. Press Ctrl+C to stop.\n\n")
				fmt.Fprintf(env.Stdout, "  Base URL:       %s\n", d.URL())
				fmt.Fprintf(env.Stdout, "  Shop domain:    %s\n", workspace.DemoShopDomain)
				fmt.Fprintf(env.Stdout, "  Access token:   %s\n", d.Token)
				fmt.Fprintf(env.Stdout, "  Client ID:      %s\n", d.ClientID)
				fmt.Fprintf(env.Stdout, "  Client secret:  %s\n", d.ClientSecret)
				fmt.Fprintf(env.Stdout, "  Redirect URL:   %s\n\n", oauth.RedirectURL(oauth.DefaultPort))
				fmt.Fprintf(env.Stdout, "Try:\n  shelfsync connect --shop %s --shop-url %s --token %s\n", workspace.DemoShopDomain, d.URL(), d.Token)
				fmt.Fprintf(env.Stdout, "  curl -s -H 'X-Shopify-Access-Token: %s' -H 'Content-Type: application/json' \\\n", d.Token)
				fmt.Fprintf(env.Stdout, "    -d '{\"query\":\"{ shop { name plan { publicDisplayName } } }\"}' %s/admin/api/2026-04/graphql.json\n", d.URL())
				<-ctx.Done()
				return nil
			}
		},
	})
}
