package conformance

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/mapping"
)

// The Lambda API for event source mappings through aws-sdk-go-v2's Lambda
// client: shapes, defaults, ranges, errors and states (reference
// lambda-esm.md §1; AWS-verified texts from LocalStack's snapshot tests,
// see docs/mappings.md).

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// apiEnv is an emulator with functions f1, f2 and f3 and one stream table.
func apiEnv(t *testing.T) (*lambdaEnv, string) {
	t.Helper()
	h := &handler{}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{
		Functions: []mapping.Function{h.function("f1"), h.function("f2"), h.function("f3")},
	}})
	_, arn := e.streamTable()
	return e, arn
}

func TestESMCreateDefaultsAndStates(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	out := e.createMapping(minimal("f1", arn))
	id := aws.ToString(out.UUID)
	if !uuidRE.MatchString(id) {
		t.Fatalf("UUID %q", id)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"State", aws.ToString(out.State), "Creating"},
		{"StateTransitionReason", aws.ToString(out.StateTransitionReason), "User action"},
		{"LastProcessingResult", aws.ToString(out.LastProcessingResult), "No records processed"},
		{"BatchSize", aws.ToInt32(out.BatchSize), int32(100)},
		{"MaximumBatchingWindowInSeconds", aws.ToInt32(out.MaximumBatchingWindowInSeconds), int32(0)},
		{"ParallelizationFactor", aws.ToInt32(out.ParallelizationFactor), int32(1)},
		{"MaximumRetryAttempts", aws.ToInt32(out.MaximumRetryAttempts), int32(-1)},
		{"MaximumRecordAgeInSeconds", aws.ToInt32(out.MaximumRecordAgeInSeconds), int32(-1)},
		{"BisectBatchOnFunctionError", aws.ToBool(out.BisectBatchOnFunctionError), false},
		{"TumblingWindowInSeconds", aws.ToInt32(out.TumblingWindowInSeconds), int32(0)},
		{"StartingPosition", out.StartingPosition, ltypes.EventSourcePositionTrimHorizon},
		{"EventSourceArn", aws.ToString(out.EventSourceArn), arn},
		{"FunctionArn", aws.ToString(out.FunctionArn), "arn:aws:lambda:us-east-1:000000000000:function:f1"},
		{"EventSourceMappingArn", aws.ToString(out.EventSourceMappingArn), "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:" + id},
		{"FunctionResponseTypes", len(out.FunctionResponseTypes), 0},
		{"FilterCriteria absent", out.FilterCriteria == nil, true},
		{"DestinationConfig.OnFailure present", out.DestinationConfig != nil && out.DestinationConfig.OnFailure != nil, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if out.LastModified == nil || out.LastModified.IsZero() {
		t.Errorf("LastModified missing")
	}
	got := e.getMapping(id)
	if aws.ToString(got.State) != "Enabled" || aws.ToString(got.UUID) != id {
		t.Fatalf("Get after create: State %s", aws.ToString(got.State))
	}
	off := e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{Enabled: aws.Bool(false)})
	if aws.ToString(off.State) != "Disabling" {
		t.Fatalf("Update Enabled=false answered State %s, want Disabling", aws.ToString(off.State))
	}
	waitFor(t, "Disabled", func() bool { return aws.ToString(e.getMapping(id).State) == "Disabled" })
	on := e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{Enabled: aws.Bool(true)})
	if aws.ToString(on.State) != "Enabling" {
		t.Fatalf("Update Enabled=true answered State %s, want Enabling", aws.ToString(on.State))
	}
	up := e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{BatchSize: aws.Int32(7)})
	if aws.ToString(up.State) != "Updating" || aws.ToInt32(up.BatchSize) != 7 {
		t.Fatalf("Update BatchSize answered State %s BatchSize %d", aws.ToString(up.State), aws.ToInt32(up.BatchSize))
	}
	del, err := e.lam.DeleteEventSourceMapping(ctx(t), &lambda.DeleteEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || aws.ToString(del.State) != "Deleting" {
		t.Fatalf("Delete: %v, State %s", err, aws.ToString(del.State))
	}
	_, err = e.lam.GetEventSourceMapping(ctx(t), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	wantAPIError(t, err, "ResourceNotFoundException", "The resource you requested does not exist.")
}

// update updates a mapping and fails the test on error.
func (e *lambdaEnv) updateMapping(id string, in *lambda.UpdateEventSourceMappingInput) *lambda.UpdateEventSourceMappingOutput {
	e.t.Helper()
	in.UUID = aws.String(id)
	out, err := e.lam.UpdateEventSourceMapping(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("UpdateEventSourceMapping: %v", err)
	}
	return out
}

func TestESMCreateAllFields(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	pattern := `{"eventName":["INSERT"]}`
	out := e.createMapping(&lambda.CreateEventSourceMappingInput{
		FunctionName: aws.String("f1"), EventSourceArn: aws.String(arn), StartingPosition: ltypes.EventSourcePositionLatest,
		BatchSize: aws.Int32(10), MaximumBatchingWindowInSeconds: aws.Int32(2), ParallelizationFactor: aws.Int32(3),
		MaximumRetryAttempts: aws.Int32(5), MaximumRecordAgeInSeconds: aws.Int32(60), BisectBatchOnFunctionError: aws.Bool(true),
		FunctionResponseTypes:   []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures},
		DestinationConfig:       &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f2")}},
		FilterCriteria:          &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String(pattern)}}},
		TumblingWindowInSeconds: aws.Int32(30), Enabled: aws.Bool(false),
		MetricsConfig: &ltypes.EventSourceMappingMetricsConfig{Metrics: []ltypes.EventSourceMappingMetric{ltypes.EventSourceMappingMetricEventCount}},
		KMSKeyArn:     aws.String("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
	})
	g := e.getMapping(aws.ToString(out.UUID))
	if aws.ToInt32(g.BatchSize) != 10 || aws.ToInt32(g.MaximumBatchingWindowInSeconds) != 2 || aws.ToInt32(g.ParallelizationFactor) != 3 ||
		aws.ToInt32(g.MaximumRetryAttempts) != 5 || aws.ToInt32(g.MaximumRecordAgeInSeconds) != 60 || !aws.ToBool(g.BisectBatchOnFunctionError) ||
		aws.ToInt32(g.TumblingWindowInSeconds) != 30 || g.StartingPosition != ltypes.EventSourcePositionLatest {
		t.Fatalf("Get = %+v", g)
	}
	if len(g.FunctionResponseTypes) != 1 || g.FunctionResponseTypes[0] != ltypes.FunctionResponseTypeReportBatchItemFailures {
		t.Errorf("FunctionResponseTypes = %v", g.FunctionResponseTypes)
	}
	if g.FilterCriteria == nil || len(g.FilterCriteria.Filters) != 1 || aws.ToString(g.FilterCriteria.Filters[0].Pattern) != pattern {
		t.Errorf("FilterCriteria = %+v", g.FilterCriteria)
	}
	if aws.ToString(g.DestinationConfig.OnFailure.Destination) != "arn:aws:lambda:us-east-1:000000000000:function:f2" {
		t.Errorf("OnFailure = %v", aws.ToString(g.DestinationConfig.OnFailure.Destination))
	}
	if g.MetricsConfig == nil || len(g.MetricsConfig.Metrics) != 1 {
		t.Errorf("MetricsConfig = %+v", g.MetricsConfig)
	}
	if aws.ToString(g.KMSKeyArn) != "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab" {
		t.Errorf("KMSKeyArn = %v", aws.ToString(g.KMSKeyArn))
	}
	if aws.ToString(g.State) != "Disabled" {
		t.Errorf("a mapping created with Enabled=false is %s", aws.ToString(g.State))
	}
	// An empty FilterCriteria removes the filters.
	up := e.updateMapping(aws.ToString(out.UUID), &lambda.UpdateEventSourceMappingInput{FilterCriteria: &ltypes.FilterCriteria{}})
	if up.FilterCriteria != nil {
		t.Errorf("FilterCriteria after update with {} = %+v", up.FilterCriteria)
	}
}

func TestESMFunctionNameForms(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	for _, c := range []struct{ name, fn, want string }{
		{"name", "f1", "arn:aws:lambda:us-east-1:000000000000:function:f1"},
		{"qualified name", "f2:$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:f2:$LATEST"},
		{"ARN", "arn:aws:lambda:us-east-1:000000000000:function:f3", "arn:aws:lambda:us-east-1:000000000000:function:f3"},
	} {
		out := e.createMapping(minimal(c.fn, arn))
		if got := aws.ToString(out.FunctionArn); got != c.want {
			t.Errorf("%s: FunctionArn = %s, want %s", c.name, got, c.want)
		}
	}
	_, other := e.streamTable()
	out := e.createMapping(minimal("000000000000:function:f1", other))
	if got := aws.ToString(out.FunctionArn); got != "arn:aws:lambda:us-east-1:000000000000:function:f1" {
		t.Errorf("partial ARN: FunctionArn = %s", got)
	}
	for _, fn := range []string{"nope", "arn:aws:lambda:us-east-1:000000000000:function:nope", "arn:aws:lambda:eu-west-1:000000000000:function:f1"} {
		_, err := e.lam.CreateEventSourceMapping(ctx(t), minimal(fn, other))
		wantAPIError(t, err, "InvalidParameterValueException", "Function does not exist")
	}
}

func TestESMCreateErrors(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	missing := strings.Replace(arn, ":table/", ":table/gone", 1)
	cases := []struct {
		name        string
		in          *lambda.CreateEventSourceMappingInput
		code, msg   string
		msgContains bool
	}{
		{"no event source", &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("f1")},
			"InvalidParameterValueException", "Unrecognized event source.", false},
		{"unknown stream", minimal("f1", missing), "InvalidParameterValueException", "Stream not found: " + missing, false},
		{"no starting position", &lambda.CreateEventSourceMappingInput{FunctionName: aws.String("f1"), EventSourceArn: aws.String(arn)},
			"InvalidParameterValueException", "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.", false},
		{"bad starting position", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.StartingPosition = "invalid" }),
			"ValidationException", "1 validation error detected: Value 'invalid' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]", false},
		{"AT_TIMESTAMP", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) {
			in.StartingPosition = ltypes.EventSourcePositionAtTimestamp
		}),
			"InvalidParameterValueException", "Unsupported starting position for arn type: " + arn, false},
		{"empty function name", minimal("", arn), "ValidationException",
			"1 validation error detected: Value '' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1", false},
		{"function name of 141", minimal(strings.Repeat("f", 141), arn), "ValidationException",
			"Member must have length less than or equal to 140", true},
		{"batch size 0", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.BatchSize = aws.Int32(0) }),
			"ValidationException", "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1", false},
		{"batch size 10001", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.BatchSize = aws.Int32(10001) }),
			"ValidationException", "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000", false},
		{"window 301", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.MaximumBatchingWindowInSeconds = aws.Int32(301) }),
			"ValidationException", "maximumBatchingWindowInSeconds", true},
		{"parallelization 11", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.ParallelizationFactor = aws.Int32(11) }),
			"ValidationException", "Value '11' at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10", true},
		{"retries -2", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.MaximumRetryAttempts = aws.Int32(-2) }),
			"ValidationException", "Value '-2' at 'maximumRetryAttempts'", true},
		{"record age 59", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.MaximumRecordAgeInSeconds = aws.Int32(59) }),
			"InvalidParameterValueException", "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)", false},
		{"record age 604801", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.MaximumRecordAgeInSeconds = aws.Int32(604801) }),
			"ValidationException", "maximumRecordAgeInSeconds", true},
		{"tumbling 901", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) { in.TumblingWindowInSeconds = aws.Int32(901) }),
			"ValidationException", "tumblingWindowInSeconds", true},
		{"two errors", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) {
			in.BatchSize, in.ParallelizationFactor = aws.Int32(0), aws.Int32(0)
		}), "ValidationException", "2 validation errors detected: ", true},
		{"response type", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) {
			in.FunctionResponseTypes = []ltypes.FunctionResponseType{"Other"}
		}), "ValidationException", "functionResponseTypes", true},
		{"invalid filter", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) {
			in.FilterCriteria = &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String(`"INSERT"`)}}}
		}), "InvalidParameterValueException", "Invalid filter pattern definition.", false},
		{"non-JSON filter", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) {
			in.FilterCriteria = &ltypes.FilterCriteria{Filters: []ltypes.Filter{{Pattern: aws.String(`{eventName: INSERT`)}}}
		}), "InvalidParameterValueException", "Invalid filter pattern definition.", false},
		{"OnSuccess", with(minimal("f1", arn), func(in *lambda.CreateEventSourceMappingInput) {
			in.DestinationConfig = &ltypes.DestinationConfig{OnSuccess: &ltypes.OnSuccess{Destination: aws.String("arn:aws:sqs:us-east-1:000000000000:q")}}
		}), "InvalidParameterValueException", "Unsupported DestinationConfig parameter for given event source mapping type.", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.lam.CreateEventSourceMapping(ctx(t), c.in)
			if c.msgContains {
				wantAPIErrorContains(t, err, c.code, c.msg)
			} else {
				wantAPIError(t, err, c.code, c.msg)
			}
		})
	}
	if got := e.list(&lambda.ListEventSourceMappingsInput{}); len(got) != 0 {
		t.Fatalf("rejected creates left %d mappings", len(got))
	}
}

// with applies f to in and returns it.
func with(in *lambda.CreateEventSourceMappingInput, f func(*lambda.CreateEventSourceMappingInput)) *lambda.CreateEventSourceMappingInput {
	f(in)
	return in
}

func TestESMDuplicate(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	first := e.createMapping(minimal("f1", arn))
	_, err := e.lam.CreateEventSourceMapping(ctx(t), minimal("f1", arn))
	wantAPIError(t, err, "ResourceConflictException", `The event source arn (" `+arn+` ") and function (" f1 ") provided mapping already exists. Please update or delete the existing mapping with UUID `+aws.ToString(first.UUID))
	// The same function by ARN is the same function.
	_, err = e.lam.CreateEventSourceMapping(ctx(t), minimal("arn:aws:lambda:us-east-1:000000000000:function:f1", arn))
	wantAPIErrorContains(t, err, "ResourceConflictException", "provided mapping already exists")
	// A second function on the same stream is allowed.
	e.createMapping(minimal("f2", arn))
}

// list pages through ListEventSourceMappings.
func (e *lambdaEnv) list(in *lambda.ListEventSourceMappingsInput) []ltypes.EventSourceMappingConfiguration {
	e.t.Helper()
	var all []ltypes.EventSourceMappingConfiguration
	p := lambda.NewListEventSourceMappingsPaginator(e.lam, in)
	for p.HasMorePages() {
		out, err := p.NextPage(ctx(e.t))
		if err != nil {
			e.t.Fatalf("ListEventSourceMappings: %v", err)
		}
		all = append(all, out.EventSourceMappings...)
	}
	return all
}

func TestESMListFiltersAndPaging(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	_, arn2 := e.streamTable()
	var ids []string
	for _, in := range []*lambda.CreateEventSourceMappingInput{minimal("f1", arn), minimal("f2", arn), minimal("f3", arn), minimal("f1", arn2), minimal("f2:$LATEST", arn2)} {
		ids = append(ids, aws.ToString(e.createMapping(in).UUID))
	}
	page, err := e.lam.ListEventSourceMappings(ctx(t), &lambda.ListEventSourceMappingsInput{MaxItems: aws.Int32(3)})
	if err != nil || len(page.EventSourceMappings) != 3 || page.NextMarker == nil {
		t.Fatalf("first page of 3: %v, %d mappings, marker %v", err, len(page.EventSourceMappings), page.NextMarker)
	}
	all := e.list(&lambda.ListEventSourceMappingsInput{MaxItems: aws.Int32(1)})
	var got []string
	for _, m := range all {
		got = append(got, aws.ToString(m.UUID))
	}
	slices.Sort(got)
	slices.Sort(ids)
	if !slices.Equal(got, ids) {
		t.Fatalf("paged list = %v, want %v", got, ids)
	}
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{EventSourceArn: aws.String(arn)})); n != 3 {
		t.Errorf("by stream: %d mappings, want 3", n)
	}
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String("f1")})); n != 2 {
		t.Errorf("by function name: %d, want 2", n)
	}
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f1"), EventSourceArn: aws.String(arn2)})); n != 1 {
		t.Errorf("by function ARN and stream: %d, want 1", n)
	}
	// A version or alias lists that version's or alias's mappings; the
	// function's name lists all of them.
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String("f2:$LATEST")})); n != 1 {
		t.Errorf("by qualified function name: %d, want 1", n)
	}
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:000000000000:function:f1:$LATEST")})); n != 0 {
		t.Errorf("by a qualified ARN no mapping uses: %d, want 0", n)
	}
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String("f2")})); n != 2 {
		t.Errorf("by the name of a function with a qualified mapping: %d, want 2", n)
	}
	// Filters naming nothing that exists list nothing, without an error.
	if n := len(e.list(&lambda.ListEventSourceMappingsInput{FunctionName: aws.String("nope")})); n != 0 {
		t.Errorf("unknown function: %d mappings", n)
	}
	_, err = e.lam.ListEventSourceMappings(ctx(t), &lambda.ListEventSourceMappingsInput{MaxItems: aws.Int32(0)})
	wantAPIErrorContains(t, err, "ValidationException", "maxItems")
}

func TestESMUpdateAndDeleteErrors(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	id := aws.ToString(e.createMapping(minimal("f1", arn)).UUID)
	e.createMapping(minimal("f2", arn))
	for _, op := range []func() error{
		func() error {
			_, err := e.lam.GetEventSourceMapping(ctx(t), &lambda.GetEventSourceMappingInput{UUID: aws.String("00000000-0000-4000-8000-000000000000")})
			return err
		},
		func() error {
			_, err := e.lam.UpdateEventSourceMapping(ctx(t), &lambda.UpdateEventSourceMappingInput{UUID: aws.String("00000000-0000-4000-8000-000000000000"), BatchSize: aws.Int32(5)})
			return err
		},
		func() error {
			_, err := e.lam.DeleteEventSourceMapping(ctx(t), &lambda.DeleteEventSourceMappingInput{UUID: aws.String("00000000-0000-4000-8000-000000000000")})
			return err
		},
	} {
		wantAPIError(t, op(), "ResourceNotFoundException", "The resource you requested does not exist.")
	}
	e.getMapping(id) // settles Creating
	_, err := e.lam.UpdateEventSourceMapping(ctx(t), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id), FunctionName: aws.String("nope")})
	wantAPIError(t, err, "InvalidParameterValueException", "Function does not exist")
	_, err = e.lam.UpdateEventSourceMapping(ctx(t), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id), FunctionName: aws.String("f2")})
	wantAPIErrorContains(t, err, "ResourceConflictException", "provided mapping already exists")
	_, err = e.lam.UpdateEventSourceMapping(ctx(t), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id), BatchSize: aws.Int32(0)})
	wantAPIErrorContains(t, err, "ValidationException", "batchSize")
	_, err = e.lam.UpdateEventSourceMapping(ctx(t), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id),
		DestinationConfig: &ltypes.DestinationConfig{OnSuccess: &ltypes.OnSuccess{Destination: aws.String("arn:aws:sqs:us-east-1:000000000000:q")}}})
	wantAPIError(t, err, "InvalidParameterValueException", "Unsupported DestinationConfig parameter for given event source mapping type.")
	if g := e.getMapping(id); aws.ToInt32(g.BatchSize) != 100 || !strings.HasSuffix(aws.ToString(g.FunctionArn), ":f1") {
		t.Fatalf("rejected updates changed the mapping: %+v", g)
	}
	swapped := e.updateMapping(id, &lambda.UpdateEventSourceMappingInput{FunctionName: aws.String("f3")})
	if aws.ToString(swapped.FunctionArn) != "arn:aws:lambda:us-east-1:000000000000:function:f3" {
		t.Fatalf("FunctionArn after swap = %s", aws.ToString(swapped.FunctionArn))
	}
}

func TestESMTags(t *testing.T) {
	t.Parallel()
	e, arn := apiEnv(t)
	in := minimal("f1", arn)
	in.Tags = map[string]string{"team": "orders"}
	esmARN := aws.ToString(e.createMapping(in).EventSourceMappingArn)
	tags, err := e.lam.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(esmARN)})
	if err != nil || tags.Tags["team"] != "orders" {
		t.Fatalf("ListTags = %v, %v", tags, err)
	}
	if _, err := e.lam.TagResource(ctx(t), &lambda.TagResourceInput{Resource: aws.String(esmARN), Tags: map[string]string{"env": "test"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.lam.UntagResource(ctx(t), &lambda.UntagResourceInput{Resource: aws.String(esmARN), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = e.lam.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(esmARN)})
	if len(tags.Tags) != 1 || tags.Tags["env"] != "test" {
		t.Fatalf("tags after tag and untag = %v", tags.Tags)
	}
	unknown := "arn:aws:lambda:us-east-1:000000000000:event-source-mapping:00000000-0000-4000-8000-000000000000"
	_, err = e.lam.ListTags(ctx(t), &lambda.ListTagsInput{Resource: aws.String(unknown)})
	wantAPIError(t, err, "ResourceNotFoundException", "Event source mapping not found: "+unknown)
}
