package testutil

import (
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/jarcoal/httpmock"
)

// EmptyOutputs returns the official client answering every operation, whatever it is, with 200 and an
// empty JSON object: a response that holds nothing. It needs no list of operations (a new one is answered
// too), so test fakes embed it and override only the calls they answer otherwise.
func EmptyOutputs() *ivsrealtime.Client {
	mock := httpmock.NewMockTransport()
	mock.RegisterNoResponder(httpmock.NewStringResponder(http.StatusOK, `{}`).HeaderSet(http.Header{"Content-Type": {"application/json"}}))
	return (&Mock{Transport: mock}).Client()
}
