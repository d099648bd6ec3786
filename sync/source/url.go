package source

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/shelfsync/shelfsync/sync/catalog"
)

// Read reads location, which is a local file path or an http(s) URL.
func Read(ctx context.Context, location string, opts Options) (*catalog.Catalog, error) {
	l := strings.ToLower(strings.TrimSpace(location))
	if strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") {
		return ReadURL(ctx, strings.TrimSpace(location), opts)
	}
	return ReadFile(location, opts)
}

// ReadURL downloads a CSV or XLSX file and reads it. The address must be
// https (plain http only for a loopback host, for tests and local tools). A
// Google Sheets link is turned into its CSV export first. Errors name only
// the host, never the full address: a feed URL may carry a key.
func ReadURL(ctx context.Context, rawURL string, opts Options) (*catalog.Catalog, error) {
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
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		if isGoogleLogin(req.URL) {
			return errLoginPage
		}
		_, err := checkFetchURL(req.URL.String())
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fileError("invalid address: %v", err)
	}
	req.Header.Set("Accept", "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, */*;q=0.5")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(u.Host, google, err)
	}
	defer resp.Body.Close()
	if err := checkResponse(resp, u.Host, google, opts.maxBytes()); err != nil {
		return nil, err
	}
	data, err := readAllCapped(resp.Body, opts.maxBytes())
	if err != nil {
		return nil, err
	}
	if looksLikeHTML(data) {
		return nil, htmlAnswer(u.Host, google)
	}
	return readBytes(data, strings.ToLower(path.Ext(u.Path)), opts)
}

var errLoginPage = errors.New("redirected to a sign-in page")

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
