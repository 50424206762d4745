package web

import (
	"regexp"
	"sync"
)

var (
	iconsOnce sync.Once
	iconNames []string
)

// IconNames lists the icons of the sprite (static/icons.svg, issue 16), the
// names the "icon" template takes, in the sprite's order.
func IconNames() []string {
	iconsOnce.Do(func() {
		b, err := staticFS.ReadFile("static/icons.svg")
		if err != nil {
			return
		}
		for _, m := range regexp.MustCompile(`<symbol id="i-([a-z0-9-]+)"`).FindAllSubmatch(b, -1) {
			iconNames = append(iconNames, string(m[1]))
		}
	})
	return iconNames
}
