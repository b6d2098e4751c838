package secretsweep_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/ivsrt/ivsrt/token"
)

// A secret is a string no output may contain. kind names it in failure messages ("key A (P-384): key.D
// hex"); value is never printed.
type secret struct {
	kind  string
	value string
	// fold: value is lower-case hex, also looked for in the lower-cased output (fmt's %X, upper-case dumps).
	fold bool
	// note, when set, says why showing this value is noted rather than failed: it is part of a bearer
	// string that is public in fact (a JWT header holding only "alg", "typ" and "kid", the same for every
	// token of a signer or of the service) or that cannot be used (a piece of a payload or signature).
	note string
}

// Why some parts of a bearer string are noted, not failed.
const (
	notePublicHeader  = "public JWT header (alg, typ, kid only)"
	noteBearerPartial = "a piece of a JWT payload or signature, not a usable bearer"
)

// An output is one text a producer produced.
type output struct {
	producer string
	text     string
}

// A leak is a producer whose output contains a secret of some kind.
type leak struct {
	producer string
	kind     string
	note     string // see secret.note
}

// String names the producer and the kind of secret, never the secret.
func (l leak) String() string { return fmt.Sprintf("producer %q leaked %s", l.producer, l.kind) }

// minSecretLen is the length of the shortest secret: JWT segments of at least 8 characters. The checker
// indexes secrets by their first minSecretLen bytes.
const minSecretLen = 8

// Fragment sizes: a leak of part of a secret, such as a value cut by rules.Quote after 64 code points, is
// caught when it holds a whole fragment.
const (
	keyFragmentLen     = 16 // hex digits, decimal digits or base64 characters of the private scalar
	bearerFragmentLen  = 24 // base64url characters of a JWT's payload or signature
	bearerFragmentStep = 4  // so any 27 consecutive characters hold a whole fragment
)

// check is the sweep's single checker: every (producer, kind) pair such that one of the producer's outputs
// contains a secret of that kind, in order of the outputs, each pair once. Each output is searched as it
// is, with line breaks (real or escaped as \n, \r) removed, and lower-cased for hex secrets, so a PEM
// block logged as a JSON string or a hex value printed with %X are found too.
func check(outputs []output, secrets []secret) []leak {
	index := map[string][]int{} // first minSecretLen bytes → secrets
	for i, s := range secrets {
		if len(s.value) < minSecretLen {
			panic(fmt.Sprintf("secret of kind %s is shorter than %d bytes", s.kind, minSecretLen))
		}
		index[s.value[:minSecretLen]] = append(index[s.value[:minSecretLen]], i)
	}
	var leaks []leak
	seen := map[leak]bool{}
	report := func(producer string, i int) {
		l := leak{producer: producer, kind: secrets[i].kind, note: secrets[i].note}
		if !seen[l] {
			seen[l] = true
			leaks = append(leaks, l)
		}
	}
	scan := func(producer, text string, foldOnly bool) {
		for p := 0; p+minSecretLen <= len(text); p++ {
			for _, i := range index[text[p:p+minSecretLen]] {
				if (!foldOnly || secrets[i].fold) && strings.HasPrefix(text[p:], secrets[i].value) {
					report(producer, i)
				}
			}
		}
	}
	for _, o := range outputs {
		flat := unbreak(o.text)
		scan(o.producer, o.text, false)
		if flat != o.text {
			scan(o.producer, flat, false)
		}
		scan(o.producer, strings.ToLower(flat), true)
	}
	return leaks
}

// unbreak removes line breaks, real and escaped, so that a PEM body split over lines (or logged as
// "...\n...") reads as one string.
var unbreak = strings.NewReplacer("\r", "", "\n", "", `\r`, "", `\n`, "").Replace

// secretSet collects secrets without duplicates (a value keeps the first kind given).
type secretSet struct {
	list []secret
	have map[string]bool
}

func (s *secretSet) add(kind, value string) { s.put(secret{kind: kind, value: value}) }

func (s *secretSet) addFold(kind, value string, fold bool) {
	s.put(secret{kind: kind, value: value, fold: fold})
}

func (s *secretSet) put(sec secret) {
	value := sec.value
	if len(value) < minSecretLen {
		return
	}
	if s.have == nil {
		s.have = map[string]bool{}
	}
	if s.have[value] {
		return
	}
	s.have[value] = true
	s.list = append(s.list, sec)
}

// windows adds every substring of v of length n starting at a multiple of step.
func (s *secretSet) windows(kind, v string, n, step int) {
	for i := 0; i+n <= len(v); i += step {
		s.add(kind, v[i:i+n])
	}
}

// bearer adds a token's bearer string, each dot-separated segment of at least 8 characters, and fragments
// of its payload and signature.
func (s *secretSet) bearer(label string, tok token.Token) {
	v := tok.Value()
	if v == "" {
		panic("bearer: token " + label + " has no value")
	}
	s.bearerString(label, v)
}

// bearerString is bearer for a bearer string that is not held in a token.Token (a token re-signed or
// damaged by a test).
func (s *secretSet) bearerString(label, v string) {
	s.add(label+": bearer string", v)
	names := []string{"header", "payload", "signature"}
	for i, seg := range strings.Split(v, ".") {
		name := "segment " + strconv.Itoa(i)
		if i < len(names) {
			name = names[i] + " segment"
		}
		if len(seg) >= 8 {
			sec := secret{kind: label + ": bearer " + name, value: seg}
			if i == 0 && publicHeader(seg) {
				sec.note = notePublicHeader
			}
			s.put(sec)
		}
		if i > 0 {
			for j := 0; j+bearerFragmentLen <= len(seg); j += bearerFragmentStep {
				s.put(secret{kind: label + ": bearer " + name + " fragment", value: seg[j : j+bearerFragmentLen], note: noteBearerPartial})
			}
		}
	}
}

// publicHeader reports whether a JWT header segment holds only "alg", "typ" and "kid": the same for every
// token of a signer (Mint) or of the service, and public.
func publicHeader(seg string) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return false
	}
	var h map[string]any
	if json.Unmarshal(b, &h) != nil {
		return false
	}
	for k := range h {
		if k != "alg" && k != "typ" && k != "kid" {
			return false
		}
	}
	return true
}

// pemText adds a PEM block's text and each of its base64 body lines.
func (s *secretSet) pemText(label, format string, block []byte) {
	s.add(label+": "+format+" PEM text", string(block))
	s.add(label+": "+format+" PEM text", unbreak(string(block)))
	for line := range strings.SplitSeq(string(block), "\n") {
		if !strings.HasPrefix(line, "-----") {
			s.add(label+": "+format+" PEM body line", line)
		}
	}
}

// der adds DER bytes: raw, base64 (as PEM bodies and JSON []byte fields show them), and fragments of the
// base64 that encode only the private scalar d (found at dOffset in der; -1: none).
func (s *secretSet) der(label, format string, der []byte, d []byte) {
	s.add(label+": "+format+" DER bytes", string(der))
	b64 := base64.StdEncoding.EncodeToString(der)
	s.add(label+": "+format+" DER base64", b64)
	off := bytes.Index(der, d)
	if off < 0 {
		return
	}
	// Character i of b64 encodes bits [6i, 6i+6) of der: keep the characters inside d's bytes.
	first := (8*off + 5) / 6
	last := (8*(off+len(d)))/6 - 1
	// The same characters appear in every DER form whose d starts at the same bit offset mod 6, so the
	// kind does not name the form.
	s.windows(label+": DER base64 fragment of key.D", b64[first:last+1], keyFragmentLen, 1)
}

// scalar adds a private scalar (big-endian bytes) in every usual text form, and fragments of them.
func (s *secretSet) scalar(label string, d []byte) {
	n := new(big.Int).SetBytes(d)
	h := hex.EncodeToString(d)
	s.addFold(label+": key.D hex", h, true)
	s.addFold(label+": key.D hex", n.Text(16), true)
	for i := 0; i+keyFragmentLen <= len(h); i++ {
		s.addFold(label+": key.D hex fragment", h[i:i+keyFragmentLen], true)
	}
	dec := n.String()
	s.add(label+": key.D decimal", dec)
	s.windows(label+": key.D decimal fragment", dec, keyFragmentLen+4, 1)
	s.add(label+": key.D base64", base64.StdEncoding.EncodeToString(d))
	s.add(label+": key.D base64url (JWK d)", base64.RawURLEncoding.EncodeToString(d))
	s.add(label+": key.D bytes", string(d))
	// big.Int's 64-bit words in decimal: what a reflective dump with methods disabled (go-spew as
	// testify configures it) prints for a *big.Int.
	padded := make([]byte, (len(d)+7)/8*8)
	copy(padded[len(padded)-len(d):], d)
	for i := 0; i < len(padded); i += 8 {
		s.add(label+": key.D 64-bit word (decimal)", strconv.FormatUint(binary.BigEndian.Uint64(padded[i:]), 10))
	}
}

// ecKey adds every encoding of an ECDSA private key and returns its PKCS#8 and SEC1 PEM texts.
func (s *secretSet) ecKey(label string, key *ecdsa.PrivateKey) (pkcs8PEM, sec1PEM []byte) {
	d, err := scalarBytes(key)
	if err != nil {
		panic(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	sec1, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		panic(err)
	}
	pkcs8PEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})
	sec1PEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: sec1})
	s.scalar(label, d)
	s.der(label, "PKCS#8", p8, d)
	s.der(label, "SEC1", sec1, d)
	s.pemText(label, "PKCS#8", pkcs8PEM)
	s.pemText(label, "SEC1", sec1PEM)
	return pkcs8PEM, sec1PEM
}

// rsaKey adds the encodings of an RSA private key and returns its PKCS#8 and PKCS#1 PEM texts.
func (s *secretSet) rsaKey(label string, key *rsa.PrivateKey) (pkcs8PEM, pkcs1PEM []byte) {
	p8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		panic(err)
	}
	p1 := x509.MarshalPKCS1PrivateKey(key)
	pkcs8PEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8})
	pkcs1PEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: p1})
	s.scalar(label, key.D.Bytes())
	for _, p := range key.Primes {
		s.addFold(label+": prime hex", p.Text(16), true)
		s.add(label+": prime decimal", p.String())
	}
	s.der(label, "PKCS#8", p8, key.D.Bytes())
	s.der(label, "PKCS#1", p1, key.D.Bytes())
	s.pemText(label, "PKCS#8", pkcs8PEM)
	s.pemText(label, "PKCS#1", pkcs1PEM)
	return pkcs8PEM, pkcs1PEM
}

// scalarBytes returns an ECDSA private key's scalar d, big-endian and of the curve's length, read from its
// SEC1 encoding (ecdsa.PrivateKey.Bytes needs Go 1.25; the D field is deprecated).
func scalarBytes(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	var sec1 struct {
		Version    int
		PrivateKey []byte
		Rest       asn1.RawValue `asn1:"optional,explicit,tag:0"`
		Public     asn1.RawValue `asn1:"optional,explicit,tag:1"`
	}
	if _, err := asn1.Unmarshal(der, &sec1); err != nil {
		return nil, err
	}
	return sec1.PrivateKey, nil
}
