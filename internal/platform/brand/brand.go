// Package brand turns a network's brand settings (its colour and logo) into
// what pages need: the colour's text colour with enough contrast, and a small
// stylesheet that overrides app.css's brand tokens. It imports nothing of
// ours, so both config (which refuses a bad colour at start) and web (which
// serves the stylesheet) may use it.
package brand

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MinContrast is the WCAG 2 AA ratio for body text, which every pairing of
// the brand colour with text must reach.
const MinContrast = 4.5

// Colour is an sRGB colour.
type Colour struct{ R, G, B uint8 }

// Black and White are the two text colours a brand colour may carry.
var (
	Black = Colour{0, 0, 0}
	White = Colour{0xff, 0xff, 0xff}
)

// Parse reads "#rgb" or "#rrggbb" (the "#" optional, any case).
func Parse(s string) (Colour, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return Colour{}, fmt.Errorf("%q is not a colour like #8a1538", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return Colour{}, fmt.Errorf("%q is not a colour like #8a1538", s)
	}
	return Colour{uint8(v >> 16), uint8(v >> 8), uint8(v)}, nil
}

// Hex is the colour as "#rrggbb".
func (c Colour) Hex() string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// Luminance is the WCAG relative luminance, 0 (black) to 1 (white).
func (c Colour) Luminance() float64 {
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// Contrast is the WCAG contrast ratio of a and b, 1 to 21.
func Contrast(a, b Colour) float64 {
	la, lb := a.Luminance(), b.Luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Mix is c moved toward to by t (0: c, 1: to), for hover shades.
func Mix(c, to Colour, t float64) Colour {
	m := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*t)) }
	return Colour{m(c.R, to.R), m(c.G, to.G), m(c.B, to.B)}
}

// Scheme is what pages draw with a brand colour.
type Scheme struct {
	Brand   Colour // backgrounds: the header, primary buttons
	OnBrand Colour // text on Brand: black or white, whichever contrasts more
	Hover   Colour // a primary button under the pointer; OnBrand still reads on it
	// InkLight and InkDark are the brand colour as text (links of secondary
	// buttons, headings' accents) on the light and the dark page: the brand
	// colour itself when it reads there, else the nearest shade that does.
	InkLight, InkDark Colour
}

// Light and dark page backgrounds of app.css, against which ink is checked.
var (
	PageLight = White
	PageDark  = Colour{0x12, 0x14, 0x18}
)

// NewScheme computes the scheme of a brand colour. It fails, saying why,
// when no text colour reaches MinContrast on it (for sRGB colours black or
// white always reaches at least 4.58, so only a malformed colour fails
// today; the check stays so a change of rule cannot let one through).
func NewScheme(c Colour) (Scheme, error) {
	s := Scheme{Brand: c, OnBrand: White}
	if Contrast(c, Black) > Contrast(c, White) {
		s.OnBrand = Black
	}
	if r := Contrast(c, s.OnBrand); r < MinContrast {
		return Scheme{}, fmt.Errorf("%s has a contrast of %.2f with its text, below %.1f:1", c.Hex(), r, MinContrast)
	}
	// The hover shade moves away from the text colour, so contrast grows.
	away := Black
	if s.OnBrand == Black {
		away = White
	}
	s.Hover = Mix(c, away, 0.2)
	s.InkLight = ink(c, PageLight, Black)
	s.InkDark = ink(c, PageDark, White)
	return s, nil
}

// ink is c, or c mixed toward toward in small steps until it reads on page.
func ink(c, page, toward Colour) Colour {
	for t := 0.0; t <= 1; t += 0.05 {
		if m := Mix(c, toward, t); Contrast(m, page) >= MinContrast {
			return m
		}
	}
	return toward
}

// CSS is the stylesheet that gives app.css's tokens the brand's values, in
// both colour schemes.
func (s Scheme) CSS() string {
	return fmt.Sprintf(`/* The network's brand colour (MOMENTUM_BRAND_COLOR), computed by package brand. */
:root { --brand: %s; --on-brand: %s; --brand-hover: %s; --brand-ink: %s; }
@media (prefers-color-scheme: dark) { :root { --brand-ink: %s; } }
.scheme-light { --brand-ink: %s; }
.scheme-dark { --brand-ink: %s; }
`, s.Brand.Hex(), s.OnBrand.Hex(), s.Hover.Hex(), s.InkLight.Hex(), s.InkDark.Hex(), s.InkLight.Hex(), s.InkDark.Hex())
}

// logoTypes are the image types a logo may be, by extension.
var logoTypes = map[string]bool{".svg": true, ".png": true, ".webp": true, ".jpg": true, ".jpeg": true}

// MaxLogoBytes is the largest logo file accepted.
const MaxLogoBytes = 512 << 10

// LogoType reports whether name's extension is one a logo may have.
func LogoType(name string) bool {
	i := strings.LastIndexByte(name, '.')
	return i >= 0 && logoTypes[strings.ToLower(name[i:])]
}
