package web

import (
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		notWant  []string
	}{
		{"Emphasis and lists", "Bring *banners* and:\n\n- food\n- friends", []string{"<em>banners</em>", "<li>food</li>"}, nil},
		{"Links are nofollow", "See [the plan](https://example.org/plan)", []string{`href="https://example.org/plan"`, `rel="nofollow"`}, nil},
		{"Bare links", "Join at https://meet.example.org/x", []string{`href="https://meet.example.org/x"`}, nil},
		{"Raw HTML left out", "<script>alert(1)</script><b onclick=x>bold</b>", nil, []string{"<script", "onclick"}},
		{"Javascript links dropped", "[x](javascript:alert(1))", nil, []string{"javascript:"}},
		{"Images only as allowed", "![a](https://example.org/a.png)", []string{`<img src="https://example.org/a.png"`}, []string{"onerror"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Markdown(tt.in))
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Markdown(%q) = %q, lacks %q", tt.in, got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("Markdown(%q) = %q, holds %q", tt.in, got, w)
				}
			}
		})
	}
}
