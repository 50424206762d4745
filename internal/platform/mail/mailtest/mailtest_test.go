package mailtest

import "testing"

func TestFindLink(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"Text", "Open this:\nhttps://m.example/verify?t=abc&x=1\nThanks", "https://m.example/verify?t=abc&x=1"},
		{"HTML", `<a href="https://m.example/verify?t=abc&amp;x=1">go</a>`, "https://m.example/verify?t=abc&x=1"},
		{"AngleBrackets", "<https://m.example/verify?t=z>", "https://m.example/verify?t=z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FindLink(t, tc.body, "https://m.example/verify"); got != tc.want {
				t.Fatalf("FindLink = %q, want %q", got, tc.want)
			}
		})
	}
}
