package stage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/stage"
)

// Testing your own code with plain httpmock: the official client over a per-test mock transport (never
// httpmock.Activate). Every operation is POST https://ivsrealtime.<region>.amazonaws.com/<Operation> with a
// JSON body; an error carries its status, the header x-amzn-ErrorType and {"exceptionMessage": "…"}.
func ExampleNewClientFromConfig_httpmock() {
	mock := httpmock.NewMockTransport()
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: aws.AnonymousCredentials{}, // nothing to sign with in a test
		HTTPClient:  &http.Client{Transport: mock},
	}
	mock.RegisterResponder(http.MethodPost, "https://ivsrealtime.us-east-1.amazonaws.com/GetStage",
		func(req *http.Request) (*http.Response, error) {
			body, _ := io.ReadAll(req.Body)
			fmt.Printf("request: %s\n", body)
			resp := httpmock.NewStringResponse(http.StatusNotFound, `{"exceptionMessage": "Stage not found"}`)
			resp.Header.Set("Content-Type", "application/json")
			resp.Header.Set("x-amzn-ErrorType", "ResourceNotFoundException")
			return resp, nil
		})

	stages := stage.NewClientFromConfig(cfg)
	_, err := stages.Get(context.Background(), "arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456")
	var notFound *types.ResourceNotFoundException
	fmt.Println("not found:", errors.As(err, &notFound), "-", notFound.ErrorMessage())
	fmt.Println("requests:", mock.GetTotalCallCount())
	// Output:
	// request: {"arn":"arn:aws:ivs:us-east-1:123456789012:stage/AbCdEf123456"}
	// not found: true - Stage not found
	// requests: 1
}
