package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLayers(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "momentum.conf")
	os.WriteFile(file, []byte("# comment\nMOMENTUM_ADDR=127.0.0.1:9000\nMOMENTUM_SITE_NAME=\"Tenants United\"\nMOMENTUM_SESSION_IDLE=2h\n"), 0o600)
	c, err := Load(file, env(map[string]string{"MOMENTUM_ADDR": "127.0.0.1:9100"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9100" {
		t.Errorf("environment must win over the file: Addr = %s", c.Addr)
	}
	if c.SiteName != "Tenants United" || c.SessionIdle != 2*time.Hour {
		t.Errorf("file values not applied: %+v", c)
	}
	if c.DataDir != "./momentum-data" {
		t.Errorf("default lost: DataDir = %q", c.DataDir)
	}
	if c.PublicURL() != "http://127.0.0.1:9100" {
		t.Errorf("PublicURL = %s", c.PublicURL())
	}
}

func TestValidationNamesTheSetting(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"BadAddr", map[string]string{"MOMENTUM_ADDR": "nonsense"}, "MOMENTUM_ADDR"},
		{"BadDatabaseURL", map[string]string{"MOMENTUM_DATABASE_URL": "mysql://x"}, "MOMENTUM_DATABASE_URL"},
		{"BadSMTP", map[string]string{"MOMENTUM_SMTP_URL": "http://mail"}, "MOMENTUM_SMTP_URL"},
		{"BadDuration", map[string]string{"MOMENTUM_SESSION_IDLE": "forever"}, "MOMENTUM_SESSION_IDLE"},
		{"BadBool", map[string]string{"MOMENTUM_REQUIRE_ADMIN_TOTP": "perhaps"}, "MOMENTUM_REQUIRE_ADMIN_TOTP"},
		{"MaxBelowIdle", map[string]string{"MOMENTUM_SESSION_MAX": "1h", "MOMENTUM_SESSION_IDLE": "2h"}, "MOMENTUM_SESSION_MAX"},
		{"BadFrom", map[string]string{"MOMENTUM_MAIL_FROM": "not an address"}, "MOMENTUM_MAIL_FROM"},
		{"MapTilesNotHTTP", map[string]string{"MOMENTUM_MAP_TILES": "tiles/{z}/{x}/{y}.png"}, "MOMENTUM_MAP_TILES"},
		{"MapTilesHeaderInjection", map[string]string{"MOMENTUM_MAP_TILES": "https://a.example; script-src *"}, "MOMENTUM_MAP_TILES"},
		{"UnknownTimeZone", map[string]string{"MOMENTUM_TIME_ZONE": "Mars/Olympus_Mons"}, "MOMENTUM_TIME_ZONE"},
		{"LocalTimeZone", map[string]string{"MOMENTUM_TIME_ZONE": "Local"}, "MOMENTUM_TIME_ZONE"},
		{"TimeZoneOffset", map[string]string{"MOMENTUM_TIME_ZONE": "+01:00"}, "MOMENTUM_TIME_ZONE"},
		{"DigestTimeNotATime", map[string]string{"MOMENTUM_DIGEST_TIME": "25:00"}, "MOMENTUM_DIGEST_TIME"},
		// issue 16: brand settings name their field when refused.
		{"BrandColorNotAColour", map[string]string{"MOMENTUM_BRAND_COLOR": "burgundy"}, "MOMENTUM_BRAND_COLOR"},
		{"BrandColorShort", map[string]string{"MOMENTUM_BRAND_COLOR": "#12"}, "MOMENTUM_BRAND_COLOR"},
		{"LogoNotAnImage", map[string]string{"MOMENTUM_LOGO_FILE": "/etc/passwd"}, "MOMENTUM_LOGO_FILE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("", env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to name %s", err, tc.want)
			}
		})
	}
}

func TestFileErrorsNameTheLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(file, []byte("MOMENTUM_ADDR=127.0.0.1:1\nMOMENTUM_COLOUR=blue\n"), 0o600)
	_, err := Load(file, env(nil))
	if err == nil || !strings.Contains(err.Error(), "bad.conf:2") || !strings.Contains(err.Error(), "MOMENTUM_COLOUR") {
		t.Fatalf("err = %v, want file:line and the unknown key", err)
	}
}

func TestVarsCoverEveryField(t *testing.T) {
	for _, v := range Vars() {
		if !strings.HasPrefix(v.Name, "MOMENTUM_") || v.Help == "" {
			t.Errorf("setting %+v lacks an env name or help text", v)
		}
	}
}

// TestMapTileOrigin: the origin goes into the Content-Security-Policy, so it
// must name only the tile server, and nothing when no map is configured.
func TestMapTileOrigin(t *testing.T) {
	for _, tc := range []struct{ name, tiles, want string }{
		{"NoMap", "", ""},
		{"Plain", "https://tile.example.org/{z}/{x}/{y}.png", "https://tile.example.org"},
		{"Port", "http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png?key=k", "http://127.0.0.1:8081"},
		{"Subdomains", "https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"},
		{"NotHTTP", "javascript://x/{z}", ""},
		{"SpaceInHost", "https://a.example script-src/{z}", ""},
		{"WildcardInside", "https://tile.{s}.example/{z}", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Config{MapTiles: tc.tiles}
			if got := c.MapTileOrigin(); got != tc.want {
				t.Errorf("MapTileOrigin(%q) = %q, want %q", tc.tiles, got, tc.want)
			}
		})
	}
}

// TestTimeZone: London unless set; a set zone is the network's Location.
func TestTimeZone(t *testing.T) {
	c, err := Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if loc, err := c.Location(); err != nil || loc.String() != "Europe/London" {
		t.Fatalf("default zone = %v, %v; want Europe/London", loc, err)
	}
	c, err = Load("", env(map[string]string{"MOMENTUM_TIME_ZONE": "America/New_York"}))
	if err != nil {
		t.Fatal(err)
	}
	loc, err := c.Location()
	if err != nil || loc.String() != "America/New_York" {
		t.Fatalf("zone = %v, %v; want America/New_York", loc, err)
	}
	if _, off := time.Date(2026, 1, 15, 12, 0, 0, 0, loc).Zone(); off != -5*3600 {
		t.Errorf("New York in January is %ds from UTC, want -18000", off)
	}
}
