package stagetest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime"
	"github.com/aws/aws-sdk-go-v2/service/ivsrealtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stagePlaceholder in a test body is replaced by the ARN of an existing stage, storagePlaceholder by the ARN
// of an existing storage configuration.
const (
	stagePlaceholder   = "$STAGE"
	storagePlaceholder = "$STORAGE"
)

// recording wraps members of autoParticipantRecordingConfiguration (with a valid storage ARN first) in a
// CreateStage body.
func recording(members string) string {
	body := `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"` + storagePlaceholder + `"`
	if members != "" {
		body += "," + members
	}
	return body + "}}"
}

// thumbnails wraps members of thumbnailConfiguration in a CreateStage body.
func thumbnails(members string) string {
	return recording(`"thumbnailConfiguration":{` + members + `}`)
}

// tokenConfig wraps members of one participant token configuration in a CreateStage body.
func tokenConfig(members string) string {
	return `{"participantTokenConfigurations":[{` + members + `}]}`
}

// tagsBody returns a body with n tags.
func tagsBody(n int) string {
	tags := make(map[string]string, n)
	for i := range n {
		tags[fmt.Sprintf("k%d", i)] = "v"
	}
	b := strings.Builder{}
	b.WriteString(`{"tags":{`)
	first := true
	for k, v := range tags {
		if !first {
			b.WriteString(",")
		}
		first = false
		fmt.Fprintf(&b, "%q:%q", k, v)
	}
	b.WriteString("}}")
	return b.String()
}

func tokenConfigs(n int) string {
	return `{"participantTokenConfigurations":[` + strings.TrimSuffix(repeat(`{},`, n), ",") + `]}`
}

func TestValidation(t *testing.T) {
	t.Parallel()
	const (
		ok  = http.StatusOK
		bad = http.StatusBadRequest
		nf  = http.StatusNotFound
	)
	stage128 := stageARN(repeat("a", 128-len(stageARN(""))))
	storage128 := storageARN(repeat("b", 128-len(storageARN(""))))
	tests := []struct {
		name   string
		op     string
		body   string
		status int
		want   []string // substrings of the exceptionMessage
	}{
		// Stage name: 0..128 code points, ^[a-zA-Z0-9-_]*$.
		{"name empty", "CreateStage", `{"name":""}`, ok, nil},
		{"name 128", "CreateStage", `{"name":"` + repeat("a", 128) + `"}`, ok, nil},
		{"name 129", "CreateStage", `{"name":"` + repeat("a", 129) + `"}`, bad, []string{"at 'name'", "length less than or equal to 128"}},
		{"name pattern", "CreateStage", `{"name":"a b"}`, bad, []string{"at 'name'", "regular expression pattern: ^[a-zA-Z0-9-_]*$"}},
		{"name non-ASCII", "CreateStage", `{"name":"é"}`, bad, []string{"at 'name'", "pattern"}},
		{"name wrong type", "CreateStage", `{"name":5}`, bad, []string{"at 'name'", "wrong JSON type", "string"}},
		{"name null is absent", "CreateStage", `{"name":null}`, ok, nil},
		{"member names are case-sensitive", "CreateStage", `{"Name":"a b"}`, ok, nil},

		// Tags: 0..50 entries, key 1..128, value 0..256 code points.
		{"tags 50", "CreateStage", tagsBody(50), ok, nil},
		{"tags 51", "CreateStage", tagsBody(51), bad, []string{"at 'tags'", "less than or equal to 50"}},
		{"tag key empty", "CreateStage", `{"tags":{"":"v"}}`, bad, []string{"at 'tags'", "Map keys"}},
		{"tag key 128", "CreateStage", `{"tags":{"` + repeat("é", 128) + `":"v"}}`, ok, nil},
		{"tag key 129", "CreateStage", `{"tags":{"` + repeat("k", 129) + `":"v"}}`, bad, []string{"at 'tags'", "Map keys"}},
		{"tag value empty", "CreateStage", `{"tags":{"k":""}}`, ok, nil},
		{"tag value 256 code points", "CreateStage", `{"tags":{"k":"` + repeat("é", 256) + `"}}`, ok, nil},
		{"tag value 257", "CreateStage", `{"tags":{"k":"` + repeat("v", 257) + `"}}`, bad, []string{"at 'tags[k]'", "less than or equal to 256"}},
		{"tag value wrong type", "CreateStage", `{"tags":{"k":1}}`, bad, []string{"at 'tags[k]'", "wrong JSON type"}},

		// participantTokenConfigurations: 0..12 items.
		{"token configs 12", "CreateStage", tokenConfigs(12), ok, nil},
		{"token configs 13", "CreateStage", tokenConfigs(13), bad, []string{"at 'participantTokenConfigurations'", "less than or equal to 12"}},
		{"token config not an object", "CreateStage", `{"participantTokenConfigurations":["x"]}`, bad, []string{"participantTokenConfigurations[0]", "object"}},
		{"token duration 1", "CreateStage", tokenConfig(`"duration":1`), ok, nil},
		{"token duration 20160", "CreateStage", tokenConfig(`"duration":20160`), ok, nil},
		{"token duration 0", "CreateStage", tokenConfig(`"duration":0`), bad, []string{"at 'participantTokenConfigurations[0].duration'", "greater than or equal to 1"}},
		{"token duration 20161", "CreateStage", tokenConfig(`"duration":20161`), bad, []string{"participantTokenConfigurations[0].duration", "less than or equal to 20160"}},
		{"token duration fraction", "CreateStage", tokenConfig(`"duration":1.5`), bad, []string{"participantTokenConfigurations[0].duration", "32-bit integer"}},
		{"token duration beyond int32", "CreateStage", tokenConfig(`"duration":3000000000`), bad, []string{"participantTokenConfigurations[0].duration", "32-bit integer"}},
		{"token userId 128 code points", "CreateStage", tokenConfig(`"userId":"` + repeat("é", 128) + `"`), ok, nil},
		{"token userId 129", "CreateStage", tokenConfig(`"userId":"` + repeat("u", 129) + `"`), bad, []string{"participantTokenConfigurations[0].userId", "less than or equal to 128"}},
		{"token capabilities empty", "CreateStage", tokenConfig(`"capabilities":[]`), ok, nil},
		{"token capabilities both", "CreateStage", tokenConfig(`"capabilities":["PUBLISH","SUBSCRIBE"]`), ok, nil},
		{"token capabilities repeated (no uniqueItems)", "CreateStage", tokenConfig(`"capabilities":["PUBLISH","PUBLISH"]`), ok, nil},
		{"token capabilities 3", "CreateStage", tokenConfig(`"capabilities":["PUBLISH","SUBSCRIBE","PUBLISH"]`), bad, []string{"participantTokenConfigurations[0].capabilities", "less than or equal to 2"}},
		{"token capability unknown", "CreateStage", tokenConfig(`"capabilities":["ADMIN"]`), bad, []string{"participantTokenConfigurations[0].capabilities[0]", "enum value set: [PUBLISH, SUBSCRIBE]"}},
		{"token attributes 1024 bytes", "CreateStage", tokenConfig(`"attributes":{"é":"` + repeat("x", 1022) + `"}`), ok, nil},
		{"token attributes 1025 bytes", "CreateStage", tokenConfig(`"attributes":{"é":"` + repeat("x", 1023) + `"}`), bad, []string{"participantTokenConfigurations[0].attributes", "1024 bytes"}},
		{"token attributes summed over entries", "CreateStage", tokenConfig(`"attributes":{"a":"` + repeat("x", 511) + `","b":"` + repeat("x", 512) + `"}`), bad, []string{"attributes", "1025 bytes"}},

		// autoParticipantRecordingConfiguration.storageConfigurationArn: required, "" or an ARN, ≤128.
		{"recording without storage ARN", "CreateStage", `{"autoParticipantRecordingConfiguration":{}}`, bad, []string{"at 'autoParticipantRecordingConfiguration.storageConfigurationArn'", "must not be null"}},
		{"recording storage ARN null", "CreateStage", `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":null}}`, bad, []string{"storageConfigurationArn", "must not be null"}},
		{"recording storage ARN empty", "CreateStage", `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":""}}`, ok, nil},
		{"recording storage ARN 128 passes the model, unknown", "CreateStage", `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"` + storage128 + `"}}`, bad, []string{"1 validation error", "'" + storage128 + "' at 'autoParticipantRecordingConfiguration.storageConfigurationArn'", "existing storage configuration"}},
		{"recording storage ARN existing", "CreateStage", recording(""), ok, nil},
		{"recording storage ARN 129", "CreateStage", `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"` + storage128 + `c"}}`, bad, []string{"storageConfigurationArn", "less than or equal to 128"}},
		{"recording storage ARN of a stage", "CreateStage", `{"autoParticipantRecordingConfiguration":{"storageConfigurationArn":"` + stageARN("abc") + `"}}`, bad, []string{"storageConfigurationArn", "pattern"}},
		{"recording not an object", "CreateStage", `{"autoParticipantRecordingConfiguration":[]}`, bad, []string{"autoParticipantRecordingConfiguration", "object"}},

		// mediaTypes: 0..1 of AUDIO_VIDEO|AUDIO_ONLY|NONE.
		{"mediaTypes empty", "CreateStage", recording(`"mediaTypes":[]`), ok, nil},
		{"mediaTypes NONE", "CreateStage", recording(`"mediaTypes":["NONE"]`), ok, nil},
		{"mediaTypes 2", "CreateStage", recording(`"mediaTypes":["AUDIO_ONLY","NONE"]`), bad, []string{"autoParticipantRecordingConfiguration.mediaTypes", "less than or equal to 1"}},
		{"mediaTypes unknown", "CreateStage", recording(`"mediaTypes":["VIDEO"]`), bad, []string{"mediaTypes[0]", "enum value set: [AUDIO_VIDEO, AUDIO_ONLY, NONE]"}},
		{"mediaTypes item null", "CreateStage", recording(`"mediaTypes":[null]`), bad, []string{"mediaTypes[0]", "wrong JSON type"}},

		// thumbnailConfiguration.
		{"thumbnail interval 1", "CreateStage", thumbnails(`"recordingMode":"INTERVAL","targetIntervalSeconds":1`), ok, nil},
		{"thumbnail interval 86400", "CreateStage", thumbnails(`"recordingMode":"INTERVAL","targetIntervalSeconds":86400`), ok, nil},
		{"thumbnail interval 0", "CreateStage", thumbnails(`"recordingMode":"INTERVAL","targetIntervalSeconds":0`), bad, []string{"thumbnailConfiguration.targetIntervalSeconds", "greater than or equal to 1"}},
		{"thumbnail interval 86401", "CreateStage", thumbnails(`"recordingMode":"INTERVAL","targetIntervalSeconds":86401`), bad, []string{"thumbnailConfiguration.targetIntervalSeconds", "less than or equal to 86400"}},
		{"thumbnail interval with DISABLED", "CreateStage", thumbnails(`"recordingMode":"DISABLED","targetIntervalSeconds":60`), bad, []string{"targetIntervalSeconds", "only if recordingMode is INTERVAL"}},
		{"thumbnail interval without mode", "CreateStage", thumbnails(`"targetIntervalSeconds":60`), bad, []string{"targetIntervalSeconds", "only if recordingMode is INTERVAL (recordingMode is DISABLED)"}},
		{"thumbnail DISABLED alone", "CreateStage", thumbnails(`"recordingMode":"DISABLED"`), ok, nil},
		{"thumbnail mode unknown", "CreateStage", thumbnails(`"recordingMode":"ALWAYS"`), bad, []string{"thumbnailConfiguration.recordingMode", "enum value set: [INTERVAL, DISABLED]"}},
		{"thumbnail storage both", "CreateStage", thumbnails(`"storage":["SEQUENTIAL","LATEST"]`), ok, nil},
		{"thumbnail storage empty", "CreateStage", thumbnails(`"storage":[]`), ok, nil},
		{"thumbnail storage repeated", "CreateStage", thumbnails(`"storage":["LATEST","LATEST"]`), bad, []string{"thumbnailConfiguration.storage", "unique items"}},
		{"thumbnail storage 3", "CreateStage", thumbnails(`"storage":["LATEST","SEQUENTIAL","LATEST"]`), bad, []string{"thumbnailConfiguration.storage", "less than or equal to 2"}},
		{"thumbnail storage unknown", "CreateStage", thumbnails(`"storage":["RANDOM"]`), bad, []string{"thumbnailConfiguration.storage[0]", "enum value set: [SEQUENTIAL, LATEST]"}},

		// recordingReconnectWindowSeconds 0..300, hls targetSegmentDurationSeconds 2..10.
		{"reconnect 0", "CreateStage", recording(`"recordingReconnectWindowSeconds":0`), ok, nil},
		{"reconnect 300", "CreateStage", recording(`"recordingReconnectWindowSeconds":300`), ok, nil},
		{"reconnect -1", "CreateStage", recording(`"recordingReconnectWindowSeconds":-1`), bad, []string{"Value '-1' at 'autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds'", "greater than or equal to 0"}},
		{"reconnect 301", "CreateStage", recording(`"recordingReconnectWindowSeconds":301`), bad, []string{"Value '301' at 'autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds'", "less than or equal to 300"}},
		{"reconnect string", "CreateStage", recording(`"recordingReconnectWindowSeconds":"60"`), bad, []string{"recordingReconnectWindowSeconds", "wrong JSON type"}},
		{"hls 2", "CreateStage", recording(`"hlsConfiguration":{"targetSegmentDurationSeconds":2}`), ok, nil},
		{"hls 10", "CreateStage", recording(`"hlsConfiguration":{"targetSegmentDurationSeconds":10}`), ok, nil},
		{"hls 1", "CreateStage", recording(`"hlsConfiguration":{"targetSegmentDurationSeconds":1}`), bad, []string{"hlsConfiguration.targetSegmentDurationSeconds", "greater than or equal to 2"}},
		{"hls 11", "CreateStage", recording(`"hlsConfiguration":{"targetSegmentDurationSeconds":11}`), bad, []string{"hlsConfiguration.targetSegmentDurationSeconds", "less than or equal to 10"}},
		{"replicas false", "CreateStage", recording(`"recordParticipantReplicas":false`), ok, nil},
		{"replicas string", "CreateStage", recording(`"recordParticipantReplicas":"false"`), bad, []string{"recordParticipantReplicas", "boolean"}},

		// All violations at once.
		{"several violations", "CreateStage", `{"name":"a b","autoParticipantRecordingConfiguration":{"storageConfigurationArn":"x","recordingReconnectWindowSeconds":301}}`, bad,
			[]string{"3 validation errors detected", "at 'name'", "storageConfigurationArn", "recordingReconnectWindowSeconds"}},

		// Body shape.
		{"empty body is {}", "CreateStage", ``, ok, nil},
		{"malformed JSON", "CreateStage", `{`, bad, []string{"not valid JSON"}},
		{"not an object", "CreateStage", `[]`, bad, []string{"not a JSON object"}},
		{"null body", "CreateStage", `null`, bad, []string{"not a JSON object"}},
		{"trailing data", "CreateStage", `{} {}`, bad, []string{"after the JSON object"}},

		// Stage ARNs: required, 1..128, pattern.
		{"GetStage arn missing", "GetStage", `{}`, bad, []string{"Value null at 'arn'", "must not be null"}},
		{"GetStage arn empty", "GetStage", `{"arn":""}`, bad, []string{"at 'arn'", "greater than or equal to 1"}},
		{"GetStage arn pattern", "GetStage", `{"arn":"` + keyARN("abc") + `"}`, bad, []string{"at 'arn'", "pattern"}},
		{"GetStage arn other partition", "GetStage", `{"arn":"arn:aws-cn:ivs:cn-north-1:123456789012:stage/abc"}`, bad, []string{"at 'arn'", "pattern"}},
		{"GetStage arn 128 unknown", "GetStage", `{"arn":"` + stage128 + `"}`, nf, []string{stage128}},
		{"GetStage arn 129", "GetStage", `{"arn":"` + stage128 + `b"}`, bad, []string{"at 'arn'", "less than or equal to 128"}},
		{"GetStage existing", "GetStage", `{"arn":"` + stagePlaceholder + `"}`, ok, nil},
		{"DeleteStage arn missing", "DeleteStage", `{}`, bad, []string{"at 'arn'"}},
		{"UpdateStage arn missing", "UpdateStage", `{"name":"x"}`, bad, []string{"at 'arn'"}},
		{"UpdateStage validates before lookup", "UpdateStage", `{"arn":"` + stageARN("missing") + `","name":"a b"}`, bad, []string{"at 'name'"}},
		{"UpdateStage name 129", "UpdateStage", `{"arn":"` + stagePlaceholder + `","name":"` + repeat("a", 129) + `"}`, bad, []string{"at 'name'"}},
		{"UpdateStage recording", "UpdateStage", `{"arn":"` + stagePlaceholder + `","autoParticipantRecordingConfiguration":{"storageConfigurationArn":"","recordingReconnectWindowSeconds":301}}`, bad, []string{"recordingReconnectWindowSeconds"}},
		{"UpdateStage ok", "UpdateStage", `{"arn":"` + stagePlaceholder + `","name":"` + repeat("a", 128) + `"}`, ok, nil},

		// CreateParticipantToken.
		{"token stageArn missing", "CreateParticipantToken", `{}`, bad, []string{"at 'stageArn'", "must not be null"}},
		{"token duration 20160", "CreateParticipantToken", `{"stageArn":"` + stagePlaceholder + `","duration":20160}`, ok, nil},
		{"token duration 20161", "CreateParticipantToken", `{"stageArn":"` + stagePlaceholder + `","duration":20161}`, bad, []string{"at 'duration'"}},
		{"token userId 129 code points", "CreateParticipantToken", `{"stageArn":"` + stagePlaceholder + `","userId":"` + repeat("é", 129) + `"}`, bad, []string{"at 'userId'"}},
		{"token attributes 1025", "CreateParticipantToken", `{"stageArn":"` + stagePlaceholder + `","attributes":{"k":"` + repeat("x", 1024) + `"}}`, bad, []string{"at 'attributes'"}},
		{"token capabilities unknown", "CreateParticipantToken", `{"stageArn":"` + stagePlaceholder + `","capabilities":["publish"]}`, bad, []string{"at 'capabilities[0]'"}},

		// Pagination.
		{"ListStages maxResults 1", "ListStages", `{"maxResults":1}`, ok, nil},
		{"ListStages maxResults 100", "ListStages", `{"maxResults":100}`, ok, nil},
		{"ListStages maxResults 0", "ListStages", `{"maxResults":0}`, bad, []string{"at 'maxResults'", "greater than or equal to 1"}},
		{"ListStages maxResults 101", "ListStages", `{"maxResults":101}`, bad, []string{"at 'maxResults'", "less than or equal to 100"}},
		{"ListStages nextToken empty", "ListStages", `{"nextToken":""}`, ok, nil},
		{"ListStages nextToken 1025", "ListStages", `{"nextToken":"` + repeat("a", 1025) + `"}`, bad, []string{"at 'nextToken'", "less than or equal to 1024"}},
		{"ListStages nextToken pattern", "ListStages", `{"nextToken":"a b"}`, bad, []string{"at 'nextToken'", "pattern"}},
		{"ListStages nextToken foreign", "ListStages", `{"nextToken":"abc"}`, bad, []string{"at 'nextToken'", "ListStages"}},
		{"ListPublicKeys maxResults 101", "ListPublicKeys", `{"maxResults":101}`, bad, []string{"at 'maxResults'"}},
		{"ListPublicKeys nextToken foreign", "ListPublicKeys", `{"nextToken":"abc"}`, bad, []string{"at 'nextToken'", "ListPublicKeys"}},

		// Public key ARNs.
		{"GetPublicKey arn missing", "GetPublicKey", `{}`, bad, []string{"at 'arn'"}},
		{"GetPublicKey stage ARN", "GetPublicKey", `{"arn":"` + stageARN("abc") + `"}`, bad, []string{"at 'arn'", "public-key"}},
		{"DeletePublicKey arn empty", "DeletePublicKey", `{"arn":""}`, bad, []string{"at 'arn'"}},
		{"GetPublicKey unknown", "GetPublicKey", `{"arn":"` + keyARN("abc") + `"}`, nf, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client := newClient(t)
			arn := createRaw(t, srv, `{"name":"existing"}`)
			before := post(t, srv, "GetStage", `{"arn":"`+arn+`"}`)

			storage := srv.MustAddStorageConfiguration("recordings")
			body := strings.NewReplacer(stagePlaceholder, arn, storagePlaceholder, storage).Replace(tt.body)
			r := post(t, srv, tt.op, body)
			require.Equal(t, tt.status, r.Status, "%v", r.Body)
			for _, w := range tt.want {
				assert.Contains(t, r.message(), w)
			}
			if tt.status == http.StatusOK {
				assert.Empty(t, r.ErrorType)
				return
			}
			wantType := map[int]string{bad: "ValidationException", nf: "ResourceNotFoundException"}[tt.status]
			assert.Equal(t, wantType, r.ErrorType)

			// A rejected request changes nothing.
			list, err := client.ListStages(t.Context(), &ivsrealtime.ListStagesInput{})
			require.NoError(t, err)
			assert.Len(t, list.Stages, 1)
			after := post(t, srv, "GetStage", `{"arn":"`+arn+`"}`)
			assert.Equal(t, before.Body, after.Body)
		})
	}
}

// TestValidationThroughSDK checks that the SDK surfaces the fake's rejections as *types.ValidationException.
func TestValidationThroughSDK(t *testing.T) {
	t.Parallel()
	srv, client := newClient(t)
	_, err := client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:         aws.String(storageARN("s")),
			RecordingReconnectWindowSeconds: 301,
		},
	})
	var ve *types.ValidationException
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, aws.ToString(ve.ExceptionMessage), "autoParticipantRecordingConfiguration.recordingReconnectWindowSeconds")
	code, status := apiError(t, err)
	assert.Equal(t, "ValidationException", code)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, 1, srv.RequestCount(), "a 400 is not retried")

	_, err = client.CreateStage(t.Context(), &ivsrealtime.CreateStageInput{
		AutoParticipantRecordingConfiguration: &types.AutoParticipantRecordingConfiguration{
			StorageConfigurationArn:         aws.String(storageARN("s")),
			RecordingReconnectWindowSeconds: -1,
		},
	})
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, aws.ToString(ve.ExceptionMessage), "Value '-1'")

	_, err = client.CreateParticipantToken(t.Context(), &ivsrealtime.CreateParticipantTokenInput{
		StageArn: aws.String(stageARN("abc")), Duration: aws.Int32(0),
	})
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, aws.ToString(ve.ExceptionMessage), "at 'duration'")
}
