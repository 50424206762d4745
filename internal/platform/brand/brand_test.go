package brand

import (
	"strings"
	"testing"
)

// TestSchemeContrast checks, for brand colours from pale to dark, that the
// computed text colour on the brand, on its hover shade, and the brand ink on
// both page backgrounds all reach 4.5:1.
func TestSchemeContrast(t *testing.T) {
	cases := []struct {
		name, colour string
		on           Colour
	}{
		{"DefaultBurgundy", "#8a1538", White},
		{"Yellow", "#ffd500", Black},
		{"LightGreen", "#9be564", Black},
		{"MidGrey", "#707070", White},
		{"WorstGrey", "#777777", Black}, // near the colour where black and white tie
		{"NavyShort", "#036", White},
		{"White", "#ffffff", Black},
		{"Black", "#000000", White},
		{"NoHash", "1d70b8", White},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.colour)
			if err != nil {
				t.Fatal(err)
			}
			s, err := NewScheme(c)
			if err != nil {
				t.Fatal(err)
			}
			if s.OnBrand != tc.on {
				t.Errorf("text on %s = %s, want %s", tc.colour, s.OnBrand.Hex(), tc.on.Hex())
			}
			for _, p := range []struct {
				what string
				a, b Colour
			}{
				{"text on brand", s.OnBrand, s.Brand},
				{"text on hover", s.OnBrand, s.Hover},
				{"ink on light page", s.InkLight, PageLight},
				{"ink on dark page", s.InkDark, PageDark},
			} {
				if r := Contrast(p.a, p.b); r < MinContrast {
					t.Errorf("%s: %s on %s = %.2f:1, below 4.5", p.what, p.a.Hex(), p.b.Hex(), r)
				}
			}
			css := s.CSS()
			for _, want := range []string{"--brand: " + s.Brand.Hex(), "--on-brand: " + s.OnBrand.Hex(), "prefers-color-scheme: dark"} {
				if !strings.Contains(css, want) {
					t.Errorf("CSS lacks %q:\n%s", want, css)
				}
			}
		})
	}
}

// TestEveryColourReachesContrast sweeps the greys, where black and white
// text contrast least, and a coarse cube of colours: none is refused, and
// each scheme's text reaches 4.5:1.
func TestEveryColourReachesContrast(t *testing.T) {
	for r := 0; r < 256; r += 15 {
		for g := 0; g < 256; g += 15 {
			for b := 0; b < 256; b += 15 {
				c := Colour{uint8(r), uint8(g), uint8(b)}
				s, err := NewScheme(c)
				if err != nil {
					t.Fatalf("%s refused: %v", c.Hex(), err)
				}
				if Contrast(s.OnBrand, s.Brand) < MinContrast || Contrast(s.InkLight, PageLight) < MinContrast || Contrast(s.InkDark, PageDark) < MinContrast {
					t.Fatalf("%s: a pairing is below 4.5:1: %+v", c.Hex(), s)
				}
			}
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, s := range []string{"", "red", "#12", "#1234567", "#ggg000", "rgb(1,2,3)"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
}

// TestContrastKnownValues pins the formula to WCAG's published figures.
func TestContrastKnownValues(t *testing.T) {
	if r := Contrast(Black, White); r < 20.99 || r > 21.01 {
		t.Errorf("black on white = %.3f, want 21", r)
	}
	if r := Contrast(Colour{0x76, 0x76, 0x76}, White); r < 4.53 || r > 4.55 {
		t.Errorf("#767676 on white = %.3f, want 4.54", r)
	}
}

func TestLogoType(t *testing.T) {
	for name, want := range map[string]bool{"logo.svg": true, "LOGO.PNG": true, "a.jpeg": true, "logo.gif": false, "logo": false, "/etc/passwd": false} {
		if LogoType(name) != want {
			t.Errorf("LogoType(%q) = %v", name, !want)
		}
	}
}
