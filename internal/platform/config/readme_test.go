package config

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestREADMEConfigTable keeps the README's configuration table true.
func TestREADMEConfigTable(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Skipf("README.md not found: %v", err)
	}
	readme := string(b)
	start := strings.Index(readme, "<!-- config-table")
	end := strings.Index(readme, "<!-- /config-table -->")
	if start < 0 || end < start {
		t.Fatal("README.md lacks the config-table markers")
	}
	table := readme[start:end]
	for _, v := range Vars() {
		def := ""
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		row := fmt.Sprintf("| `%s` | %s | %s |", v.Name, def, v.Help)
		if !strings.Contains(table, row) {
			t.Errorf("README.md's configuration table should have the row\n%s", row)
		}
	}
}
