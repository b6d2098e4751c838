package stagetest_test

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ivsrt/ivsrt/stage/stagetest"
)

// deliveryStory plays publishers on a recording stage until the server has sent n events or more, and
// returns the server and its events.
func deliveryStory(t *testing.T, opts ...stagetest.Option) (*stagetest.Server, [][]byte) {
	t.Helper()
	w := newWorld(t, opts...)
	arn := w.recordingStage("delivery-bucket", 0)
	for i, user := range []string{"alice", "bob", "carol"} {
		pid := w.join(arn, user)
		require.NoError(t, w.srv.Publish(arn, pid))
		w.clock.Advance(time.Duration(i+1) * time.Second)
		require.NoError(t, w.srv.Unpublish(arn, pid))
		w.clock.Advance(time.Second)
	}
	evs := w.srv.Events()
	require.Len(t, evs, 12, "Published, Recording Start, Unpublished, Recording End for each of three")
	return w.srv, evs
}

// positions maps each message to the position of its body in evs (-1 when it is none of them).
func positions(msgs []events.SQSMessage, evs [][]byte) []int {
	out := make([]int, len(msgs))
	for i, m := range msgs {
		out[i] = slices.IndexFunc(evs, func(e []byte) bool { return string(e) == m.Body })
	}
	return out
}

func TestSQSMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		duplicates bool
		reorder    bool
		want       int // messages for 12 events
	}{
		{name: "default: each event once, in order", want: 12},
		{name: "duplicates", duplicates: true, want: 16},
		{name: "reorder", reorder: true, want: 12},
		{name: "duplicates and reorder", duplicates: true, reorder: true, want: 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, evs := deliveryStory(t, stagetest.WithEventDelivery(tt.duplicates, tt.reorder))
			msgs := srv.SQSMessages()
			require.Len(t, msgs, tt.want)
			pos := positions(msgs, evs)
			require.NotContains(t, pos, -1, "every body is an event the server sent")

			// Each group of three events is delivered within its own group of messages.
			per := stagetest.DeliveryGroup
			if tt.duplicates {
				per++
			}
			for g := range len(evs) / stagetest.DeliveryGroup {
				group := pos[g*per : (g+1)*per]
				counts := map[int]int{}
				for _, p := range group {
					counts[p]++
					assert.Equal(t, g, p/stagetest.DeliveryGroup, "group %d holds only its events: %v", g, group)
				}
				assert.Len(t, counts, stagetest.DeliveryGroup, "every event of group %d delivered: %v", g, group)
				twice := 0
				for _, n := range counts {
					if n == 2 {
						twice++
					}
				}
				if tt.duplicates {
					assert.Equal(t, 1, twice, "one event of group %d delivered twice: %v", g, group)
				} else {
					assert.Zero(t, twice)
				}
				sent := slices.IsSortedFunc(group, func(a, b int) int { return a - b })
				assert.Equal(t, !tt.reorder, sent, "group %d in the order sent: %v", g, group)
			}

			ids := map[string]bool{}
			for _, m := range msgs {
				assert.False(t, ids[m.MessageId], "MessageId %s unique", m.MessageId)
				ids[m.MessageId] = true
				assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, m.MessageId)
				assert.NotEmpty(t, m.ReceiptHandle)
				sum := md5.Sum([]byte(m.Body))
				assert.Equal(t, hex.EncodeToString(sum[:]), m.Md5OfBody)
				var e struct {
					Time time.Time `json:"time"`
				}
				require.NoError(t, json.Unmarshal([]byte(m.Body), &e))
				sentAt := strconv.FormatInt(e.Time.UnixMilli(), 10)
				assert.Equal(t, map[string]string{"ApproximateReceiveCount": "1", "SentTimestamp": sentAt,
					"SenderId": stagetest.SQSSenderID, "ApproximateFirstReceiveTimestamp": sentAt}, m.Attributes)
				assert.Equal(t, map[string]events.SQSMessageAttribute{}, m.MessageAttributes)
				assert.Empty(t, m.Md5OfMessageAttributes)
				assert.Equal(t, "aws:sqs", m.EventSource)
				assert.Equal(t, "arn:aws:sqs:us-east-1:123456789012:ivs-events", m.EventSourceARN)
				assert.Equal(t, stagetest.Region, m.AWSRegion)
			}
		})
	}
}

// Deliveries depend on positions only: two servers playing the same story deliver the same pattern with
// the same message IDs (the events' own IDs are random), and a full group stays as it was while later
// events arrive.
func TestSQSMessagesDeterministic(t *testing.T) {
	t.Parallel()
	opt := stagetest.WithEventDelivery(true, true)
	srv1, evs1 := deliveryStory(t, opt)
	srv2, evs2 := deliveryStory(t, opt)
	m1, m2 := srv1.SQSMessages(), srv2.SQSMessages()
	assert.Equal(t, positions(m1, evs1), positions(m2, evs2))
	for i := range m1 {
		assert.Equal(t, m1[i].MessageId, m2[i].MessageId)
		assert.Equal(t, m1[i].ReceiptHandle, m2[i].ReceiptHandle)
	}
	assert.Equal(t, m1, srv1.SQSMessages(), "the same on a second call")

	// Four events more (a fifth group and a sixth, incomplete one): the first four groups are unchanged.
	w := newWorld(t, opt)
	arn := w.recordingStage("delivery-bucket", 0)
	pid := w.join(arn, "a")
	cycle := func() { // Published, Recording Start, Unpublished, Recording End
		require.NoError(t, w.srv.Publish(arn, pid))
		w.clock.Advance(time.Second)
		require.NoError(t, w.srv.Unpublish(arn, pid))
		w.clock.Advance(time.Second)
	}
	for range 3 {
		cycle()
	}
	before := w.srv.SQSMessages()
	require.Len(t, before, 16)
	cycle()
	after := w.srv.SQSMessages()
	require.Len(t, after, 16+4+2)
	assert.Equal(t, before, after[:len(before)])
}

// The records marshal as the Lambda service sends an SQS batch (aws-lambda-go's testdata/sqs-event.json
// has the same members).
func TestSQSMessagesJSON(t *testing.T) {
	t.Parallel()
	srv, _ := deliveryStory(t)
	data, err := json.Marshal(events.SQSEvent{Records: srv.SQSMessages()[:1]})
	require.NoError(t, err)
	var got struct {
		Records []map[string]any `json:"Records"`
	}
	require.NoError(t, json.Unmarshal(data, &got))
	require.Len(t, got.Records, 1)
	keys := make([]string, 0)
	for k := range got.Records[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"attributes", "awsRegion", "body", "eventSource", "eventSourceARN", "md5OfBody",
		"md5OfMessageAttributes", "messageAttributes", "messageId", "receiptHandle"}, keys)
	assert.Equal(t, map[string]any{}, got.Records[0]["messageAttributes"])
}

// With no events there are no messages.
func TestSQSMessagesNone(t *testing.T) {
	t.Parallel()
	assert.Empty(t, stagetest.New(stagetest.WithEventDelivery(true, true)).SQSMessages())
}
