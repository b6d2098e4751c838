package stage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/jarcoal/httpmock"

	"github.com/ivsrt/ivsrt/internal/testutil"
	"github.com/ivsrt/ivsrt/stage"
)

// participantPages are the 10 ListParticipants pages of 100 participants each that BenchmarkParticipants
// serves: page i answers nextToken "t<i>" (none for page 0) and names "t<i+1>" as its own, but the last.
func participantPages() []string {
	const pages, perPage = 10, 100
	out := make([]string, pages)
	for i := range out {
		var b strings.Builder
		b.WriteString(`{"participants": [`)
		for j := range perPage {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"participantId": "P%04dabcdefghijklmnopq", "userId": "user-%d", "state": "CONNECTED",
				"firstJoinTime": "2026-04-26T20:30:34.602Z", "published": true, "recordingState": "ACTIVE",
				"replicationType": "NONE"}`, i*perPage+j, i*perPage+j)
		}
		b.WriteString(`]`)
		if i+1 < pages {
			fmt.Fprintf(&b, `, "nextToken": "t%d"`, i+1)
		}
		b.WriteString(`}`)
		out[i] = b.String()
	}
	return out
}

// respondPages answers ListParticipants from pages by the request's nextToken, recording nothing (the
// cheapest answer, the same for both sides of the benchmark).
func respondPages(mock *testutil.Mock, pages []string) {
	marker := []byte(`"nextToken":"t`)
	mock.Transport.RegisterResponder(http.MethodPost, testutil.Endpoint+"/ListParticipants", func(req *http.Request) (*http.Response, error) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		page := 0
		if i := bytes.Index(body, marker); i >= 0 {
			for _, c := range body[i+len(marker):] {
				if c < '0' || c > '9' {
					break
				}
				page = page*10 + int(c-'0')
			}
		}
		resp := httpmock.NewStringResponse(http.StatusOK, pages[page])
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
}

// BenchmarkParticipants lists 1,000 participants in 10 pages of 100 over the same mock transport: the raw
// SDK paginator ("sdk") against Client.Participants ("ivsrt": validation, paging, conversion). Compare with
// `benchstat -col /impl`.
func BenchmarkParticipants(b *testing.B) {
	mock := testutil.NewMock()
	respondPages(mock, participantPages())
	ctx := context.Background()
	b.Run("impl=sdk", func(b *testing.B) {
		client := mock.Client()
		runtime.GC() // start each side with the same heap, whatever ran before
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			pager := ivsrealtime.NewListParticipantsPaginator(client, &ivsrealtime.ListParticipantsInput{
				StageArn: aws.String(stageARN), SessionId: aws.String(sessionID), MaxResults: aws.Int32(100),
			})
			for pager.HasMorePages() {
				out, err := pager.NextPage(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, p := range out.Participants {
					if aws.ToString(p.ParticipantId) != "" {
						n++
					}
				}
			}
			if n != 1000 {
				b.Fatalf("%d participants", n)
			}
		}
	})
	b.Run("impl=ivsrt", func(b *testing.B) {
		client := stage.NewClientFromConfig(mock.Config())
		runtime.GC()
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for p, err := range client.Participants(ctx, stageARN, sessionID, stage.WithPageSize(100)) {
				if err != nil {
					b.Fatal(err)
				}
				if p.ID != "" {
					n++
				}
			}
			if n != 1000 {
				b.Fatalf("%d participants", n)
			}
		}
	})
}
