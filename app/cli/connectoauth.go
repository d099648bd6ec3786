package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"strings"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// connectOAuth runs the loopback sign-in from the command line. Besides the
// browser coming back by itself, the merchant may paste the address the
// browser ended on (one line on stdin): it is checked exactly like a real
// answer (oauth.CallbackPaste), so a terminal on a server without a browser,
// or a sign-in whose redirect never arrived, still completes.
func connectOAuth(ctx context.Context, env Env, w *workspace.Workspace, req workspace.OAuthRequest) (workspace.StoreSummary, error) {
	host := req.RedirectHost
	fmt.Fprintf(env.Stderr, "Your app in the Dev Dashboard needs (character for character):\n"+
		"  Redirect URL: %s\n  App URL:      %s\n  Embed app in Shopify admin: off\n  Scopes:       %s\n",
		oauth.RedirectURLFor(host, req.Port), oauth.AppURLFor(host, req.Port), strings.Join(oauth.NeededScopes(), ", "))
	req.OpenBrowser = env.openBrowser
	ready := req.Ready
	req.Ready = func(u string) {
		fmt.Fprintf(env.Stderr, "Opening your browser to approve Shelfsync. If it does not open, visit:\n  %s\n", u)
		if env.Stdin != nil {
			fmt.Fprintln(env.Stderr, "If your browser does not come back to Shelfsync (\"Connected\" page), paste the address it ended on here and press Enter.")
		}
		if ready != nil {
			ready(u)
		}
	}
	if env.Stdin == nil {
		return w.ConnectOAuth(ctx, req)
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	req.Paste = oauth.NewCallbackPaste()
	go pasteLines(ctx, env, req.Paste)
	return w.ConnectOAuth(ctx, req)
}

// pasteLines hands each non-empty line of stdin to the waiting sign-in and
// says what became of it. It stops at the end of stdin or when the sign-in
// is over.
func pasteLines(ctx context.Context, env Env, paste *oauth.CallbackPaste) {
	lines := make(chan string)
	go func() { // a read can't be interrupted; this goroutine ends with stdin
		defer close(lines)
		sc := bufio.NewScanner(env.Stdin)
		sc.Buffer(make([]byte, 0, 4096), 64*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		var line string
		select {
		case <-ctx.Done():
			return
		case l, ok := <-lines:
			if !ok {
				return
			}
			line = strings.TrimSpace(l)
		}
		if line == "" {
			continue
		}
		switch err := paste.Submit(ctx, line); {
		case err == nil:
			fmt.Fprintln(env.Stderr, "That is Shopify's answer; finishing the sign-in…")
		case errors.Is(err, context.Canceled):
			return
		case errors.Is(err, oauth.ErrNotCallback), errors.Is(err, oauth.ErrEndedOnShopify):
			fmt.Fprintf(env.Stderr, "%s\nStill waiting: paste another address, or press Ctrl+C to stop.\n", pasteWords(err))
		default: // forged, denied or already answered: the sign-in reports it
			return
		}
	}
}

// pasteWords is a paste error as a sentence.
func pasteWords(err error) string {
	s := err.Error()
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// openBrowser opens the sign-in page: Env.OpenBrowser in tests, else the
// system browser.
func (e Env) openBrowser(url string) error {
	if e.OpenBrowser != nil {
		return e.OpenBrowser(url)
	}
	return openSystemBrowser(url)
}
