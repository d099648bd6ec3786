package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// connectView is the Connect dialog: one shop, three ways in.
type connectView struct {
	backend Backend
	win     fyne.Window
	done    func(workspace.StoreSummary)
	settled settledFunc

	shop, name, group     *widget.Entry
	token                 *widget.Entry
	oauthID, oauthSecret  *widget.Entry
	port                  *widget.Entry
	redirect              *widget.Label
	nonExpiring           *widget.Check
	ccID, ccSecret        *widget.Entry
	tabs                  *container.AppTabs
	connectBtn, cancelBtn *widget.Button
	dlg                   dialog.Dialog
	progress              dialog.Dialog
	progressText, authURL *widget.Label
	copyURL               *widget.Button
	cancelFlow            context.CancelFunc
}

func newConnectView(b Backend, w fyne.Window, done func(workspace.StoreSummary)) *connectView {
	v := &connectView{backend: b, win: w, done: done}
	v.shop = widget.NewEntry()
	v.shop.SetPlaceHolder("mystore.myshopify.com")
	v.shop.Validator = func(s string) error { _, err := oauth.NormalizeShop(s); return err }
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder("optional: the shop's name")
	v.group = widget.NewEntry()
	v.group.SetPlaceHolder("optional: agency client, e.g. Acme Ltd")

	v.token = widget.NewPasswordEntry()
	v.token.SetPlaceHolder("shpat_…")
	tokenTab := widget.NewForm(widget.NewFormItem("Admin API access token", v.token))
	tokenHelp := widget.NewLabel("For an app created in the store's admin (Settings → Apps → Develop apps).\n" +
		"Shelfsync checks the token with Shopify before saving it in the system keychain.")

	v.oauthID = widget.NewEntry()
	v.oauthSecret = widget.NewPasswordEntry()
	v.port = widget.NewEntry()
	v.port.SetText(strconv.Itoa(oauth.DefaultPort))
	v.port.Validator = validPort
	v.port.OnChanged = func(string) { v.updateRedirect() }
	v.redirect = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	copyRedirect := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(v.redirect.Text)
	})
	v.nonExpiring = widget.NewCheck("Ask for a non-expiring token (older apps only)", nil)
	oauthTab := container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Client ID", v.oauthID),
			widget.NewFormItem("Client secret", v.oauthSecret),
			widget.NewFormItem("Loopback port", v.port),
		),
		widget.NewLabel("Add this exact redirect URL to your app in the Dev Dashboard:"),
		container.NewBorder(nil, nil, nil, copyRedirect, v.redirect),
		v.nonExpiring,
		widget.NewLabel("Shopify keeps one refreshable token per app and store: signing in from a second\n"+
			"computer retires this computer's refresh token (connect each store on one computer)."),
	)
	v.updateRedirect()

	v.ccID = widget.NewEntry()
	v.ccSecret = widget.NewPasswordEntry()
	ccTab := container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Client ID", v.ccID),
			widget.NewFormItem("Client secret", v.ccSecret),
		),
		widget.NewLabel("For an app of your own organisation installed on this store. Its tokens last\n"+
			"24 hours; Shelfsync gets a new one before each runs out."),
	)

	v.tabs = container.NewAppTabs(
		container.NewTabItem("Sign in with Shopify", oauthTab),
		container.NewTabItem("Admin API token", container.NewVBox(tokenTab, tokenHelp)),
		container.NewTabItem("Client credentials", ccTab),
	)
	v.connectBtn = widget.NewButtonWithIcon("Connect", theme.ConfirmIcon(), v.onConnect)
	v.connectBtn.Importance = widget.HighImportance
	v.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { v.dlg.Hide() })
	common := widget.NewForm(
		widget.NewFormItem("Shop", v.shop),
		widget.NewFormItem("Name", v.name),
		widget.NewFormItem("Client", v.group),
	)
	body := container.NewBorder(common, container.NewHBox(layoutSpacer(), v.cancelBtn, v.connectBtn), nil, nil, v.tabs)
	v.dlg = dialog.NewCustomWithoutButtons("Connect a store", body, w)
	v.dlg.Resize(fyne.NewSize(640, 560))
	return v
}

func (v *connectView) show() { v.dlg.Show() }

func validPort(s string) error {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1024 || p > 65535 {
		return errors.New("a port number between 1024 and 65535")
	}
	return nil
}

func (v *connectView) portNumber() int {
	p, err := strconv.Atoi(v.port.Text)
	if err != nil {
		return oauth.DefaultPort
	}
	return p
}

func (v *connectView) updateRedirect() {
	if validPort(v.port.Text) != nil {
		v.redirect.SetText("(enter a valid port)")
		return
	}
	v.redirect.SetText(v.backend.RedirectURL(v.portNumber()))
}

// method is the selected way to connect.
func (v *connectView) method() string { return v.tabs.Selected().Text }

// validate says what is missing in plain words before anything is sent.
func (v *connectView) validate() error {
	if err := v.shop.Validator(v.shop.Text); err != nil {
		return err
	}
	switch v.method() {
	case "Admin API token":
		if v.token.Text == "" {
			return errors.New("paste the store's Admin API access token")
		}
	case "Sign in with Shopify":
		if v.oauthID.Text == "" || v.oauthSecret.Text == "" {
			return errors.New("enter your app's client ID and client secret from the Dev Dashboard")
		}
		if err := validPort(v.port.Text); err != nil {
			return fmt.Errorf("loopback port: %w", err)
		}
	case "Client credentials":
		if v.ccID.Text == "" || v.ccSecret.Text == "" {
			return errors.New("enter your app's client ID and client secret")
		}
	}
	return nil
}

func (v *connectView) onConnect() {
	if err := v.validate(); err != nil {
		dialog.ShowError(err, v.win)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.cancelFlow = cancel
	v.dlg.Hide()
	v.showProgress("Checking the store with Shopify…")
	method := v.method()
	shop, name, group := v.shop.Text, v.name.Text, v.group.Text
	var run func() (workspace.StoreSummary, error)
	switch method {
	case "Admin API token":
		req := workspace.TokenRequest{Shop: shop, Token: v.token.Text, Name: name, Group: group}
		run = func() (workspace.StoreSummary, error) { return v.backend.ConnectToken(ctx, req) }
	case "Client credentials":
		req := workspace.ClientCredentialsRequest{Shop: shop, ClientID: v.ccID.Text, ClientSecret: v.ccSecret.Text, Name: name, Group: group}
		run = func() (workspace.StoreSummary, error) { return v.backend.ConnectClientCredentials(ctx, req) }
	default:
		v.progressText.SetText("Waiting for you to approve Shelfsync in your browser…")
		req := workspace.OAuthRequest{
			Shop: shop, ClientID: v.oauthID.Text, ClientSecret: v.oauthSecret.Text,
			Port: v.portNumber(), NonExpiring: v.nonExpiring.Checked, Name: name, Group: group,
			OpenBrowser: openBrowser,
			Ready: func(u string) {
				fyne.Do(func() {
					v.showAuthURL(u)
					v.settled.tell("auth-url")
				})
			},
		}
		run = func() (workspace.StoreSummary, error) { return v.backend.ConnectOAuth(ctx, req) }
	}
	go func() {
		s, err := run()
		fyne.Do(func() {
			v.finish(s, err)
			v.settled.tell("connect")
		})
	}()
}

// openBrowser opens the sign-in page in the system browser; runs off the UI
// goroutine, so it hands the call to Fyne.
func openBrowser(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	fyne.Do(func() { errc <- fyne.CurrentApp().OpenURL(u) })
	return <-errc
}

func (v *connectView) showProgress(text string) {
	v.progressText = widget.NewLabel(text)
	v.progressText.Wrapping = fyne.TextWrapWord
	v.authURL = widget.NewLabel("")
	v.authURL.Wrapping = fyne.TextWrapBreak
	v.authURL.Hide()
	v.copyURL = widget.NewButtonWithIcon("Copy link", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(v.authURL.Text)
	})
	v.copyURL.Hide()
	bar := widget.NewProgressBarInfinite()
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() {
		if v.cancelFlow != nil {
			v.cancelFlow()
		}
	})
	body := container.NewVBox(v.progressText, bar, v.authURL, container.NewHBox(v.copyURL, layoutSpacer(), cancel))
	v.progress = dialog.NewCustomWithoutButtons("Connecting", body, v.win)
	v.progress.Resize(fyne.NewSize(520, 200))
	v.progress.Show()
}

func (v *connectView) showAuthURL(u string) {
	if v.authURL == nil {
		return
	}
	v.authURL.SetText(u)
	v.authURL.Show()
	v.copyURL.Show()
	v.progressText.SetText("Approve Shelfsync in the browser window that opened. " +
		"If none opened, copy this link into your browser:")
}

func (v *connectView) finish(s workspace.StoreSummary, err error) {
	if v.progress != nil {
		v.progress.Hide()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			v.dlg.Show()
			return
		}
		showError(v.win, "Could not connect the store", err)
		v.dlg.Show()
		return
	}
	v.token.SetText("")
	v.oauthSecret.SetText("")
	v.ccSecret.SetText("")
	if v.done != nil {
		v.done(s)
	}
}
