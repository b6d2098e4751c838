package rules_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/ivsrt/ivsrt/internal/rules"
)

func TestResourceID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, arn, want string
	}{
		{"stage ARN", "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456", "AbCdEf123456"},
		{"storage configuration ARN", "arn:aws:ivs:us-east-1:123456789012:storage-configuration/AbCdEf123456", "AbCdEf123456"},
		{"public key ARN", "arn:aws:ivs:us-east-1:123456789012:public-key/KeyAbCd1234", "KeyAbCd1234"},
		{"empty", "", ""},
		{"no slash: its only segment", "AbCdEf123456", "AbCdEf123456"},
		{"no slash, an ARN without a resource ID", "arn:aws:ivs:us-east-1:123456789012:stage", "arn:aws:ivs:us-east-1:123456789012:stage"},
		{"trailing slash", "arn:aws:ivs:us-east-1:123456789012:stage/", ""},
		{"only a slash", "/", ""},
		{"several slashes", "a/b/c", "c"},
		{"leading slash", "/abc", "abc"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, rules.ResourceID(tt.arn), tt.name)
	}
}
