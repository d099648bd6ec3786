package app

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/shopify/fakeshop"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

func newTestConnect(t *testing.T, b *fakeBackend) (*connectView, fyne.Window) {
	t.Helper()
	_, w := newTestWindow(t, b)
	v := newConnectView(b, w, nil)
	v.settled = func(what string) { b.ui <- what }
	v.online = func(context.Context) bool { return true }
	v.show()
	return v, w
}

func TestConnectDialogValidatesBeforeSending(t *testing.T) {
	b := newFakeBackend()
	v, _ := newTestConnect(t, b)
	v.selectWay(wayToken)
	test.Type(v.shop, "not a shop!")
	test.Type(v.token, "shpat_0123456789abcdef0123456789abcdef")
	test.Tap(v.connectBtn)
	if len(b.connects) != 0 {
		t.Fatal("an invalid shop was sent to the backend")
	}
	if !strings.HasPrefix(v.message.Text, "Shop:") {
		t.Fatalf("message %q", v.message.Text)
	}
	v.shop.SetText("https://acme.myshopify.com/admin/products")
	test.Tap(v.connectBtn)
	wait(t, b, "connect")
	b.mu.Lock()
	req := b.connects[0].(workspace.TokenRequest)
	b.mu.Unlock()
	if req.Token != "shpat_0123456789abcdef0123456789abcdef" || req.Shop != "https://acme.myshopify.com/admin/products" {
		t.Fatalf("request %+v", req)
	}
}

// TestConnectTokenFormCheckedBeforeSending: a client secret pasted as the
// token is caught before anything goes to Shopify.
func TestConnectTokenFormCheckedBeforeSending(t *testing.T) {
	b := newFakeBackend()
	v, _ := newTestConnect(t, b)
	v.selectWay(wayToken)
	v.shop.SetText("acme")
	for tok, want := range map[string]string{
		"shpss_0123456789abcdef0123456789abcdef": "client secret",
		"0123456789abcdef":                       "starts with shpat_",
		"shpat_0123":                             "cut short",
	} {
		v.token.SetText(tok)
		test.Tap(v.connectBtn)
		if !strings.Contains(v.message.Text, want) {
			t.Errorf("token %q: message %q, want %q", tok, v.message.Text, want)
		}
	}
	if len(b.connects) != 0 {
		t.Fatalf("a malformed token was sent: %v", b.connects)
	}
}

// TestConnectErrorShowsInDialogWithFieldsKept: progress shows at once, the
// error shows in the dialog (not behind it) in a merchant's words, and the
// typed fields stay.
func TestConnectErrorShowsInDialogWithFieldsKept(t *testing.T) {
	b := newFakeBackend()
	v, w := newTestConnect(t, b)
	top := w.Canvas().Overlays().Top()
	b.err = &oauth.TokenError{Op: "inspect", Status: 401, Class: oauth.ErrReconnect, Description: "Shopify refused the token"}
	v.selectWay(wayToken)
	v.shop.SetText("acme")
	v.token.SetText("shpat_0123456789abcdef0123456789abcdef")
	b.mu.Lock() // hold the backend: the dialog must show progress before it answers
	test.Tap(v.connectBtn)
	if v.bar.Hidden || !v.connectBtn.Disabled() || !strings.Contains(v.message.Text, "Checking") {
		b.mu.Unlock()
		t.Fatalf("no progress at once: bar hidden %v, message %q", v.bar.Hidden, v.message.Text)
	}
	b.mu.Unlock()
	wait(t, b, "connect")
	if got := w.Canvas().Overlays().Top(); got != top {
		t.Fatal("the Connect dialog is no longer on top: the error went elsewhere")
	}
	if !strings.Contains(v.message.Text, "This token was refused") || v.next.Text == "" {
		t.Fatalf("message %q / %q", v.message.Text, v.next.Text)
	}
	if v.shop.Text != "acme" || v.token.Text == "" || v.connectBtn.Disabled() {
		t.Fatal("the fields were not kept for another try")
	}
}

// TestConnectOfflineSaysWhichPart tells "no internet" from "no such shop".
func TestConnectOfflineSaysWhichPart(t *testing.T) {
	b := newFakeBackend()
	v, _ := newTestConnect(t, b)
	b.err = &oauth.TokenError{Op: "inspect", Class: oauth.ErrOffline, Description: "no such host"}
	v.selectWay(wayToken)
	v.shop.SetText("acme")
	v.token.SetText("shpat_0123456789abcdef0123456789abcdef")
	for online, want := range map[bool]string{true: "This shop does not exist", false: "No internet"} {
		v.online = func(context.Context) bool { return online }
		test.Tap(v.connectBtn)
		wait(t, b, "connect")
		if !strings.HasPrefix(v.message.Text, want) || strings.Contains(v.message.Text, "inspect") {
			t.Errorf("online=%v: %q, want %q", online, v.message.Text, want)
		}
	}
}

// TestConnectLongHintKeepsLayout: typing "my store" shows the long hint
// wrapped; the dialog does not widen and the buttons do not move.
func TestConnectLongHintKeepsLayout(t *testing.T) {
	b := newFakeBackend()
	v, w := newTestConnect(t, b)
	w.Resize(fyne.NewSize(1100, 720))
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.connectBtn)
	test.Type(v.shop, "my store")
	if !strings.Contains(v.message.Text, "not a Shopify store address") {
		t.Fatalf("hint %q", v.message.Text)
	}
	if got := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.connectBtn); got != pos {
		t.Fatalf("Connect moved from %v to %v", pos, got)
	}
	if mw := w.Canvas().Overlays().Top().MinSize().Width; mw > connectSize.Width {
		t.Fatalf("the dialog wants %v wide, more than %v", mw, connectSize.Width)
	}
}

// TestConnectShowsTheWaysAndSettings: the three ways with one line each,
// a guide, and every Dev Dashboard setting with the chosen host.
func TestConnectShowsTheWaysAndSettings(t *testing.T) {
	b := newFakeBackend()
	v, w := newTestConnect(t, b)
	if len(v.ways.Options) != 3 || v.method() != wayOAuth {
		t.Fatalf("ways %v, selected %q", v.ways.Options, v.method())
	}
	if v.redirect.Text != "http://127.0.0.1:13388/callback" || v.settings.appURL.Text != "http://127.0.0.1:13388" ||
		v.settings.embed.Text != "off" || !strings.Contains(v.settings.scopes.Text, "write_inventory") {
		t.Fatalf("settings %q %q %q %q", v.redirect.Text, v.settings.appURL.Text, v.settings.embed.Text, v.settings.scopes.Text)
	}
	v.host.SetSelected("localhost")
	if v.redirect.Text != "http://localhost:13388/callback" || v.settings.appURL.Text != "http://localhost:13388" {
		t.Fatalf("localhost settings %q %q", v.redirect.Text, v.settings.appURL.Text)
	}
	v.shop.SetText("acme")
	v.oauthID.SetText("id")
	v.oauthSecret.SetText("secret")
	test.Tap(v.connectBtn)
	wait(t, b, "auth-url")
	b.mu.Lock()
	req := b.connects[0].(workspace.OAuthRequest)
	b.mu.Unlock()
	if req.RedirectHost != "localhost" || req.Paste == nil {
		t.Fatalf("request host %q paste %v", req.RedirectHost, req.Paste)
	}
	if v.authURL.Text == "" || v.copyURL.Hidden || v.pasteRow.Hidden {
		t.Fatal("the sign-in link or the paste field is not shown")
	}
	test.Tap(v.cancelBtn) // stops the sign-in, keeps the dialog
	wait(t, b, "connect")
	if !strings.HasPrefix(v.message.Text, "Cancelled") || v.oauthID.Text != "id" {
		t.Fatalf("after Cancel: %q", v.message.Text)
	}
	test.Tap(v.guideBtn)
	if !hasLabel(w.Canvas().Overlays().Top(), "Embed app in Shopify admin") {
		t.Fatal("the guide does not list the embedding setting")
	}
}

// withBase points the OAuth sign-in at the simulator.
type withBase struct {
	Backend
	base string
}

func (b withBase) ConnectOAuth(ctx context.Context, req workspace.OAuthRequest) (workspace.StoreSummary, error) {
	req.BaseURL = b.base
	return b.Backend.ConnectOAuth(ctx, req)
}

// TestConnectPasteCallback: the browser never comes back (it stays on the
// redirect it was given), the merchant pastes that address, the store is
// connected: the real workspace, oauth flow and simulated Shopify.
func TestConnectPasteCallback(t *testing.T) {
	srv := fakeshop.NewServer(fakeshop.Options{})
	t.Cleanup(func() { _ = srv.Close() })
	shop, err := srv.AddShop("paste-store", fakeshop.PlanGrow)
	if err != nil {
		t.Fatal(err)
	}
	port := freeLoopbackPort(t)
	srv.RegisterApp(fakeshop.App{ClientID: "cid", ClientSecret: "shpss_0123456789abcdef",
		RedirectURIs: []string{oauth.RedirectURL(port)}, AppURL: oauth.AppURLFor("127.0.0.1", port), Scopes: oauth.NeededScopes()})
	ws, err := workspace.Open(workspace.Options{Dir: t.TempDir(), Secrets: oauth.NewMemorySecrets(), Now: srv.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	fb := newFakeBackend()
	_, w := newTestWindow(t, fb)
	connected := make(chan workspace.StoreSummary, 1)
	v := newConnectView(withBase{ws, shop.URL()}, w, func(s workspace.StoreSummary) { connected <- s })
	v.settled = func(what string) { fb.ui <- what }
	v.show()
	v.shop.SetText(shop.Domain())
	v.oauthID.SetText("cid")
	v.oauthSecret.SetText("shpss_0123456789abcdef")
	v.port.SetText(itoa(port))
	test.Tap(v.connectBtn)
	wait(t, fb, "auth-url")

	// The merchant presses Install; the browser is redirected but never arrives.
	ended, err := fakeshop.PressInstall(context.Background(), v.authURL.Text, false)
	if err != nil {
		t.Fatal(err)
	}

	test.Type(v.pasteEntry, shop.URL()+"/admin/apps") // first the wrong page
	test.Tap(v.pasteBtn)
	wait(t, fb, "paste")
	if !strings.Contains(v.message.Text, "Shopify page") {
		t.Fatalf("pasting a Shopify page: %q", v.message.Text)
	}
	v.pasteEntry.SetText(ended)
	test.Tap(v.pasteBtn)
	select {
	case s := <-connected:
		if s.Shop != shop.Domain() {
			t.Fatalf("connected %+v", s)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("not connected after the paste: %q %q", v.message.Text, v.next.Text)
	}
}

func TestConnectTroubleWords(t *testing.T) {
	for _, tc := range []struct {
		way  string
		err  error
		want string
	}{
		{wayOAuth, oauth.ErrFlowTimeout, "cancelled or no answer"},
		{wayOAuth, errors.Join(oauth.ErrRedirectRefused, errors.New("x: Oauth error invalid_request: The redirect_uri and application url must have matching hosts")), "matching hosts"},
		{wayCC, &oauth.TokenError{Op: "client credentials", Status: 400, Code: "shop_not_permitted", Class: oauth.ErrRejected}, "client credentials on this store"},
		{wayCC, &oauth.TokenError{Op: "client credentials", Status: 401, Code: "invalid_client", Class: oauth.ErrReconnect}, "client ID and secret were refused"},
		{wayToken, &oauth.TokenError{Op: "inspect", Status: 404, Class: oauth.ErrReconnect}, "does not exist"},
		{wayToken, oauth.ErrUnavailable, "keychain is locked or missing"},
	} {
		got := connectTrouble(tc.way, "acme.myshopify.com", tc.err, true)
		if !strings.Contains(got.what, tc.want) || got.next == "" {
			t.Errorf("%v: %q / %q, want %q", tc.err, got.what, got.next, tc.want)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// freeLoopbackPort finds a loopback port that is free right now.
func freeLoopbackPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
