package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/oauth"
	"github.com/shelfsync/shelfsync/sync/workspace"
)

// connectSize is the Connect dialog's size. It never changes: long hints
// and errors wrap inside it instead of widening it.
var connectSize = fyne.NewSize(720, 690)

// connectView is the Connect dialog: one shop, three ways in. Progress and
// errors show inside it, under the fields, which stay as typed.
type connectView struct {
	backend Backend
	win     fyne.Window
	done    func(workspace.StoreSummary)
	settled settledFunc
	// online reports whether the internet answers when Shopify did not; a
	// field so tests need no network.
	online func(context.Context) bool

	shop, name, group    *widget.Entry
	ways                 *widget.RadioGroup
	panels               *fyne.Container
	oauthPanel           fyne.CanvasObject
	tokenPanel, ccPanel  fyne.CanvasObject
	token                *widget.Entry
	oauthID, oauthSecret *widget.Entry
	port                 *widget.Entry
	host                 *widget.Select
	settings             *appSettings
	redirect             *widget.Label // the redirect URL to register
	nonExpiring          *widget.Check
	ccID, ccSecret       *widget.Entry
	guideBtn             *widget.Button

	// the status area under the fields
	bar              *widget.Activity // spins while Shopify is asked
	message, next    *widget.Label
	authURL          *widget.Label
	copyURL          *widget.Button
	pasteRow         *fyne.Container
	pasteEntry       *widget.Entry
	pasteBtn         *widget.Button
	paste            *oauth.CallbackPaste
	flowCtx          context.Context
	cancelFlow       context.CancelFunc
	connectBtn       *widget.Button
	cancelBtn        *widget.Button
	dlg              dialog.Dialog
	wayLines, wayFor map[string]string
}

// wayChoices are the radio lines, one per way (README's table), and the
// way each stands for.
var wayChoices = []struct{ line, way string }{
	{"Sign in with Shopify: I have an app in the Dev Dashboard (client ID + secret)", wayOAuth},
	{"Client credentials: my organisation's own app is installed on this store", wayCC},
	{"Admin API token: an older custom app made in the store admin (shpat_…)", wayToken},
}

func newConnectView(b Backend, w fyne.Window, done func(workspace.StoreSummary)) *connectView {
	v := &connectView{backend: b, win: w, done: done, online: internetUp,
		wayLines: map[string]string{}, wayFor: map[string]string{}}
	v.shop = widget.NewEntry()
	v.shop.SetPlaceHolder("mystore.myshopify.com")
	v.shop.OnChanged = func(string) { v.onShopChanged() }
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder("optional: the shop's name")
	v.group = widget.NewEntry()
	v.group.SetPlaceHolder("optional: agency client, e.g. Acme Ltd")

	var lines []string
	for _, c := range wayChoices {
		lines = append(lines, c.line)
		v.wayLines[c.way], v.wayFor[c.line] = c.line, c.way
	}
	v.ways = widget.NewRadioGroup(lines, func(string) { v.onWay() })
	v.ways.Required = true
	v.guideBtn = widget.NewButtonWithIcon("Step-by-step guide", theme.HelpIcon(), func() { showConnectGuide(v.win, v.hostName(), v.portNumber()) })
	v.guideBtn.Importance = widget.LowImportance

	v.buildOAuthPanel()
	v.buildTokenPanel()
	v.buildCCPanel()
	v.panels = container.NewStack(v.oauthPanel, v.ccPanel, v.tokenPanel)

	v.connectBtn = widget.NewButtonWithIcon("Connect", theme.ConfirmIcon(), v.onConnect)
	v.connectBtn.Importance = widget.HighImportance
	v.cancelBtn = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), v.onCancel)

	common := widget.NewForm(
		widget.NewFormItem("Shop", v.shop),
		widget.NewFormItem("Name", v.name),
		widget.NewFormItem("Client", v.group),
	)
	chooser := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Which way is yours?", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.guideBtn)
	form := container.NewVScroll(container.NewPadded(container.NewVBox(common, chooser, v.ways, widget.NewSeparator(), v.panels)))
	body := container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), v.buildStatusArea(),
		container.NewHBox(layoutSpacer(), v.cancelBtn, v.connectBtn)), nil, nil, form)
	v.dlg = dialog.NewCustomWithoutButtons("Connect a store", body, w)
	v.dlg.Resize(connectSize)
	v.ways.SetSelected(v.wayLines[wayOAuth])
	v.idle()
	return v
}

func (v *connectView) buildTokenPanel() {
	v.token = widget.NewPasswordEntry()
	v.token.SetPlaceHolder("shpat_…")
	help := wrapped("For an app created in the store's admin (Settings → Apps → Develop apps → your app → API credentials). " +
		"Shelfsync checks the token with Shopify before saving it in the system keychain.")
	v.tokenPanel = container.NewVBox(widget.NewForm(widget.NewFormItem("Admin API access token", v.token)), help)
}

func (v *connectView) buildCCPanel() {
	v.ccID = widget.NewEntry()
	v.ccSecret = widget.NewPasswordEntry()
	v.ccPanel = container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Client ID", v.ccID),
			widget.NewFormItem("Client secret", v.ccSecret),
		),
		wrapped("For an app of your own organisation installed on this store (Dev Dashboard → your app → Settings). "+
			"Its tokens last 24 hours; Shelfsync gets a new one before each runs out."),
	)
}

func (v *connectView) buildOAuthPanel() {
	v.oauthID = widget.NewEntry()
	v.oauthSecret = widget.NewPasswordEntry()
	v.port = widget.NewEntry()
	v.port.SetText(strconv.Itoa(oauth.DefaultPort))
	v.port.OnChanged = func(string) { v.updateRedirect() }
	v.host = widget.NewSelect(oauth.RedirectHosts, func(string) { v.updateRedirect() })
	v.settings = newAppSettings(v.win)
	v.redirect = v.settings.redirect
	v.nonExpiring = widget.NewCheck("Ask for a non-expiring token (older apps only)", nil)
	v.oauthPanel = container.NewVBox(
		widget.NewForm(
			widget.NewFormItem("Client ID", v.oauthID),
			widget.NewFormItem("Client secret", v.oauthSecret),
			widget.NewFormItem("Address", container.NewGridWithColumns(2, v.host, v.port)),
		),
		wrapped("In the Dev Dashboard, give your app exactly these settings (Shopify compares them character for character):"),
		v.settings.content,
		v.nonExpiring,
		wrapped("Shopify keeps one refreshable token per app and store: signing in from a second computer retires "+
			"this computer's refresh token (connect each store on one computer)."),
	)
	v.host.SetSelected(oauth.RedirectHosts[0])
}

// buildStatusArea is where progress, errors and the sign-in link show. It
// has a fixed height (it scrolls), so nothing above it moves.
func (v *connectView) buildStatusArea() fyne.CanvasObject {
	v.bar = widget.NewActivity()
	v.bar.Stop()
	v.bar.Hide()
	v.message = wrapped("")
	v.message.TextStyle.Bold = true
	v.next = wrapped("")
	v.authURL = widget.NewLabel("")
	v.authURL.Wrapping = fyne.TextWrapBreak
	v.authURL.Hide()
	v.copyURL = widget.NewButtonWithIcon("Copy sign-in link", theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(v.authURL.Text)
	})
	v.copyURL.Hide()
	v.pasteEntry = widget.NewEntry()
	v.pasteEntry.SetPlaceHolder("paste the address your browser ended on")
	v.pasteBtn = widget.NewButton("Use this address", v.onPaste)
	// The sign-in link and the paste field sit under the messages, outside
	// their scroll, so they are always in view while Shelfsync waits.
	v.pasteRow = container.NewBorder(nil, nil, v.copyURL, v.pasteBtn, v.pasteEntry)
	v.pasteRow.Hide()
	box := container.NewVBox(container.NewBorder(nil, nil, v.bar, nil, v.message), v.next, v.authURL)
	scroll := container.NewVScroll(box)
	scroll.SetMinSize(fyne.NewSize(0, 112))
	return container.NewBorder(nil, v.pasteRow, nil, nil, scroll)
}

// wrapped is a label that wraps at word boundaries, so long text never
// widens its container.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (v *connectView) show() { v.dlg.Show() }

// method is the selected way to connect.
func (v *connectView) method() string { return v.wayFor[v.ways.Selected] }

// selectWay selects one of wayOAuth, wayCC, wayToken.
func (v *connectView) selectWay(way string) { v.ways.SetSelected(v.wayLines[way]) }

func (v *connectView) onWay() {
	if v.ways.Selected == "" { // Required: a second tap must not leave nothing chosen
		v.ways.SetSelected(v.wayLines[wayOAuth])
		return
	}
	way := v.method()
	for obj, w := range map[fyne.CanvasObject]string{v.oauthPanel: wayOAuth, v.ccPanel: wayCC, v.tokenPanel: wayToken} {
		if w == way {
			obj.Show()
		} else {
			obj.Hide()
		}
	}
	v.panels.Refresh()
}

func (v *connectView) onShopChanged() {
	if v.cancelFlow != nil {
		return // a running connection's messages stay
	}
	if _, err := oauth.NormalizeShop(v.shop.Text); err != nil && strings.TrimSpace(v.shop.Text) != "" {
		v.say("Shop: "+err.Error(), "", true)
		return
	}
	v.idle()
}

// idle is what the status area says before anything runs.
func (v *connectView) idle() {
	v.say("", "Shelfsync checks everything with Shopify before it saves anything; progress and problems show here.", false)
}

func validPort(s string) error {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1024 || p > 65535 {
		return errors.New("a port number between 1024 and 65535")
	}
	return nil
}

func (v *connectView) portNumber() int {
	p, err := strconv.Atoi(v.port.Text)
	if err != nil || validPort(v.port.Text) != nil {
		return oauth.DefaultPort
	}
	return p
}

func (v *connectView) hostName() string {
	if v.host == nil || v.host.Selected == "" {
		return oauth.RedirectHosts[0]
	}
	return v.host.Selected
}

func (v *connectView) updateRedirect() {
	if v.settings == nil || v.host == nil {
		return
	}
	if validPort(v.port.Text) != nil {
		v.settings.invalid("(enter a port between 1024 and 65535)")
		return
	}
	v.settings.set(v.hostName(), v.portNumber())
}

// validate says what is missing in plain words before anything is sent.
func (v *connectView) validate() error {
	if _, err := oauth.NormalizeShop(v.shop.Text); err != nil {
		return fmt.Errorf("shop: %w", err)
	}
	switch v.method() {
	case wayToken:
		if p := tokenFormProblem(v.token.Text); p != "" {
			return errors.New(p)
		}
	case wayOAuth:
		if v.oauthID.Text == "" || v.oauthSecret.Text == "" {
			return errors.New("enter your app's client ID and client secret from the Dev Dashboard")
		}
		if err := validPort(v.port.Text); err != nil {
			return fmt.Errorf("port: %w", err)
		}
	case wayCC:
		if v.ccID.Text == "" || v.ccSecret.Text == "" {
			return errors.New("enter your app's client ID and client secret")
		}
	}
	return nil
}

// say shows a message (and the next step) in the status area.
func (v *connectView) say(what, next string, isErr bool) {
	v.message.Importance = widget.MediumImportance
	if isErr {
		v.message.Importance = widget.DangerImportance
	}
	v.message.SetText(capitalise(what))
	v.next.SetText(next)
}

// setBusy switches between typing and waiting for Shopify.
func (v *connectView) setBusy(busy bool) {
	if busy {
		v.connectBtn.Disable()
		v.bar.Show()
		v.bar.Start()
		return
	}
	v.connectBtn.Enable()
	v.bar.Stop()
	v.bar.Hide()
	v.authURL.Hide()
	v.copyURL.Hide()
	v.pasteRow.Hide()
	if v.cancelFlow != nil {
		v.cancelFlow()
	}
	v.paste, v.cancelFlow = nil, nil
}

func (v *connectView) onConnect() {
	if v.cancelFlow != nil {
		return
	}
	if err := v.validate(); err != nil {
		v.say(err.Error(), "", true)
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.flowCtx, v.cancelFlow = ctx, cancel
	v.setBusy(true)
	v.say("Checking the store with Shopify…", "", false)
	way := v.method()
	shop, name, group := v.shop.Text, v.name.Text, v.group.Text
	var run func() (workspace.StoreSummary, error)
	switch way {
	case wayToken:
		req := workspace.TokenRequest{Shop: shop, Token: strings.TrimSpace(v.token.Text), Name: name, Group: group}
		run = func() (workspace.StoreSummary, error) { return v.backend.ConnectToken(ctx, req) }
	case wayCC:
		req := workspace.ClientCredentialsRequest{Shop: shop, ClientID: v.ccID.Text, ClientSecret: v.ccSecret.Text, Name: name, Group: group}
		run = func() (workspace.StoreSummary, error) { return v.backend.ConnectClientCredentials(ctx, req) }
	default:
		v.paste = oauth.NewCallbackPaste()
		v.say("Opening Shopify in your browser…", "Approve Shelfsync there; this dialog carries on by itself.", false)
		v.pasteEntry.SetText("")
		v.pasteRow.Show()
		req := workspace.OAuthRequest{
			Shop: shop, ClientID: v.oauthID.Text, ClientSecret: v.oauthSecret.Text,
			Port: v.portNumber(), RedirectHost: v.hostName(), NonExpiring: v.nonExpiring.Checked,
			Name: name, Group: group, OpenBrowser: openBrowser, Paste: v.paste,
			Ready: func(u string) {
				fyne.Do(func() {
					v.showAuthURL(u)
					v.settled.tell("auth-url")
				})
			},
		}
		run = func() (workspace.StoreSummary, error) { return v.backend.ConnectOAuth(ctx, req) }
	}
	online := v.online
	go func() {
		s, err := run()
		up := true
		if errors.Is(err, oauth.ErrOffline) && online != nil {
			up = online(context.Background())
		}
		fyne.Do(func() {
			v.finish(way, shop, s, err, up)
			v.settled.tell("connect")
		})
	}()
}

// onCancel stops a running connection (the dialog and its fields stay), or
// closes the dialog when nothing runs.
func (v *connectView) onCancel() {
	if v.cancelFlow != nil {
		v.cancelFlow()
		return
	}
	v.dlg.Hide()
}

// onPaste hands the pasted address to the waiting sign-in.
func (v *connectView) onPaste() {
	paste, ctx, raw := v.paste, v.flowCtx, v.pasteEntry.Text
	if paste == nil || strings.TrimSpace(raw) == "" {
		return
	}
	v.pasteBtn.Disable()
	go func() {
		err := paste.Submit(ctx, raw)
		fyne.Do(func() {
			v.pasteBtn.Enable()
			switch {
			case err == nil:
				v.say("Address accepted: finishing the connection…", "", false)
			case errors.Is(err, oauth.ErrNotCallback), errors.Is(err, oauth.ErrEndedOnShopify), errors.Is(err, oauth.ErrCallbackUsed):
				v.say(err.Error()+".", "", true)
			}
			// other errors end the sign-in; finish shows them
			v.settled.tell("paste")
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

func (v *connectView) showAuthURL(u string) {
	if v.cancelFlow == nil {
		return
	}
	v.authURL.SetText(u) // kept for Copy; the long link itself is not shown
	v.copyURL.Show()
	v.say("Approve Shelfsync in the browser window that opened.",
		"No browser? Copy the sign-in link into one. Browser ended on a page that is not Shelfsync's "+
			"(Cancel pressed there, or a Shopify error)? Paste its address here.", false)
}

func (v *connectView) finish(way, shop string, s workspace.StoreSummary, err error, online bool) {
	v.setBusy(false)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			v.say("Cancelled: nothing was saved.", "Your entries are kept; press Connect to try again.", false)
			return
		}
		fyne.LogError("connect "+way, err)
		t := connectTrouble(way, displayShop(shop), err, online)
		v.say(t.what, t.next, true)
		return
	}
	v.say("", "", false)
	v.token.SetText("")
	v.oauthSecret.SetText("")
	v.ccSecret.SetText("")
	v.dlg.Hide()
	if v.done != nil {
		v.done(s)
	}
}

// displayShop is the shop as Shopify names it, or as typed.
func displayShop(s string) string {
	if d, err := oauth.NormalizeShop(s); err == nil {
		return d
	}
	return s
}
