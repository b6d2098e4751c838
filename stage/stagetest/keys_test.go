package stagetest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

var keyARNRe = regexp.MustCompile(`^arn:aws:ivs:us-east-1:123456789012:public-key/[a-zA-Z0-9]{12}$`)

func TestPublicKeyLifecycle(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	priv, material := p384PEM(t)

	imported, err := client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{
		PublicKeyMaterial: aws.String(material),
		Name:              aws.String("signing-key_1"),
		Tags:              map[string]string{"env": "test"},
	})
	require.NoError(t, err)
	pk := imported.PublicKey
	require.NotNil(t, pk)
	arn := aws.ToString(pk.Arn)
	assert.Regexp(t, keyARNRe, arn)
	assert.Equal(t, "signing-key_1", aws.ToString(pk.Name))
	assert.Equal(t, material, aws.ToString(pk.PublicKeyMaterial))
	assert.Equal(t, map[string]string{"env": "test"}, pk.Tags)
	fp, err := stagetest.Fingerprint(&priv.PublicKey)
	require.NoError(t, err)
	assert.Equal(t, fp, aws.ToString(pk.Fingerprint))
	assert.Regexp(t, `^([0-9a-f]{2}:){31}[0-9a-f]{2}$`, fp)

	// The server hands back the parsed key.
	parsed, ok := srv.PublicKey(arn)
	require.True(t, ok)
	assert.True(t, parsed.Equal(&priv.PublicKey))
	_, ok = srv.PublicKey(keyARN("missing"))
	assert.False(t, ok)

	got, err := client.GetPublicKey(t.Context(), &ivsrealtime.GetPublicKeyInput{Arn: pk.Arn})
	require.NoError(t, err)
	assert.Equal(t, pk, got.PublicKey)

	list, err := client.ListPublicKeys(t.Context(), &ivsrealtime.ListPublicKeysInput{})
	require.NoError(t, err)
	require.Len(t, list.PublicKeys, 1)
	assert.Equal(t, types.PublicKeySummary{Arn: pk.Arn, Name: pk.Name, Tags: pk.Tags}, list.PublicKeys[0])
	assert.Nil(t, list.NextToken)

	_, err = client.DeletePublicKey(t.Context(), &ivsrealtime.DeletePublicKeyInput{Arn: pk.Arn})
	require.NoError(t, err)
	_, ok = srv.PublicKey(arn)
	assert.False(t, ok)
	_, err = client.GetPublicKey(t.Context(), &ivsrealtime.GetPublicKeyInput{Arn: pk.Arn})
	var nf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	_, err = client.DeletePublicKey(t.Context(), &ivsrealtime.DeletePublicKeyInput{Arn: pk.Arn})
	require.ErrorAs(t, err, &nf)

	// Without a name or tags, the response has "" and {}.
	_, material2 := p384PEM(t)
	r := post(t, srv, "ImportPublicKey", mustJSON(t, map[string]any{"publicKeyMaterial": material2}))
	require.Equal(t, http.StatusOK, r.Status, "%v", r.Body)
	assert.Equal(t, "", r.Body["publicKey"].(map[string]any)["name"])
	assert.Equal(t, map[string]any{}, r.Body["publicKey"].(map[string]any)["tags"])
}

func TestPublicKeyQuotaAndConflict(t *testing.T) {
	t.Parallel()
	_, client := newClient(t)
	var materials []string
	for range stagetest.MaxPublicKeys {
		_, m := p384PEM(t)
		materials = append(materials, m)
		_, err := client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(m)})
		require.NoError(t, err)
	}

	// The same material again: 409, even at the quota.
	_, err := client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(materials[0])})
	var conflict *types.ConflictException
	require.ErrorAs(t, err, &conflict)
	_, status := apiError(t, err)
	assert.Equal(t, http.StatusConflict, status)

	// A fourth key: 402.
	_, extra := p384PEM(t)
	_, err = client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(extra)})
	var quota *types.ServiceQuotaExceededException
	require.ErrorAs(t, err, &quota)
	_, status = apiError(t, err)
	assert.Equal(t, http.StatusPaymentRequired, status)

	// Deleting one frees a slot.
	list, err := client.ListPublicKeys(t.Context(), &ivsrealtime.ListPublicKeysInput{})
	require.NoError(t, err)
	require.Len(t, list.PublicKeys, stagetest.MaxPublicKeys)
	_, err = client.DeletePublicKey(t.Context(), &ivsrealtime.DeletePublicKeyInput{Arn: list.PublicKeys[0].Arn})
	require.NoError(t, err)
	_, err = client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(extra)})
	require.NoError(t, err)
}

func TestListPublicKeysPagination(t *testing.T) {
	t.Parallel()
	_, client := newClient(t)
	var want []string
	for range 3 {
		_, m := p384PEM(t)
		out, err := client.ImportPublicKey(t.Context(), &ivsrealtime.ImportPublicKeyInput{PublicKeyMaterial: aws.String(m)})
		require.NoError(t, err)
		want = append(want, aws.ToString(out.PublicKey.Arn))
	}
	var pages [][]string
	p := ivsrealtime.NewListPublicKeysPaginator(client, &ivsrealtime.ListPublicKeysInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		// Three keys, one per page: a fourth page is already wrong, and an endless pagination fails here.
		require.Less(t, len(pages), len(want), "more pages than keys: %v", pages)
		out, err := p.NextPage(t.Context())
		require.NoError(t, err)
		var page []string
		for _, k := range out.PublicKeys {
			page = append(page, aws.ToString(k.Arn))
		}
		pages = append(pages, page)
	}
	assert.Equal(t, [][]string{want[0:1], want[1:2], want[2:3]}, pages)
}

func TestImportPublicKeyValidation(t *testing.T) {
	t.Parallel()
	_, p384 := p384PEM(t)
	_, p256 := keyPEM(t, elliptic.P256())
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	rsaDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	require.NoError(t, err)
	rsaPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: rsaDER}))
	ecKey, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	privDER, err := x509.MarshalECPrivateKey(ecKey)
	require.NoError(t, err)
	privPEM := string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: privDER}))
	garbage := "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"

	tests := []struct {
		name   string
		body   map[string]any
		status int
		want   string
	}{
		{"P-384", map[string]any{"publicKeyMaterial": p384}, http.StatusOK, ""},
		{"CRLF line ends", map[string]any{"publicKeyMaterial": strings.ReplaceAll(p384, "\n", "\r\n")}, http.StatusOK, ""},
		{"embedded in text (pattern is unanchored)", map[string]any{"publicKeyMaterial": "my key:\n" + p384}, http.StatusOK, ""},
		{"no trailing newline", map[string]any{"publicKeyMaterial": strings.TrimSuffix(p384, "\n")}, http.StatusOK, ""},
		{"name 128", map[string]any{"publicKeyMaterial": p384, "name": repeat("n", 128)}, http.StatusOK, ""},
		{"missing material", map[string]any{}, http.StatusBadRequest, "Value null at 'publicKeyMaterial'"},
		{"material not PEM", map[string]any{"publicKeyMaterial": "hello"}, http.StatusBadRequest, "at 'publicKeyMaterial' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{"private key PEM", map[string]any{"publicKeyMaterial": privPEM}, http.StatusBadRequest, "pattern"},
		{"P-256", map[string]any{"publicKeyMaterial": p256}, http.StatusBadRequest, "ECDSA P-384"},
		{"RSA", map[string]any{"publicKeyMaterial": rsaPEM}, http.StatusBadRequest, "ECDSA P-384"},
		{"garbage DER", map[string]any{"publicKeyMaterial": garbage}, http.StatusBadRequest, "ECDSA P-384"},
		{"name 129", map[string]any{"publicKeyMaterial": p384, "name": repeat("n", 129)}, http.StatusBadRequest, "at 'name'"},
		{"name pattern", map[string]any{"publicKeyMaterial": p384, "name": "a/b"}, http.StatusBadRequest, "at 'name'"},
		{"tags 51", map[string]any{"publicKeyMaterial": p384, "tags": func() map[string]string {
			m := map[string]string{}
			for i := range 51 {
				m[fmt.Sprint(i)] = ""
			}
			return m
		}()}, http.StatusBadRequest, "at 'tags'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			r := post(t, srv, "ImportPublicKey", mustJSON(t, tt.body))
			require.Equal(t, tt.status, r.Status, "%v", r.Body)
			assert.Contains(t, r.message(), tt.want)
			list := post(t, srv, "ListPublicKeys", `{}`)
			if tt.status == http.StatusOK {
				assert.Len(t, list.Body["publicKeys"], 1)
			} else {
				assert.Equal(t, "ValidationException", r.ErrorType)
				assert.Empty(t, list.Body["publicKeys"], "a rejected import stores nothing")
			}
		})
	}
}
