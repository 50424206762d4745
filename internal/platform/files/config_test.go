package files

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/momentum-movement/momentum/internal/platform/config"
)

func TestFromConfig(t *testing.T) {
	t.Run("DiskInTheDataFolder", func(t *testing.T) {
		cfg := config.Default()
		cfg.DataDir = t.TempDir()
		st, err := FromConfig(cfg)
		if err != nil {
			t.Fatal(err)
		}
		d, ok := st.(*Disk)
		if !ok || d.Dir() != filepath.Join(cfg.DataDir, "attachments") {
			t.Fatalf("FromConfig gave %T %v, want the Disk store in %s/attachments", st, st, cfg.DataDir)
		}
	})
	t.Run("NoDataFolder", func(t *testing.T) {
		cfg := config.Default()
		cfg.DataDir = ""
		if _, err := FromConfig(cfg); err == nil || !strings.Contains(err.Error(), "MOMENTUM_DATA") {
			t.Fatalf("error %v, want it to name MOMENTUM_DATA", err)
		}
	})
	t.Run("PartialS3", func(t *testing.T) {
		cfg := config.Default()
		cfg.S3Endpoint, cfg.S3Bucket = "minio.example.org:9000", "files"
		if _, err := FromConfig(cfg); err == nil || !strings.Contains(err.Error(), "MOMENTUM_S3_ACCESS_KEY") {
			t.Fatalf("error %v, want it to name the missing keys", err)
		}
	})
	t.Run("S3", func(t *testing.T) {
		cfg := config.Default()
		cfg.S3Endpoint, cfg.S3Bucket, cfg.S3AccessKey, cfg.S3SecretKey = "https://s3.eu-west-1.amazonaws.com", "files", "a", "b"
		st, err := FromConfig(cfg)
		if _, ok := st.(*S3); err != nil || !ok {
			t.Fatalf("FromConfig gave %T, %v; want *S3", st, err)
		}
	})
	t.Run("Limits", func(t *testing.T) {
		cfg := config.Default()
		if l := LimitsFromConfig(cfg); l.MaxBytes != 10<<20 || len(l.Types) != len(DefaultTypes) {
			t.Fatalf("limits %+v", l)
		}
		cfg.AttachmentMaxBytes = 2048
		if l := LimitsFromConfig(cfg); l.MaxBytes != 2048 {
			t.Fatalf("limits %+v, want 2048 bytes", l)
		}
	})
}
