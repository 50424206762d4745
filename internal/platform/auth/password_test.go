package auth

import (
	"regexp"
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword("correct horse battery", DefaultPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !phc.MatchString(hash) {
		t.Fatalf("hash %q is not the PHC form with the default params", hash)
	}
	if ok, err := CheckPassword(hash, "correct horse battery"); !ok || err != nil {
		t.Fatalf("right password: ok=%v err=%v", ok, err)
	}
	if ok, _ := CheckPassword(hash, "correct horse batterY"); ok {
		t.Fatal("wrong password accepted")
	}
	again, _ := HashPassword("correct horse battery", DefaultPasswordParams)
	if again == hash {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	if NeedsRehash(hash, DefaultPasswordParams) {
		t.Fatal("NeedsRehash true for current params")
	}
	if !NeedsRehash(hash, PasswordParams{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32}) {
		t.Fatal("NeedsRehash false for other params")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", strings.Replace(hash, "v=19", "v=16", 1)} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword(%q) accepted an unreadable hash", bad)
		}
		if !NeedsRehash(bad, DefaultPasswordParams) {
			t.Errorf("NeedsRehash(%q) = false", bad)
		}
	}
}
