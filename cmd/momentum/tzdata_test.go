package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryCarriesTimeZones runs the real binary where no zone database
// can be found (the system's and Go's are hidden under empty mounts in a
// private mount namespace, ZONEINFO points nowhere) with a network in New
// York: it starts, because the binary embeds time/tzdata. The same binary
// refuses an unknown zone, naming the setting, so the zone is really read.
func TestBinaryCarriesTimeZones(t *testing.T) {
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare (util-linux) is not installed")
	}
	if err := exec.Command("unshare", "--user", "--map-root-user", "--mount", "true").Run(); err != nil {
		t.Skipf("cannot make a private mount namespace here: %v", err)
	}
	bin := momentumBinary(t)
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatal(err)
	}
	hide := ""
	for _, dir := range []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo",
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "time")} {
		hide += "if [ -d " + dir + " ]; then mount -t tmpfs none " + dir + " || exit 3; fi; "
	}
	run := func(zone string) (string, error) {
		script := hide + `if [ -e /usr/share/zoneinfo/America/New_York ]; then echo "zones still visible"; exit 4; fi; ` +
			`exec "$0" migrate up`
		cmd := exec.Command("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, bin)
		cmd.Env = procEnv("MOMENTUM_TIME_ZONE="+zone, "MOMENTUM_DATA="+t.TempDir(), "ZONEINFO=/nonexistent", "TZ=America/Chicago",
			"MOMENTUM_LOG_LEVEL=warn")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run("America/New_York"); err != nil {
		t.Fatalf("momentum migrate with MOMENTUM_TIME_ZONE=America/New_York and no zone database: %v\n%s", err, out)
	}
	out, err := run("Mars/Olympus_Mons")
	if err == nil || !strings.Contains(out, "MOMENTUM_TIME_ZONE") {
		t.Fatalf("an unknown zone was not refused by name: %v\n%s", err, out)
	}
}
