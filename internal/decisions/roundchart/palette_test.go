package roundchart

import (
	"math"
	"slices"
	"strconv"
	"testing"
)

// contrast is the WCAG 2 contrast ratio of colour hex ("#rrggbb") against
// white.
func contrast(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var lum float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += weight * c
	}
	return 1.05 / (lum + 0.05)
}

func TestContrastAgainstWhite(t *testing.T) {
	t.Parallel()
	t.Run("Reference", func(t *testing.T) {
		// The formula itself: black on white is 21:1, white on white 1:1.
		if c := contrast(t, "#000000"); math.Abs(c-21) > 0.01 {
			t.Errorf("black: %.2f, want 21", c)
		}
		if c := contrast(t, colHalo); math.Abs(c-1) > 0.01 {
			t.Errorf("white: %.2f, want 1", c)
		}
	})
	for _, col := range textColours {
		t.Run("Text"+col, func(t *testing.T) {
			if c := contrast(t, col); c < 4.5 {
				t.Errorf("text colour %s has contrast %.2f:1 against white; AA needs 4.5:1", col, c)
			}
		})
	}
	for _, col := range barColours {
		t.Run("Bar"+col, func(t *testing.T) {
			if c := contrast(t, col); c < 3 {
				t.Errorf("bar colour %s has contrast %.2f:1 against white; AA needs 3:1 for graphics", col, c)
			}
		})
	}
}

// TestDrawnColoursAreChecked keeps the palette lists honest: every fill a
// chart draws text or a bar in must be one the contrast test checks.
func TestDrawnColoursAreChecked(t *testing.T) {
	t.Parallel()
	svgs := charts(t)
	for name, res := range counted(t) {
		svgs[name] = mustRender(t, res, Options{})
	}
	for name, svg := range svgs {
		t.Run(name, func(t *testing.T) {
			for _, e := range parseSVG(t, svg) {
				fill := e.attrs["fill"]
				switch {
				case e.name == "text" && !slices.Contains(textColours, fill):
					t.Errorf("text %q drawn in %s, which is not in textColours", e.text, fill)
				case e.name == "rect" && e.attrs["stroke"] != "":
					// A hollow segment: its outline carries the contrast.
					if !slices.Contains(barColours, e.attrs["stroke"]) || fill != colHalo {
						t.Errorf("hollow bar %q drawn %s on %s; want a checked outline on white", e.tip, e.attrs["stroke"], fill)
					}
				case e.name == "rect" && !slices.Contains(barColours, fill):
					t.Errorf("bar %q drawn in %s, which is not in barColours", e.tip, fill)
				}
			}
		})
	}
}
