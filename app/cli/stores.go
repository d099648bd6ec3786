package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/state"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// openWorkspace opens the user's workspace (or the one under env.ConfigDir).
func openWorkspace(env Env) (*workspace.Workspace, error) {
	return workspace.Open(workspace.Options{Dir: env.ConfigDir, Secrets: env.Secrets})
}

// openStore opens the workspace and finds the store the user named. The
// caller closes the workspace.
func openStore(ctx context.Context, env Env, ref string) (*workspace.Workspace, state.Store, error) {
	w, err := openWorkspace(env)
	if err != nil {
		return nil, state.Store{}, err
	}
	s, err := w.Find(ctx, ref)
	if err != nil {
		w.Close()
		return nil, state.Store{}, err
	}
	return w, s, nil
}

// secretFlag reads a secret from the flag, else from the environment
// variable, so secrets need not appear in shell history. A flag value of
// "-" reads the secret from the first line of standard input instead: an
// argument shows in every user's process list (ps) while the command runs.
func secretFlag(env Env, value, envName string) string {
	if value == "-" {
		if env.Stdin == nil {
			return ""
		}
		line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		return strings.TrimSpace(line)
	}
	if value != "" {
		return value
	}
	return env.getenv(envName)
}

func init() {
	register(&command{
		name:    "connect",
		summary: "Connect a store (pasted token, OAuth sign-in, or client credentials)",
		usage:   "connect --shop DOMAIN (--token T | --oauth --client-id ID [--host localhost] [--port P] | --client-credentials --client-id ID) [--name NAME] [--group CLIENT]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			shop := fs.String("shop", "", "the store: mystore, mystore.myshopify.com or its admin URL")
			token := fs.String("token", "", "Admin API access token of a custom app; - reads it from standard input (or set SHELFSYNC_ACCESS_TOKEN)")
			useOAuth := fs.Bool("oauth", false, "sign in with Shopify in the browser (authorization code, offline access)")
			cc := fs.Bool("client-credentials", false, "client-credentials grant (apps of your own organisation)")
			clientID := fs.String("client-id", "", "the app's client ID from the Dev Dashboard")
			clientSecret := fs.String("client-secret", "", "the app's client secret; - reads it from standard input (or set SHELFSYNC_CLIENT_SECRET)")
			port := fs.Int("port", oauth.DefaultPort, "loopback port of the OAuth redirect URL http://127.0.0.1:PORT/callback")
			host := fs.String("host", oauth.RedirectHosts[0], "host of the OAuth redirect URL as registered in the app: "+strings.Join(oauth.RedirectHosts, " or "))
			nonExpiring := fs.Bool("non-expiring", false, "ask for a non-expiring offline token (default: expiring + refresh)")
			name := fs.String("name", "", "display name (default: the shop's name)")
			group := fs.String("group", "", "agency client the store belongs to")
			shopURL := fs.String("shop-url", "", "talk to a simulated shop at this loopback URL (see 'shelfsync demo')")
			return func(ctx context.Context, env Env, _ []string) error {
				if *shop == "" {
					return fmt.Errorf("%w: --shop is required", errUsage)
				}
				ways := 0
				for _, b := range []bool{*token != "" || (!*useOAuth && !*cc), *useOAuth, *cc} {
					if b {
						ways++
					}
				}
				if ways != 1 {
					return fmt.Errorf("%w: choose one of --token, --oauth or --client-credentials", errUsage)
				}
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				secret := secretFlag(env, *clientSecret, "SHELFSYNC_CLIENT_SECRET")
				var s workspace.StoreSummary
				switch {
				case *useOAuth:
					if *clientID == "" || secret == "" {
						return fmt.Errorf("%w: --oauth needs --client-id and a client secret", errUsage)
					}
					if !slices.Contains(oauth.RedirectHosts, *host) {
						return fmt.Errorf("%w: --host is %s, as registered in the app's redirect URL", errUsage, strings.Join(oauth.RedirectHosts, " or "))
					}
					s, err = connectOAuth(ctx, env, w, workspace.OAuthRequest{
						Shop: *shop, ClientID: *clientID, ClientSecret: secret, Port: *port, RedirectHost: *host,
						NonExpiring: *nonExpiring, Name: *name, Group: *group, BaseURL: *shopURL,
					})
				case *cc:
					if *clientID == "" || secret == "" {
						return fmt.Errorf("%w: --client-credentials needs --client-id and a client secret", errUsage)
					}
					s, err = w.ConnectClientCredentials(ctx, workspace.ClientCredentialsRequest{
						Shop: *shop, ClientID: *clientID, ClientSecret: secret, Name: *name, Group: *group, BaseURL: *shopURL,
					})
				default:
					tok := secretFlag(env, *token, "SHELFSYNC_ACCESS_TOKEN")
					if tok == "" {
						return fmt.Errorf("%w: give --token or set SHELFSYNC_ACCESS_TOKEN", errUsage)
					}
					s, err = w.ConnectToken(ctx, workspace.TokenRequest{Shop: *shop, Token: tok, Name: *name, Group: *group, BaseURL: *shopURL})
				}
				if err != nil {
					return withFix(err)
				}
				fmt.Fprintf(env.Stdout, "Connected %s (%s): %s\n", s.Name, s.Shop, s.HealthText)
				if w.SessionOnly() {
					fmt.Fprintln(env.Stderr, "Warning: "+oauth.NotSaved{}.Title()+". "+oauth.NotSaved{}.Fix())
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "stores",
		summary: "List connected stores with their health",
		usage:   "stores [--json]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, env Env, _ []string) error {
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				stores, err := w.Stores(ctx)
				if err != nil {
					return err
				}
				if *asJSON {
					return writeJSON(env.Stdout, stores)
				}
				if len(stores) == 0 {
					fmt.Fprintln(env.Stdout, "No stores yet. Connect one with 'shelfsync connect --shop mystore --token …'.")
					return nil
				}
				tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tSHOP\tCLIENT\tHEALTH\tLAST RUN\tID")
				for _, s := range stores {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, s.Shop, dash(s.Group), s.HealthText, lastRun(s.LastRun), s.ID[:8])
				}
				return tw.Flush()
			}
		},
	})
	register(&command{
		name:    "status",
		summary: "Check stores' tokens with Shopify (exit 3 when one needs attention)",
		usage:   "status [STORE] [--json] [--offline]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			asJSON := fs.Bool("json", false, "print JSON")
			offline := fs.Bool("offline", false, "show what was last seen instead of asking Shopify")
			return func(ctx context.Context, env Env, args []string) error {
				w, err := openWorkspace(env)
				if err != nil {
					return err
				}
				defer w.Close()
				all, err := statuses(ctx, w, args, !*offline)
				if err != nil {
					return err
				}
				attention := 0
				for _, st := range all {
					if st.Health == workspace.HealthAttention || st.Health == workspace.HealthOffline || st.Health == workspace.HealthExpiring {
						attention++
					}
				}
				if *asJSON {
					if err := writeJSON(env.Stdout, all); err != nil {
						return err
					}
				} else {
					for _, st := range all {
						printStatus(env.Stdout, st)
					}
				}
				if attention > 0 {
					return attentionError{fmt.Sprintf("%d of %d stores need attention", attention, len(all))}
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "disconnect",
		summary: "Disconnect a store and delete its secrets from the keychain",
		usage:   "disconnect STORE",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			return func(ctx context.Context, env Env, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("%w: name the store to disconnect", errUsage)
				}
				w, s, err := openStore(ctx, env, args[0])
				if err != nil {
					return err
				}
				defer w.Close()
				if err := w.Disconnect(ctx, s.ID); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "Disconnected %s (%s); its secrets are gone from the keychain.\n", s.Name, s.ShopDomain)
				return nil
			}
		},
	})
	register(&command{
		name:    "switch-token",
		summary: "Switch a store's non-expiring OAuth token to an expiring one that Shelfsync renews",
		usage:   "switch-token STORE [--yes]",
		flags: func(fs *flag.FlagSet) func(context.Context, Env, []string) error {
			yes := fs.Bool("yes", false, "switch without asking")
			return func(ctx context.Context, env Env, args []string) error {
				if len(args) != 1 {
					return fmt.Errorf("%w: name the store to switch", errUsage)
				}
				w, s, err := openStore(ctx, env, args[0])
				if err != nil {
					return err
				}
				defer w.Close()
				fmt.Fprintf(env.Stdout, "Shopify replaces %s's non-expiring token with one that lasts an hour and a refresh token\n"+
					"Shelfsync renews it with. It is done once and can't be undone; the old token stops working at\n"+
					"once, so another computer or tool that uses it must reconnect. Public apps must switch by 2027-01-01.\n",
					s.ShopDomain)
				if !*yes && !confirm(env, "Switch now? [y/N] ") {
					return attentionError{"Not switched."}
				}
				st, err := w.SwitchToExpiring(ctx, s.ID)
				if err != nil {
					return withFix(err)
				}
				printStatus(env.Stdout, st)
				return nil
			}
		},
	})
}

// statuses returns the token status of the store args names, or of every
// store; with check, asked of Shopify now (every store at once).
func statuses(ctx context.Context, w *workspace.Workspace, args []string, check bool) ([]workspace.TokenStatus, error) {
	if len(args) > 0 {
		s, err := w.Find(ctx, args[0])
		if err != nil {
			return nil, err
		}
		st, err := w.TokenStatus(ctx, s.ID, check)
		return []workspace.TokenStatus{st}, err
	}
	if check {
		results, err := w.CheckAll(ctx)
		if err != nil {
			return nil, err
		}
		all := make([]workspace.TokenStatus, 0, len(results))
		for _, r := range results {
			if r.Err != nil {
				return nil, fmt.Errorf("%s: %w", r.StoreName, r.Err)
			}
			all = append(all, r.Status)
		}
		return all, nil
	}
	stores, err := w.Stores(ctx)
	if err != nil {
		return nil, err
	}
	all := make([]workspace.TokenStatus, 0, len(stores))
	for _, s := range stores {
		st, err := w.TokenStatus(ctx, s.ID, false)
		if err != nil {
			return nil, err
		}
		all = append(all, st)
	}
	return all, nil
}

func printStatus(out io.Writer, st workspace.TokenStatus) {
	fmt.Fprintf(out, "%s (%s)\n", dash(st.ShopName), st.Shop)
	fmt.Fprintf(out, "  State:        %s\n", st.Title)
	if st.Fix != "" {
		fmt.Fprintf(out, "  To fix:       %s\n", st.Fix)
	}
	fmt.Fprintf(out, "  Connection:   %s\n", st.KindLabel)
	fmt.Fprintf(out, "  Token:        %s\n", st.MaskedToken)
	fmt.Fprintf(out, "  Expires:      %s\n", when(st.ExpiresAt, "never"))
	if !st.RefreshExpiresAt.IsZero() {
		fmt.Fprintf(out, "  Refresh ends: %s\n", when(st.RefreshExpiresAt, ""))
	}
	fmt.Fprintf(out, "  Plan:         %s\n", dash(st.Plan))
	fmt.Fprintf(out, "  Scopes:       %s\n", strings.Join(st.Granted, ", "))
	if len(st.Missing) > 0 {
		fmt.Fprintf(out, "  Missing:      %s\n", strings.Join(st.Missing, ", "))
	}
	fmt.Fprintf(out, "  Verified:     %s\n\n", when(st.LastVerified, "never"))
}

func when(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func lastRun(r *workspace.RunSummary) string {
	if r == nil {
		return "never"
	}
	return fmt.Sprintf("%s %s (+%d ~%d !%d)", r.Started.Local().Format("01-02 15:04"), r.State, r.Created, r.Updated, r.Errors+r.Conflicts)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// withFix appends what to do, when oauth knows, to a connection error.
func withFix(err error) error {
	if fix := oauth.Fix(err); fix != "" && !strings.Contains(err.Error(), fix) {
		return fmt.Errorf("%w\nTo fix: %s", err, fix)
	}
	return err
}

var errNoBrowser = errors.New("no browser could be opened")
