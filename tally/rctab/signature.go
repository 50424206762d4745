package rctab

import "errors"

// VerifySignature checks a Hart CVR file against its detached XML
// signature (<file>.sig.xml, RSA-SHA256 over the canonical SignedInfo)
// and the vendor's public key (an RSAKeyValue XML file), as RCTab does
// before it reads a Hart folder.
//
// CONTRACT (issue 15): implemented by the CVR readers work.
func VerifySignature(dataPath, sigPath, publicKeyPath string) error {
	return errors.New("rctab: signature verification is not implemented yet")
}
