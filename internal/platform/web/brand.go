package web

import (
	"fmt"
	"path"
	"strings"

	"github.com/momentum-movement/momentum/internal/platform/brand"
)

// Brand is a network's own look (issue 16): MOMENTUM_BRAND_COLOR and the
// contents of MOMENTUM_LOGO_FILE.
type Brand struct {
	Colour   string // "#rrggbb"; empty keeps app.css's colour
	LogoName string // the logo file's name, for its type: "logo.svg"
	Logo     []byte // the image; nil shows the name alone
}

// BrandPage is what the layout needs of the brand: URLs of the stylesheet
// that sets the colour tokens, and of the logo. Empty when not set.
type BrandPage struct {
	CSS  string
	Logo string
}

// addBrand serves the brand's stylesheet and logo among the assets. The
// colour's contrast was checked by config; a colour refused here names the
// setting, as config does.
func addBrand(a *Assets, b Brand) (BrandPage, error) {
	var p BrandPage
	if b.Colour != "" {
		c, err := brand.Parse(b.Colour)
		if err != nil {
			return p, fmt.Errorf("MOMENTUM_BRAND_COLOR: %w", err)
		}
		s, err := brand.NewScheme(c)
		if err != nil {
			return p, fmt.Errorf("MOMENTUM_BRAND_COLOR: %w", err)
		}
		a.Add("brand.css", []byte(s.CSS()))
		p.CSS = a.URL("brand.css")
	}
	if len(b.Logo) > 0 {
		if !brand.LogoType(b.LogoName) || len(b.Logo) > brand.MaxLogoBytes {
			return p, fmt.Errorf("MOMENTUM_LOGO_FILE: %q is not an .svg, .png, .webp or .jpg file of at most 512 KiB", b.LogoName)
		}
		ext := strings.ToLower(path.Ext(b.LogoName))
		if ext == ".jpeg" {
			ext = ".jpg"
		}
		a.Add("logo"+ext, b.Logo)
		p.Logo = a.URL("logo" + ext)
	}
	return p, nil
}
