package rctab

import "testing"

// checkSignatureCase runs more_test_data/signature_validation: the good
// signature verifies, the wrong key and the wrong signature do not.
//
// CONTRACT (issue 15): written by the CVR readers work.
func checkSignatureCase(t *testing.T, dir, name string) {
	t.Fatal("not written yet")
}
