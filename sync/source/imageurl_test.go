package source

import "testing"

func TestDirectImageURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://drive.google.com/file/d/1AbC_d-9/view?usp=sharing":   "https://drive.google.com/uc?export=download&id=1AbC_d-9",
		"https://drive.google.com/open?id=1AbC":                       "https://drive.google.com/uc?export=download&id=1AbC",
		"https://drive.google.com/uc?export=download&id=1AbC":         "https://drive.google.com/uc?export=download&id=1AbC",
		"https://www.dropbox.com/s/abc123/shirt.jpg?dl=0":             "https://www.dropbox.com/s/abc123/shirt.jpg?dl=1",
		"https://www.dropbox.com/scl/fi/xyz/shirt.jpg?rlkey=k1&dl=0":  "https://www.dropbox.com/scl/fi/xyz/shirt.jpg?dl=1&rlkey=k1",
		"https://www.dropbox.com/scl/fi/xyz/shirt.jpg?rlkey=k1&raw=1": "https://www.dropbox.com/scl/fi/xyz/shirt.jpg?rlkey=k1&raw=1",
		"https://burst.shopifycdn.com/photos/tshirts.jpg?width=1500":  "https://burst.shopifycdn.com/photos/tshirts.jpg?width=1500",
		"https://drive.google.com/drive/folders/abc":                  "https://drive.google.com/drive/folders/abc",
		"HTTPS://WWW.DROPBOX.COM/s/abc123/shirt.jpg?dl=0":             "https://WWW.DROPBOX.COM/s/abc123/shirt.jpg?dl=1",
		"https://Drive.Google.com/open?id=1AbC":                       "https://drive.google.com/uc?export=download&id=1AbC",
	} {
		if got := DirectImageURL(in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
}

// TestDirectImageURLQuickTest: the addresses DirectImageURL returns without
// parsing (maybeShareLink false) are ones parsing would return unchanged.
func TestDirectImageURLQuickTest(t *testing.T) {
	for _, in := range []string{
		"https://cdn.shopify.com/s/files/1/p.jpg?v=1", "https://example.com/dropbox.co/x.jpg", "http://drive.google.co/open?id=1",
		"https://drive.google.com.example.com/open?id=1", "https://www.dropbox.com/s/a/b.jpg?dl=0", "https://www.dropbox%2Ecom/s/a/b.jpg?dl=0",
		"https://dropbox.com/s/a/b.jpg", "https://DROPBOX.com/s/a/b.jpg", "https://drive.google.com/file/d/1AbC/view", "https://xn--drpbox-rua.com/s/a?dl=0",
		"https://dröpbox.com/s/a?dl=0", "not a url", "",
	} {
		if !maybeShareLink(in) && shareLinkToFile(in) != in {
			t.Errorf("%q is returned as it is, but parsing turns it into %q", in, shareLinkToFile(in))
		}
		if got, want := DirectImageURL(in), shareLinkToFile(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
