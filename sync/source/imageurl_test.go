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
	} {
		if got := DirectImageURL(in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
}
