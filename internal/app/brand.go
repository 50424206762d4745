package app

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/momentum-movement/momentum/internal/platform/brand"
	"github.com/momentum-movement/momentum/internal/platform/config"
	"github.com/momentum-movement/momentum/internal/platform/web"
)

// brandOf reads the network's brand settings (issue 16) for the renderer:
// the colour as configured, the logo file's bytes.
func brandOf(cfg config.Config) (web.Brand, error) {
	b := web.Brand{Colour: cfg.BrandColor}
	if cfg.LogoFile == "" {
		return b, nil
	}
	st, err := os.Stat(cfg.LogoFile)
	if err != nil {
		return b, fmt.Errorf("MOMENTUM_LOGO_FILE: %w", err)
	}
	if st.Size() > brand.MaxLogoBytes {
		return b, fmt.Errorf("MOMENTUM_LOGO_FILE: %s is %d bytes, more than 512 KiB", cfg.LogoFile, st.Size())
	}
	if b.Logo, err = os.ReadFile(cfg.LogoFile); err != nil {
		return b, fmt.Errorf("MOMENTUM_LOGO_FILE: %w", err)
	}
	b.LogoName = filepath.Base(cfg.LogoFile)
	return b, nil
}
