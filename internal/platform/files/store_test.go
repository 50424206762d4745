package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/momentum-movement/momentum/internal/platform/errs"
)

// testStore is the suite every Store passes: the Disk store and the S3
// store (against an S3 server speaking the real protocol) run it alike.
func testStore(t *testing.T, s Store) {
	ctx := context.Background()
	t.Run("PutOpen", func(t *testing.T) {
		mustPut(t, s, "attachments/a1", "hello")
		if got := mustRead(t, s, "attachments/a1"); got != "hello" {
			t.Fatalf("read %q, want hello", got)
		}
	})
	t.Run("Overwrite", func(t *testing.T) {
		mustPut(t, s, "attachments/a2", "first version, longer")
		mustPut(t, s, "attachments/a2", "second")
		if got := mustRead(t, s, "attachments/a2"); got != "second" {
			t.Fatalf("read %q, want second", got)
		}
	})
	t.Run("Missing", func(t *testing.T) {
		_, err := s.Open(ctx, "attachments/never-put")
		if !errs.Is(err, errs.NotFound) {
			t.Fatalf("Open of a missing key: %v, want NotFound", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		mustPut(t, s, "attachments/a3", "bye")
		if err := s.Delete(ctx, "attachments/a3"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, "attachments/a3"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("Open after Delete: %v, want NotFound", err)
		}
		if err := s.Delete(ctx, "attachments/a3"); err != nil {
			t.Fatalf("second Delete: %v, want nil", err)
		}
		if err := s.Delete(ctx, "attachments/never-put"); err != nil {
			t.Fatalf("Delete of a missing key: %v, want nil", err)
		}
	})
	t.Run("EmptyFile", func(t *testing.T) {
		mustPut(t, s, "attachments/empty", "")
		if got := mustRead(t, s, "attachments/empty"); got != "" {
			t.Fatalf("read %q, want nothing", got)
		}
	})
	t.Run("ShortReader", func(t *testing.T) {
		// A client that went away mid-upload: nothing is kept, and what
		// was there before stays whole.
		mustPut(t, s, "attachments/a4", "kept")
		err := s.Put(ctx, "attachments/a4", strings.NewReader("abc"), 10, "text/plain")
		if err == nil {
			t.Fatal("Put of 3 bytes announced as 10 succeeded")
		}
		if got := mustRead(t, s, "attachments/a4"); got != "kept" {
			t.Fatalf("read %q after a failed Put, want kept", got)
		}
		if err := s.Put(ctx, "attachments/a5", strings.NewReader("abc"), 10, "text/plain"); err == nil {
			t.Fatal("Put of 3 bytes announced as 10 succeeded")
		}
		if _, err := s.Open(ctx, "attachments/a5"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("Open after a failed Put: %v, want NotFound", err)
		}
	})
	t.Run("BadKeys", func(t *testing.T) {
		for _, key := range []string{"", "../escape", "attachments/../../etc/passwd", "/etc/passwd", "attachments//x",
			"attachments/", "Attachments/X", "attachments/a b", "attachments/.hidden", "attachments/x\x00", `attachments\x`,
			strings.Repeat("a", 600)} {
			if err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain"); err == nil {
				t.Errorf("Put(%q) succeeded", key)
			}
			if _, err := s.Open(ctx, key); err == nil || errs.Is(err, errs.NotFound) {
				t.Errorf("Open(%q) = %v, want a key error", key, err)
			}
			if err := s.Delete(ctx, key); err == nil {
				t.Errorf("Delete(%q) succeeded", key)
			}
		}
	})
	t.Run("LargeStreamed", func(t *testing.T) {
		// 24 MiB from a reader that makes the bytes as it goes, so the
		// store must stream (and S3 goes multipart past 16 MiB).
		const size = 24 << 20
		src := io.LimitReader(rand.NewChaCha8([32]byte{1}), size)
		want := sha256.New()
		if err := s.Put(ctx, "attachments/big", io.TeeReader(src, want), size, "application/pdf"); err != nil {
			t.Fatal(err)
		}
		rc, err := s.Open(ctx, "attachments/big")
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		got := sha256.New()
		n, err := io.Copy(got, rc)
		if err != nil {
			t.Fatal(err)
		}
		if n != size || !bytes.Equal(got.Sum(nil), want.Sum(nil)) {
			t.Fatalf("read back %d bytes with another hash, want the %d put", n, size)
		}
	})
	t.Run("Cancelled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := s.Put(cctx, "attachments/a6", strings.NewReader("x"), 1, "text/plain"); err == nil {
			t.Fatal("Put with a cancelled context succeeded")
		}
	})
}

func mustPut(t *testing.T, s Store, key, body string) {
	t.Helper()
	if err := s.Put(context.Background(), key, strings.NewReader(body), int64(len(body)), "text/plain"); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

func mustRead(t *testing.T, s Store, key string) string {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b)
}

func TestDisk(t *testing.T) {
	dir := t.TempDir()
	d, err := NewDisk(filepath.Join(dir, "attachments"))
	if err != nil {
		t.Fatal(err)
	}
	testStore(t, d)
	t.Run("NoTemporaryFilesLeft", func(t *testing.T) {
		left, err := os.ReadDir(filepath.Join(d.Dir(), ".tmp"))
		if err != nil || len(left) != 0 {
			t.Fatalf("temporary files left behind: %v %v", left, err)
		}
	})
	t.Run("LongReader", func(t *testing.T) {
		// More bytes than announced is the caller's bug: refused, not cut.
		if err := d.Put(context.Background(), "attachments/long", strings.NewReader("abcdef"), 3, "text/plain"); err == nil {
			t.Fatal("Put of 6 bytes announced as 3 succeeded")
		}
		if _, err := d.Open(context.Background(), "attachments/long"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("Open after a refused Put: %v, want NotFound", err)
		}
	})
	t.Run("CrashLeftoversRemoved", func(t *testing.T) {
		old := filepath.Join(d.Dir(), ".tmp", "put-old")
		fresh := filepath.Join(d.Dir(), ".tmp", "put-fresh")
		os.WriteFile(old, []byte("half"), 0o600)
		os.WriteFile(fresh, []byte("half"), 0o600)
		os.Chtimes(old, time.Now().Add(-25*time.Hour), time.Now().Add(-25*time.Hour))
		if _, err := NewDisk(d.Dir()); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(old); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a day-old upload left by a crash is still there: %v", err)
		}
		if _, err := os.Stat(fresh); err != nil {
			t.Errorf("an upload in progress was removed: %v", err)
		}
		os.Remove(fresh)
	})
	t.Run("FolderIsNotAFile", func(t *testing.T) {
		// "attachments" is a folder in the store once a key lives under
		// it: opening it as a key is NotFound, not a directory listing.
		mustPut(t, d, "x/y", "z")
		if _, err := d.Open(context.Background(), "x"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("Open of a folder: %v, want NotFound", err)
		}
	})
	t.Run("NeedsAFolder", func(t *testing.T) {
		if _, err := NewDisk(""); err == nil {
			t.Fatal("NewDisk(\"\") succeeded")
		}
		file := filepath.Join(dir, "a-file")
		os.WriteFile(file, []byte("x"), 0o600)
		if _, err := NewDisk(file); err == nil {
			t.Fatal("NewDisk of a file succeeded")
		}
	})
	var e *errs.Error
	_, err = d.Open(context.Background(), "nope")
	if !errors.As(err, &e) || e.Message == "" {
		t.Fatalf("NotFound error without a message: %v", err)
	}
}
