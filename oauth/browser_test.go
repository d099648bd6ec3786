package oauth_test

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shelfsync/shelfsync/oauth"
)

// chromiumPath is where CI installs Chromium.
const chromiumPath = "/usr/bin/chromium"

// realBrowser returns an OpenBrowser function that drives headless
// Chromium: it opens the authorize page, clicks Install and waits for the
// loopback listener's page, whose text it sends on page.
func realBrowser(t *testing.T, ctx context.Context, page chan<- string) func(string) error {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the real-browser test drives Debian's Chromium; it runs on Linux CI")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("Chromium not installed at " + chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	// Start the browser now, so its start-up time does not count against the flow.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return func(authURL string) error {
		go func() {
			err := chromedp.Do(bctx,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.ID("install")),
				chromedp.Click(chromedp.ID("install")),
				chromedp.WaitVisible(chromedp.Search(`//p[contains(., "received Shopify")]`)),
			)
			var text string
			if err == nil {
				text, err = chromedp.Run(bctx, chromedp.Text(chromedp.CSS("body")))
			}
			if err != nil {
				text = "browser error: " + err.Error()
			}
			page <- text
		}()
		return nil
	}
}

// TestAuthorizeRealBrowser runs the whole sign-in in headless Chromium:
// the simulator's authorize page, a click on Install (a form POST), the
// simulator's redirect to the loopback listener, and the grant coming back.
func TestAuthorizeRealBrowser(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	sim := newSimulated(t, false)
	page := make(chan string, 1)
	cfg := sim.flow()
	cfg.OpenBrowser = realBrowser(t, ctx, page)
	cfg.Timeout = 45 * time.Second

	tok, err := oauth.Authorize(ctx, cfg)
	if err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	if tok.Kind != oauth.KindExpiring || tok.RefreshToken == "" {
		t.Fatalf("token %v", tok)
	}
	text := <-page
	if !strings.Contains(text, "received Shopify's answer") {
		t.Fatalf("browser showed %q", text)
	}
	assertNoSecret(t, "page", text, tok.AccessToken, sim.app.ClientSecret)
}
