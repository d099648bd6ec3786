package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Read reads location, which is a local file path or an http(s) URL.
func Read(ctx context.Context, location string, opts Options) (*catalog.Catalog, error) {
	l, err := Load(ctx, location, opts)
	if err != nil {
		return nil, err
	}
	return l.Read(opts)
}

// Load reads location's bytes (a local file path or an http(s) URL)
// without parsing them: Read is Load, then Loaded.Read.
func Load(ctx context.Context, location string, opts Options) (*Loaded, error) {
	l := strings.ToLower(strings.TrimSpace(location))
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return loadURL(ctx, strings.TrimSpace(location), opts)
	}
	return loadFile(location, opts)
}

// ReadURL downloads a CSV or XLSX file and reads it. The address must be
// https (plain http only for a loopback host, for tests and local tools). A
// Google Sheets link is turned into its CSV export first. Errors name only
// the host, never the full address: a feed URL may carry a key.
func ReadURL(ctx context.Context, rawURL string, opts Options) (*catalog.Catalog, error) {
	l, err := loadURL(ctx, rawURL, opts)
	if err != nil {
		return nil, err
	}
	return l.Read(opts)
}

// loadURL is ReadURL's download.
func loadURL(ctx context.Context, rawURL string, opts Options) (*Loaded, error) {
	u, err := checkFetchURL(rawURL)
	if err != nil {
		return nil, err
	}
	google := false
	if export, ok := GoogleSheetsCSVURL(rawURL); ok {
		u, _ = url.Parse(export)
		google = true
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := http.Client{Timeout: timeout}
	if opts.HTTPClient != nil {
		client = *opts.HTTPClient // a copy, so CheckRedirect can be set safely
	}
	original := *u
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		if isGoogleLogin(req.URL) {
			return errLoginPage
		}
		if _, err := checkFetchURL(req.URL.String()); err != nil {
			return err
		}
		return redirectAllowed(&original, req.URL)
	}
	client.Transport = guardedTransport(client.Transport, &original, net.DefaultResolver.LookupIPAddr)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fileError("invalid address: %v", err)
	}
	req.Header.Set("Accept", "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, */*;q=0.5")
	// Asked for explicitly, gzip is not undone by the transport, so the
	// size cap can count the bytes on the wire as well as what they unpack
	// to: a 100 KB gzip can unpack to 100 MB.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(u.Host, google, err)
	}
	defer resp.Body.Close()
	if err := checkResponse(resp, u.Host, google, opts.maxBytes()); err != nil {
		return nil, err
	}
	data, err := readBody(resp, opts.maxBytes())
	if err != nil {
		return nil, err
	}
	if looksLikeHTML(data) {
		return nil, htmlAnswer(u.Host, google)
	}
	return &Loaded{data: data, ext: strings.ToLower(path.Ext(u.Path))}, nil
}

var errLoginPage = errors.New("redirected to a sign-in page")

// MaskLocation is a source location as it may be shown or printed: a web
// address keeps its scheme, host and path, but its query and fragment
// values, any user info and key-like path segments (a Google Sheet's ID is
// a key for anyone with the link) are masked like tokens, "1AbC****". A
// file path is returned as it is.
func MaskLocation(loc string) string {
	u, err := url.Parse(strings.TrimSpace(loc))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return loc
	}
	u.User = nil
	segs := strings.Split(u.EscapedPath(), "/")
	for i, seg := range segs {
		if keyLike(seg) {
			segs[i] = seg[:4] + "****"
		}
	}
	if p, err := url.PathUnescape(strings.Join(segs, "/")); err == nil {
		u.Path, u.RawPath = p, strings.Join(segs, "/")
	}
	u.RawQuery = maskValues(u.RawQuery)
	u.Fragment, u.RawFragment = maskValues(u.Fragment), ""
	return u.String()
}

// keyLike reports a path segment that looks like a key rather than a name:
// long, and mixing letters with digits (a Google Sheet ID, a feed token).
func keyLike(seg string) bool {
	if len(seg) < 20 {
		return false
	}
	letters, digits := false, false
	for _, c := range seg {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters = true
		case c == '-' || c == '_' || c == '.':
		default:
			return false
		}
	}
	return letters && digits
}

// maskValues masks every value of a query-like string ("gid" and "format"
// keep theirs: they say which tab and what form, and are no secret).
func maskValues(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, v, ok := strings.Cut(p, "=")
		if ok && v != "" && k != "gid" && k != "format" && k != "output" {
			parts[i] = k + "=****"
		}
	}
	return strings.Join(parts, "&")
}

// readBody reads a response within limit, counting both the bytes received
// and, for a gzip answer, the bytes they unpack to.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return readAllCapped(resp.Body, limit)
	case "gzip":
		wire := &cappedReader{r: resp.Body, left: limit}
		zr, err := gzip.NewReader(wire)
		if err != nil {
			return nil, fileError("the download can't be unpacked: %v", err)
		}
		data, err := readAllCapped(zr, limit)
		if wire.over {
			return nil, fileError("the file is larger than %s", sizeText(limit))
		}
		return data, err
	default:
		return nil, fileError("the server sent the file encoded as %q, which Shelfsync does not read", enc)
	}
}

// cappedReader reads at most left bytes of r and notes when r had more.
type cappedReader struct {
	r    io.Reader
	left int64
	over bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			c.over = true
			return 0, errors.New("too large")
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// redirectAllowed refuses a redirect that leaves https for plain http, or
// that leads from an address on the internet to this computer, the local
// network or a link-local address (cloud metadata): a supplier's feed must
// not make Shelfsync fetch from services it can reach only from inside.
// Where the user typed such an address themselves, it may redirect within
// them.
func redirectAllowed(original, to *url.URL) error {
	if original.Scheme == "https" && to.Scheme != "https" {
		return fileError("%s redirected to plain http (%s): refused, the download must stay on https", original.Host, to.Host)
	}
	if !internalHost(original.Hostname()) && internalHost(to.Hostname()) {
		return fileError("%s redirected to %s, an address on this computer or the local network: refused", original.Host, to.Host)
	}
	return nil
}

// internalHost reports a host name or IP literal that is this computer,
// a private network or link-local.
func internalHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && internalIP(ip)
}

// cgnat is the carrier-grade NAT range, private in all but name.
var cgnat = &net.IPNet{IP: net.IPv4(100, 64, 0, 0), Mask: net.CIDRMask(10, 32)}

func internalIP(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() || cgnat.Contains(ip)
}

// guardedTransport makes every connection to a host other than the one the
// user typed check the addresses the name resolves to, so a redirect to a
// public-looking name that resolves inside is refused like an inside
// address (redirectAllowed sees only names). It wraps the standard
// transport (or a copy of a caller's *http.Transport); another RoundTripper
// is left as it is.
func guardedTransport(rt http.RoundTripper, original *url.URL, lookup func(context.Context, string) ([]net.IPAddr, error)) http.RoundTripper {
	if internalHost(original.Hostname()) {
		return rt // typed by the user: redirects may stay inside
	}
	var t *http.Transport
	switch base := rt.(type) {
	case nil:
		t = http.DefaultTransport.(*http.Transport).Clone()
	case *http.Transport:
		t = base.Clone()
	default:
		return rt
	}
	dial := t.DialContext
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second}).DialContext
	}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(addr)
		if err != nil || strings.EqualFold(host, original.Hostname()) {
			return dial(ctx, network, addr)
		}
		ips, err := lookup(ctx, host)
		if err != nil {
			return nil, err
		}
		for _, ip := range ips {
			if internalIP(ip.IP) {
				return nil, fileError("%s was redirected to %s, which is on this computer or the local network: refused", original.Host, host)
			}
		}
		if len(ips) == 0 {
			return nil, fileError("%s has no address", host)
		}
		return dial(ctx, network, net.JoinHostPort(ips[0].IP.String(), port))
	}
	return t
}

// checkFetchURL accepts https URLs, and http ones only for loopback hosts.
func checkFetchURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fileError("not a web address: it must look like https://example.com/products.csv")
	}
	switch u.Scheme {
	case "https":
		return u, nil
	case "http":
		if isLoopback(u.Hostname()) {
			return u, nil
		}
		return nil, fileError("%s must be fetched over https (plain http is allowed only for this computer)", u.Host)
	}
	return nil, fileError("unsupported address scheme %q: use https", u.Scheme)
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isGoogleLogin(u *url.URL) bool {
	return u.Host == "accounts.google.com" || strings.HasPrefix(u.Path, "/ServiceLogin") || strings.HasPrefix(u.Path, "/accounts/")
}

func fetchError(host string, google bool, err error) error {
	switch {
	case errors.Is(err, errLoginPage):
		return htmlAnswer(host, google)
	case errors.Is(err, context.DeadlineExceeded):
		return fileError("%s didn't answer in time", host)
	case errors.Is(err, context.Canceled):
		return fileError("the download from %s was cancelled", host)
	}
	var fe catalog.RowError
	if errors.As(err, &fe) {
		return fe
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // url.Error repeats the full address
	}
	return fileError("can't reach %s: %v", host, err)
}

func checkResponse(resp *http.Response, host string, google bool, limit int64) error {
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		if google {
			return fileError("Google refused access to the sheet (HTTP %d): share the sheet as \"Anyone with the link\" (Viewer), or publish it to the web", resp.StatusCode)
		}
		return fileError("%s refused access (HTTP %d): the file must be downloadable without signing in", host, resp.StatusCode)
	case resp.StatusCode == http.StatusNotFound:
		return fileError("%s has no such file (HTTP 404): check the address", host)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return fileError("%s answered HTTP %d instead of the file", host, resp.StatusCode)
	case resp.ContentLength > limit:
		return fileError("the file at %s is larger than %s", host, sizeText(limit))
	case strings.HasPrefix(strings.ToLower(resp.Header.Get("Content-Type")), "text/html"):
		return htmlAnswer(host, google)
	}
	return nil
}

func htmlAnswer(host string, google bool) error {
	if google {
		return fileError("Google answered with a web page (probably a sign-in page) instead of CSV: share the sheet as \"Anyone with the link\" (Viewer)")
	}
	return fileError("%s answered with a web page, not a CSV file: use the file's direct download address", host)
}

// looksLikeHTML spots an HTML page served with a wrong content type.
func looksLikeHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(bytes.TrimPrefix(data[:min(len(data), 512)], bomUTF8)))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		(bytes.HasPrefix(head, []byte("<")) && bytes.Contains(head, []byte("<head")))
}

// GoogleSheetsCSVURL turns a Google Sheets link into the address of its CSV
// export and reports whether raw was one. It understands
// /spreadsheets/d/ID/edit#gid=N (and ?gid=N, /view, /htmlview, /u/1/d/…),
// export links, and links to sheets published to the web (/d/e/KEY/pubhtml,
// /pub). Without a gid the export is of the first sheet.
func GoogleSheetsCSVURL(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host != "docs.google.com" {
		return "", false
	}
	id, published, ok := sheetID(u.Path)
	if !ok {
		return "", false
	}
	q := url.Values{}
	var p string
	if published {
		p = "/spreadsheets/d/e/" + id + "/pub"
		q.Set("output", "csv")
		if u.Query().Get("single") != "" {
			q.Set("single", "true")
		}
	} else {
		p = "/spreadsheets/d/" + id + "/export"
		q.Set("format", "csv")
	}
	if gid := sheetGID(u); gid != "" {
		q.Set("gid", gid)
	}
	return "https://docs.google.com" + p + "?" + encodeOrdered(q), true
}

// sheetID finds the spreadsheet ID in /spreadsheets/d/ID/…,
// /spreadsheets/u/N/d/ID/… or, for a sheet published to the web,
// /spreadsheets/d/e/KEY/….
func sheetID(p string) (id string, published, ok bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) < 3 || parts[0] != "spreadsheets" {
		return "", false, false
	}
	parts = parts[1:]
	if len(parts) >= 3 && parts[0] == "u" {
		parts = parts[2:]
	}
	switch {
	case len(parts) < 2 || parts[0] != "d" || parts[1] == "":
		return "", false, false
	case parts[1] == "e" && len(parts) >= 3 && parts[2] != "":
		return parts[2], true, true
	}
	return parts[1], false, true
}

// sheetGID reads the sheet tab from "#gid=N" (preferred) or "?gid=N".
func sheetGID(u *url.URL) string {
	gid := u.Query().Get("gid")
	if frag, err := url.ParseQuery(u.Fragment); err == nil && frag.Get("gid") != "" {
		gid = frag.Get("gid")
	}
	if _, err := strconv.ParseUint(gid, 10, 64); err != nil {
		return ""
	}
	return gid
}

// encodeOrdered encodes format/output first, then gid, as Google's own links do.
func encodeOrdered(q url.Values) string {
	var b strings.Builder
	for _, k := range []string{"format", "output", "gid", "single"} {
		if v := q.Get(k); v != "" {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(k + "=" + url.QueryEscape(v))
		}
	}
	return b.String()
}
