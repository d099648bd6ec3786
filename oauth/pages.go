package oauth

import (
	"net/http"
)

// The loopback listener's pages are static: they never show a code, a
// token, the state or anything else from the request.
const (
	pageOK      = "Shelfsync received Shopify's answer. You can close this tab and return to Shelfsync."
	pageDenied  = "Shopify did not authorize Shelfsync. Return to Shelfsync to try again."
	pageRefused = "This answer could not be trusted, so Shelfsync ignored it. Return to Shelfsync and start the connection again."
	pageUsed    = "This sign-in is already finished. Return to Shelfsync."
)

// writePage writes a minimal HTML page with headers set before the status.
func writePage(w http.ResponseWriter, status int, text string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`<!doctype html><html><head><meta charset="utf-8"><title>Shelfsync</title></head>` +
		`<body style="font-family:sans-serif;margin:3em"><h1>Shelfsync</h1><p>` + text + `</p></body></html>`))
}
