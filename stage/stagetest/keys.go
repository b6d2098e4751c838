package stagetest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"maps"
	"net/http"
	"strings"
	"time"
)

// publicKey is a stored public key.
type publicKey struct {
	seq         int64
	arn         string
	name        string
	material    string // as imported
	der         []byte // the SubjectPublicKeyInfo
	fingerprint string
	tags        map[string]string
}

type publicKeyJSON struct {
	Arn               string            `json:"arn"`
	Name              string            `json:"name"`
	PublicKeyMaterial string            `json:"publicKeyMaterial"`
	Fingerprint       string            `json:"fingerprint"`
	Tags              map[string]string `json:"tags"`
}

type publicKeySummaryJSON struct {
	Arn  string            `json:"arn"`
	Name string            `json:"name"`
	Tags map[string]string `json:"tags"`
}

func (k *publicKey) json() publicKeyJSON {
	return publicKeyJSON{
		Arn: k.arn, Name: k.name, PublicKeyMaterial: k.material, Fingerprint: k.fingerprint, Tags: maps.Clone(k.tags),
	}
}

// Fingerprint returns the fingerprint the server reports for a public key: the SHA-256 of its DER-encoded
// SubjectPublicKeyInfo as lowercase hex byte pairs separated by colons ("ab:01:…", 95 characters).
func Fingerprint(pub *ecdsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	return fingerprint(der), nil
}

func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	pairs := make([]string, len(sum))
	for i, b := range sum {
		pairs[i] = hex.EncodeToString([]byte{b})
	}
	return strings.Join(pairs, ":")
}

// PublicKey returns the parsed ECDSA P-384 public key imported under arn, and whether it exists. Each call
// returns a new value.
func (s *Server) PublicKey(arn string) (*ecdsa.PublicKey, bool) {
	s.mu.Lock()
	k, ok := s.keys[arn]
	s.mu.Unlock()
	if !ok {
		return nil, false
	}
	pub, err := x509.ParsePKIXPublicKey(k.der)
	if err != nil {
		return nil, false // cannot happen: the DER was parsed at import
	}
	ecPub, ok := pub.(*ecdsa.PublicKey)
	return ecPub, ok
}

// parseP384 returns the DER of the first PEM "PUBLIC KEY" block of material if it holds an ECDSA P-384
// SubjectPublicKeyInfo.
func parseP384(material string) ([]byte, bool) {
	block, _ := pem.Decode([]byte(material))
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, false
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, false
	}
	ec, isEC := pub.(*ecdsa.PublicKey)
	if !isEC || ec.Curve != elliptic.P384() {
		return nil, false
	}
	return block.Bytes, true
}

func (s *Server) importPublicKey(body object, _ time.Time) response {
	var c checker
	c.required(body, "publicKeyMaterial", "")
	var der []byte
	material, hasMaterial := c.str(body, "publicKeyMaterial", "")
	if hasMaterial {
		before := len(c.violations)
		c.pattern("publicKeyMaterial", material, keyMaterialPattern)
		if len(c.violations) == before {
			var parsed bool
			if der, parsed = parseP384(material); !parsed {
				c.fail("publicKeyMaterial", show(material),
					"Member must be a PEM-encoded ECDSA P-384 public key (SubjectPublicKeyInfo)")
			}
		}
	}
	name, _ := c.name(body, "name", "", publicKeyNamePattern)
	tags := c.tags(body, "tags", "")
	if !c.ok() {
		return validationError("%s", c.message())
	}
	for _, k := range s.keys {
		if bytes.Equal(k.der, der) {
			return errorResponse(http.StatusConflict, "ConflictException",
				"public key material is already imported as %s", k.arn)
		}
	}
	if len(s.keys) >= MaxPublicKeys {
		return errorResponse(http.StatusPaymentRequired, "ServiceQuotaExceededException",
			"Request would cause a service quota to be exceeded: at most %d public keys per account and region", MaxPublicKeys)
	}
	k := &publicKey{
		seq:         s.nextSeq(),
		arn:         newARN("public-key", func(a string) bool { return s.keys[a] != nil }),
		name:        name,
		material:    material,
		der:         der,
		fingerprint: fingerprint(der),
		tags:        tags,
	}
	s.keys[k.arn] = k
	return success(map[string]any{"publicKey": k.json()})
}

func (s *Server) lookupKey(body object) (*publicKey, response, bool) {
	return lookup(s.keys, body, "arn", publicKeyARNPattern, "Public key")
}

func (s *Server) getPublicKey(body object, _ time.Time) response {
	k, errResp, found := s.lookupKey(body)
	if !found {
		return errResp
	}
	return success(map[string]any{"publicKey": k.json()})
}

func (s *Server) deletePublicKey(body object, _ time.Time) response {
	k, errResp, found := s.lookupKey(body)
	if !found {
		return errResp
	}
	delete(s.keys, k.arn)
	return success(struct{}{})
}

func (s *Server) listPublicKeys(body object, _ time.Time) response {
	var c checker
	limit, token := c.page(body)
	if !c.ok() {
		return validationError("%s", c.message())
	}
	page, next, err := paginate(s.keys, func(k *publicKey) int64 { return k.seq }, "publicKeys", token, limit)
	if err != nil {
		return validationError("%v", err)
	}
	out := struct {
		PublicKeys []publicKeySummaryJSON `json:"publicKeys"`
		NextToken  string                 `json:"nextToken,omitempty"`
	}{PublicKeys: []publicKeySummaryJSON{}, NextToken: next}
	for _, k := range page {
		out.PublicKeys = append(out.PublicKeys, publicKeySummaryJSON{Arn: k.arn, Name: k.name, Tags: maps.Clone(k.tags)})
	}
	return success(out)
}
