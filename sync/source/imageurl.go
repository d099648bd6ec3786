package source

import (
	"net/url"
	"regexp"
	"strings"
)

// driveFileID finds the file ID in Google Drive share links:
// https://drive.google.com/file/d/ID/view?usp=sharing and
// https://drive.google.com/open?id=ID.
var driveFileID = regexp.MustCompile(`^/file/d/([A-Za-z0-9_-]+)`)

// DirectImageURL turns a cloud-storage share link into a link to the file
// itself, which Shopify can fetch an image from; other addresses are
// returned as they are.
//   - Google Drive: drive.google.com/file/d/ID/view → drive.google.com/uc?export=download&id=ID
//     (https://getlate.dev/blog/google-drive-direct-download-urls-complete-guide).
//   - Dropbox: dl=0 (a preview page) → dl=1, keeping the rlkey of /scl/ links,
//     which grants access (https://dropboxforum.com/discussions/101001012/shared-link--scl-to-s/689070/replies/689477).
func DirectImageURL(s string) string {
	if !maybeShareLink(s) {
		return s // most image cells: not worth parsing (a sheet may hold one per row)
	}
	return shareLinkToFile(s)
}

// shareLinkToFile is DirectImageURL after its quick test.
func shareLinkToFile(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	host := strings.ToLower(u.Host)
	switch {
	case host == "drive.google.com":
		id := u.Query().Get("id")
		if g := driveFileID.FindStringSubmatch(u.Path); g != nil {
			id = g[1]
		}
		if id == "" || u.Path == "/uc" {
			return s
		}
		return "https://drive.google.com/uc?export=download&id=" + url.QueryEscape(id)
	case host == "www.dropbox.com" || host == "dropbox.com":
		q := u.Query()
		if q.Get("raw") == "1" || q.Get("dl") == "1" {
			return s
		}
		q.Set("dl", "1")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return s
}

// maybeShareLink reports whether s could have a Drive or Dropbox host:
// it names one (in any case of ASCII letters), or has escapes or non-ASCII
// characters, which only parsing can see through.
func maybeShareLink(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] >= 0x80 {
			return true
		}
	}
	return containsFoldASCII(s, "drive.google.com") || containsFoldASCII(s, "dropbox.com")
}

// containsFoldASCII reports whether ASCII text s contains sub, ignoring case.
func containsFoldASCII(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
