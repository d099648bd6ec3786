package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shelfsync/shelfsync/oauth"
)

// appSettings lists every Dev Dashboard setting the loopback sign-in needs,
// each with a Copy button (shopify-fidelity review F3): the redirect URL,
// an App URL on the same host (Shopify refuses "The redirect_uri and
// application url must have matching hosts"), embedding off (the
// authorization-code grant is for non-embedded apps), and the scopes.
type appSettings struct {
	redirect, appURL, embed, scopes *widget.Label
	content                         fyne.CanvasObject
}

func newAppSettings(w fyne.Window) *appSettings {
	s := &appSettings{
		redirect: mono(""), appURL: mono(""),
		embed:  mono("off"),
		scopes: mono(strings.Join(oauth.NeededScopes(), ",")),
	}
	s.scopes.Wrapping = fyne.TextWrapBreak
	row := func(name string, value *widget.Label, copyable bool) []fyne.CanvasObject {
		var btn fyne.CanvasObject = layoutSpacer()
		if copyable {
			btn = widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
				fyne.CurrentApp().Clipboard().SetContent(value.Text)
			})
		}
		return []fyne.CanvasObject{widget.NewLabelWithStyle(name, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}), value, btn}
	}
	var cells []fyne.CanvasObject
	cells = append(cells, row("Redirect URL", s.redirect, true)...)
	cells = append(cells, row("App URL", s.appURL, true)...)
	cells = append(cells, row("Embed app in Shopify admin", s.embed, false)...)
	cells = append(cells, row("Scopes", s.scopes, true)...)
	s.content = container.New(&settingsLayout{}, cells...)
	s.set(oauth.RedirectHosts[0], oauth.DefaultPort)
	return s
}

// set shows the settings for a host ("127.0.0.1" or "localhost") and port.
func (s *appSettings) set(host string, port int) {
	s.redirect.SetText(oauth.RedirectURLFor(host, port))
	s.appURL.SetText(oauth.AppURLFor(host, port))
}

func (s *appSettings) invalid(why string) {
	s.redirect.SetText(why)
	s.appURL.SetText(why)
}

func mono(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
}

// settingsLayout lays out rows of three (name, value, button): names and
// buttons at their natural width, values take the rest and may wrap.
type settingsLayout struct{}

func (l *settingsLayout) widths(objs []fyne.CanvasObject) (name, btn float32) {
	for i := 0; i+2 < len(objs); i += 3 {
		name = max(name, objs[i].MinSize().Width)
		btn = max(btn, objs[i+2].MinSize().Width)
	}
	return name, btn
}

func (l *settingsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	name, btn := l.widths(objs)
	pad := theme.Padding()
	value := max(size.Width-name-btn-2*pad, 50)
	y := float32(0)
	for i := 0; i+2 < len(objs); i += 3 {
		objs[i+1].Resize(fyne.NewSize(value, objs[i+1].MinSize().Height))
		h := max(objs[i].MinSize().Height, objs[i+1].MinSize().Height, objs[i+2].MinSize().Height)
		objs[i].Move(fyne.NewPos(0, y))
		objs[i].Resize(fyne.NewSize(name, h))
		objs[i+1].Move(fyne.NewPos(name+pad, y))
		objs[i+1].Resize(fyne.NewSize(value, h))
		objs[i+2].Move(fyne.NewPos(name+value+2*pad, y))
		objs[i+2].Resize(fyne.NewSize(btn, objs[i+2].MinSize().Height))
		y += h + pad
	}
}

func (l *settingsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	name, btn := l.widths(objs)
	h := float32(0)
	for i := 0; i+2 < len(objs); i += 3 {
		h += max(objs[i].MinSize().Height, objs[i+1].MinSize().Height, objs[i+2].MinSize().Height) + theme.Padding()
	}
	return fyne.NewSize(name+btn+100, h)
}

// The guide's steps, one list per way (README's "Connect a real store").
var guideSteps = []struct{ title, intro string }{
	{wayOAuth, "You have an app in Shopify's Dev Dashboard (dev.shopify.com), with a client ID and a client secret.\n" +
		"1. In the Dev Dashboard open your app → Versions → Create a version (or edit the current one).\n" +
		"2. Set the App URL and the Redirect URL exactly as below (same host: both 127.0.0.1, or both localhost).\n" +
		"3. Turn \"Embed app in Shopify admin\" off.\n" +
		"4. Enter the scopes below, then Release the version.\n" +
		"5. Distribution: choose Custom distribution for your store (or install it on your organisation's store).\n" +
		"6. Copy the client ID and client secret (app → Settings) into Shelfsync, press Connect, and approve in the browser.\n" +
		"If the browser ends on a Shopify page instead of Shelfsync's \"received\" page, copy that page's address and paste it " +
		"into the Connect dialog: Shelfsync checks it and says what went wrong."},
	{wayCC, "Your own organisation's app (Dev Dashboard) is installed on the store.\n" +
		"1. Install the app on the store (Dev Dashboard → your app → Home → Install app).\n" +
		"2. Copy its client ID and client secret (app → Settings) into Shelfsync and press Connect.\n" +
		"Shelfsync keeps the secret in the system keychain and gets a new 24-hour token before each runs out."},
	{wayToken, "An older custom app created in the store admin (no new ones since 1 January 2026).\n" +
		"1. In the store admin: Settings → Apps → Develop apps → your app → API credentials.\n" +
		"2. Check the Admin API scopes include the ones below.\n" +
		"3. Copy the Admin API access token (it starts with shpat_ or shpca_) into Shelfsync and press Connect."},
}

// showConnectGuide opens the step-by-step guide with the settings for host
// and port, each with a Copy button.
func showConnectGuide(w fyne.Window, host string, port int) {
	settings := newAppSettings(w)
	settings.set(host, port)
	box := container.NewVBox()
	for i, s := range guideSteps {
		box.Add(widget.NewLabelWithStyle(s.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(wrapped(s.intro))
		if i == 0 {
			box.Add(settings.content)
		}
		box.Add(widget.NewSeparator())
	}
	d := dialog.NewCustom("How to connect a store", "Close", container.NewVScroll(box), w)
	d.Resize(fyne.NewSize(700, 600))
	d.Show()
}
