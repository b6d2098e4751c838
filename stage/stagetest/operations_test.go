package stagetest_test

import (
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivsrecording "github.com/ivsrt/ivsrt/recording"
	"github.com/ivsrt/ivsrt/stage"
	"github.com/ivsrt/ivsrt/stage/composition"
	"github.com/ivsrt/ivsrt/stage/stagetest"
	"github.com/ivsrt/ivsrt/token"
)

// The library's clients call only what the server serves: every method of the stage, token, recording and
// composition API interfaces (the one list of the operations each client calls) is a line of the server's table, so
// a new operation added to a client without its handler fails here.
func TestOperationsServeEveryClientOperation(t *testing.T) {
	t.Parallel()
	served := map[string]bool{}
	for _, name := range stagetest.Operations() {
		assert.False(t, served[name], "%s has two lines in the table", name)
		served[name] = true
	}
	for _, api := range []reflect.Type{
		reflect.TypeFor[stage.API](), reflect.TypeFor[token.API](), reflect.TypeFor[ivsrecording.API](), reflect.TypeFor[composition.API](),
	} {
		require.Positive(t, api.NumMethod())
		for i := range api.NumMethod() {
			assert.True(t, served[api.Method(i).Name], "%s.%s is not served by stagetest", api, api.Method(i).Name)
		}
	}
}

// The package doc's "# Operations" section names exactly the operations of the table, so that it cannot
// fall behind.
func TestOperationsListedInPackageDoc(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	section := regexp.MustCompile(`(?s)// # Operations\n//\n(.*?)\n//\n// #`).FindSubmatch(src)
	require.NotNil(t, section, "doc.go has no # Operations section")
	text := strings.ReplaceAll(string(section[1]), "\n//", "")
	listed := regexp.MustCompile(`\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b`).FindAllString(text, -1)
	var names []string
	for _, n := range listed {
		if n != "UnknownOperationException" {
			names = append(names, n)
		}
	}
	assert.ElementsMatch(t, stagetest.Operations(), names, "the doc lists every operation of the table once, and no other")
}

// Every operation is routed as the model's @http trait says, and only so: POST /<Operation> for all but the
// tag operations, which live on /tags/{resourceArn}; the same path with another method is an unknown
// operation (HTTP 404), recorded as such.
func TestOperationsRoutes(t *testing.T) {
	t.Parallel()
	tags := map[string]string{"TagResource": http.MethodPost, "UntagResource": http.MethodDelete, "ListTagsForResource": http.MethodGet}
	for _, name := range stagetest.Operations() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := stagetest.New()
			method, path := http.MethodPost, "/"+name
			if m, isTag := tags[name]; isTag {
				method, path = m, "/tags/arn%3Aaws%3Aivs%3Aus-east-1%3A123456789012%3Astage%2FNoSuchStage0"
			}
			resp := postRaw(t, srv, method, strings.TrimPrefix(path, "/"), "{}")
			assert.NotEqual(t, "UnknownOperationException", resp.ErrorType, "%s %s is served (status %d)", method, path, resp.Status)

			other := http.MethodGet // the rpc path with another method
			if _, isTag := tags[name]; isTag {
				other = http.MethodPut // the tags path with a method no tag operation has
			}
			resp = postRaw(t, srv, other, strings.TrimPrefix(path, "/"), "{}")
			assert.Equal(t, "UnknownOperationException", resp.ErrorType, "%s %s is not %s", other, path, name)
			reqs := srv.Requests()
			require.Len(t, reqs, 2)
			assert.Equal(t, name, reqs[0].Operation)
			assert.Equal(t, http.StatusNotFound, reqs[1].Status)
		})
	}
}
