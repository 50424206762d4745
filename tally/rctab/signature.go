package rctab

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"hash"
	"math/big"
	"os"
	"path"
	"strings"

	"github.com/beevik/etree"
	dsig "github.com/russellhaering/goxmldsig"
)

// rsaKeyValue is an XML-DSig <RSAKeyValue>: modulus and exponent,
// base64, big-endian. Keys are compared as RCTab compares them: by their
// text, trimmed.
type rsaKeyValue struct {
	Modulus  string `xml:"Modulus"`
	Exponent string `xml:"Exponent"`
}

// hartPublicKey is Hart InterCivic's public key as RCTab 2.0 ships it
// (SecurityConfig): a Hart CVR's signature must be made with it.
var hartPublicKey = rsaKeyValue{
	Modulus:  "vifu/KSlTnBHOtl0IuHEc1R3A4sH1vKCKU9G/8/LtD6Ih5aWq7SuyuGYgIUUzErmFC92kv4chXKBFwti5wSfoHqtTpmlAvlIsLvi4zrllaoewShzUCG/sqAH3Zw4JBOb6wk20064bkiejXbaxEZticxgs08ZU9bHmpWrlldbIJmgt3gOjhG68+ATfShREpuLeAV9lGU2+Y6OdKtUHVewSeyIfz3+Rpajc/f2UPtO6uA09FzmzryWhhtZHiXpev2oVWCpT1MH5JVgrWykX9fWcxJMTHdvZnMxYzJF6ox3vGtx6x8Eib8H4RT4KutWphPPT3vLDkhYXP9TAP+B1edxwQ==",
	Exponent: "AQAB",
}

// SignatureError reports a CVR file whose detached signature does not
// hold: Sig names the .sig.xml file.
type SignatureError struct {
	File string
	Sig  string
	Msg  string
}

// Error implements error.
func (e *SignatureError) Error() string {
	return fmt.Sprintf("%s: signature %s: %s", e.File, e.Sig, e.Msg)
}

// VerifySignature checks a Hart CVR file against its detached XML
// signature (<file>.sig.xml, RSA-SHA256 over the canonical SignedInfo)
// and the vendor's public key (an RSAKeyValue XML file), as RCTab does
// before it reads a Hart folder: the signature must name the key given,
// the file's name and digest must be the signed ones, and the RSA
// signature must verify. It returns a *SignatureError saying which check
// failed.
func VerifySignature(dataPath, sigPath, publicKeyPath string) error {
	keyData, err := os.ReadFile(publicKeyPath)
	if err != nil {
		return &SignatureError{File: dataPath, Sig: sigPath, Msg: "public key: " + errText(err)}
	}
	var key rsaKeyValue
	if err := xml.Unmarshal(keyData, &key); err != nil {
		return &SignatureError{File: dataPath, Sig: sigPath, Msg: fmt.Sprintf("public key %s is not an <RSAKeyValue>: %s", publicKeyPath, errText(err))}
	}
	data, err := os.ReadFile(dataPath)
	if err != nil {
		return &SignatureError{File: dataPath, Sig: sigPath, Msg: errText(err)}
	}
	return verifyHart(data, dataPath, sigPath, key)
}

// verifyHart checks data (read from file) against the detached signature
// at sigPath, made with key.
func verifyHart(data []byte, file, sigPath string, key rsaKeyValue) error {
	fail := func(format string, a ...any) error {
		return &SignatureError{File: file, Sig: sigPath, Msg: fmt.Sprintf(format, a...)}
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromFile(sigPath); err != nil {
		return fail("not readable XML: %s", errText(err))
	}
	root := doc.Root()
	if root == nil || root.Tag != "Signature" {
		return fail("no <Signature> element")
	}
	text := func(p string) string {
		if el := root.FindElement(p); el != nil {
			return strings.TrimSpace(el.Text())
		}
		return ""
	}
	attr := func(p, name string) string {
		if el := root.FindElement(p); el != nil {
			return el.SelectAttrValue(name, "")
		}
		return ""
	}
	// 1. The signature must be made with the expected key.
	mod, exp := text("./KeyInfo/KeyValue/RSAKeyValue/Modulus"), text("./KeyInfo/KeyValue/RSAKeyValue/Exponent")
	if mod != strings.TrimSpace(key.Modulus) || exp != strings.TrimSpace(key.Exponent) {
		return fail("signed with an unexpected public key (modulus %.16s…, want %.16s…)", mod, strings.TrimSpace(key.Modulus))
	}
	// 2. It must sign this file (by name) and these bytes (by digest).
	uri := attr("./SignedInfo/Reference", "URI")
	signed := path.Base(strings.ReplaceAll(uri, `\`, "/"))
	if base := baseName(file); signed != base {
		return fail("signs the file %q, not %q", signed, base)
	}
	h, err := digestFor(attr("./SignedInfo/Reference/DigestMethod", "Algorithm"))
	if err != nil {
		return fail("%s", err.Error())
	}
	h.Write(data)
	if got, want := base64.StdEncoding.EncodeToString(h.Sum(nil)), text("./SignedInfo/Reference/DigestValue"); got != want {
		return fail("the file's digest is %s, the signed digest is %s: the file was changed after signing", got, want)
	}
	// 3. The RSA signature over the canonical SignedInfo must verify.
	if alg := attr("./SignedInfo/SignatureMethod", "Algorithm"); alg != "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" {
		return fail("signature method %q is not supported (want rsa-sha256)", alg)
	}
	if alg := attr("./SignedInfo/CanonicalizationMethod", "Algorithm"); alg != dsig.CanonicalXML10RecAlgorithmId.String() {
		return fail("canonicalization %q is not supported (want C14N 1.0)", alg)
	}
	signedInfo := root.FindElement("./SignedInfo")
	if signedInfo == nil {
		return fail("no <SignedInfo>")
	}
	// Hart signs SignedInfo with the xmldsig namespace declared on it (as
	// .NET carries the Signature's namespace down); RCTab does the same.
	si := signedInfo.Copy()
	si.CreateAttr("xmlns", "http://www.w3.org/2000/09/xmldsig#")
	canon, err := dsig.MakeC14N10RecCanonicalizer().Canonicalize(si)
	if err != nil {
		return fail("cannot canonicalize SignedInfo: %s", err.Error())
	}
	pub, err := key.publicKey()
	if err != nil {
		return fail("%s", err.Error())
	}
	sig, err := base64.StdEncoding.DecodeString(text("./SignatureValue"))
	if err != nil {
		return fail("SignatureValue is not base64")
	}
	sum := sha256.Sum256(canon)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return fail("the signature does not match: the signed information was altered or signed by another key")
	}
	return nil
}

func (k rsaKeyValue) publicKey() (*rsa.PublicKey, error) {
	n, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k.Modulus))
	if err != nil || len(n) == 0 {
		return nil, errors.New("the key's Modulus is not base64")
	}
	e, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k.Exponent))
	if err != nil || len(e) == 0 || len(e) > 4 {
		return nil, errors.New("the key's Exponent is not a base64 number of at most 4 bytes")
	}
	exp := new(big.Int).SetBytes(e)
	if exp.Int64() < 3 {
		return nil, errors.New("the key's Exponent is too small")
	}
	return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}, nil
}

func digestFor(alg string) (hash.Hash, error) {
	switch alg {
	case "http://www.w3.org/2001/04/xmlenc#sha256":
		return sha256.New(), nil
	case "http://www.w3.org/2001/04/xmlenc#sha512":
		return sha512.New(), nil
	case "http://www.w3.org/2000/09/xmldsig#sha1":
		return sha1.New(), nil
	}
	return nil, fmt.Errorf("digest method %q is not supported", alg)
}

func baseName(p string) string {
	return path.Base(strings.ReplaceAll(p, `\`, "/"))
}
