package rctab

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkSignatureCase runs more_test_data/signature_validation: the good
// signature verifies, the wrong key and the wrong signature do not, and
// a changed or renamed file is refused, as RCTab's SecurityTests check.
func checkSignatureCase(t *testing.T, dir, name string) {
	data := filepath.Join(dir, "test.xml")
	sig := filepath.Join(dir, "test.xml.sig.xml")
	key := filepath.Join(dir, "public_key.txt")
	if err := VerifySignature(data, sig, key); err != nil {
		t.Fatalf("good signature: %v", err)
	}
	refused := func(t *testing.T, err error, want string) {
		t.Helper()
		var se *SignatureError
		if !errors.As(err, &se) {
			t.Fatalf("got %v, want a *SignatureError", err)
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
		if !strings.Contains(err.Error(), "test.xml") {
			t.Errorf("error %q does not name the file", err)
		}
	}
	t.Run("IncorrectKey", func(t *testing.T) {
		refused(t, VerifySignature(data, sig, filepath.Join(dir, "incorrect_public_key.txt")), "unexpected public key")
	})
	t.Run("IncorrectSignature", func(t *testing.T) {
		refused(t, VerifySignature(data, filepath.Join(dir, "incorrect_signature.xml.sig.xml"), key), "signature does not match")
	})
	t.Run("ChangedFile", func(t *testing.T) {
		changed := filepath.Join(t.TempDir(), "test.xml")
		if err := os.WriteFile(changed, []byte("not the original data"), 0o644); err != nil {
			t.Fatal(err)
		}
		refused(t, VerifySignature(changed, sig, key), "changed after signing")
	})
	t.Run("SameNameOtherFolder", func(t *testing.T) {
		moved := filepath.Join(t.TempDir(), "test.xml")
		copySigFile(t, data, moved)
		if err := VerifySignature(moved, sig, key); err != nil {
			t.Errorf("the same file in another folder: %v", err)
		}
	})
	t.Run("OtherName", func(t *testing.T) {
		renamed := filepath.Join(t.TempDir(), "test2.xml")
		copySigFile(t, data, renamed)
		refused(t, VerifySignature(renamed, sig, key), `signs the file "test.xml", not "test2.xml"`)
	})
}

func copySigFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
