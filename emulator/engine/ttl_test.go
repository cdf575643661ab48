package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

func ttlSpec(name string, attrName string, enabled bool) *UpdateTimeToLiveInput {
	return &UpdateTimeToLiveInput{TableName: sp(name), TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: sp(attrName), Enabled: bp(enabled)}}
}

func describeTTL(t *testing.T, e *Engine, name string) TimeToLiveDescription {
	t.Helper()
	out, err := e.DescribeTimeToLive(context.Background(), &DescribeTimeToLiveInput{TableName: sp(name)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.TimeToLiveDescription
}

func TestTimeToLive(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("ttl_table"))
	if got := describeTTL(t, e, "ttl_table"); got != (TimeToLiveDescription{TimeToLiveStatus: "DISABLED"}) {
		t.Fatalf("initial = %+v", got)
	}
	_, err := e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "exp", false))
	wantErr(t, err, Validation, "TimeToLive is already disabled")

	out, err := e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "exp", true))
	if err != nil {
		t.Fatal(err)
	}
	if *out.TimeToLiveSpecification.AttributeName != "exp" || !*out.TimeToLiveSpecification.Enabled {
		t.Fatalf("echo = %+v", out.TimeToLiveSpecification)
	}
	if got := describeTTL(t, e, "ttl_table"); got != (TimeToLiveDescription{TimeToLiveStatus: "ENABLED", AttributeName: "exp"}) {
		t.Fatalf("enabled = %+v", got)
	}
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "exp", true))
	wantErr(t, err, Validation, "TimeToLive is already enabled")
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "other", true))
	wantErr(t, err, Validation, "TimeToLive is active on a different AttributeName: current AttributeName is exp")
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "other", false))
	wantErr(t, err, Validation, "TimeToLive is active on a different AttributeName: current AttributeName is exp")
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "exp", false))
	wantErr(t, err, Validation, "Time to live has been modified multiple times within a fixed interval")

	e.clock.Advance(59 * time.Minute)
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "exp", false))
	wantErr(t, err, Validation, "Time to live has been modified multiple times within a fixed interval")
	e.clock.Advance(time.Minute)
	if _, err := e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "exp", false)); err != nil {
		t.Fatal(err)
	}
	if got := describeTTL(t, e, "ttl_table"); got != (TimeToLiveDescription{TimeToLiveStatus: "DISABLED"}) {
		t.Fatalf("disabled = %+v", got)
	}
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_table", "other", true))
	wantErr(t, err, Validation, "Time to live has been modified multiple times within a fixed interval")
}

func TestTimeToLiveValidation(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("ttl_valid"))
	_, err := e.UpdateTimeToLive(ctx, ttlSpec("ttl_valid", "", true))
	wantErr(t, err, Validation, "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1")
	long := strings.Repeat("a", 256)
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_valid", long, true))
	wantErr(t, err, Validation, "1 validation error detected: Value '"+long+"' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255")
	_, err = e.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: sp("ttl_valid"), TimeToLiveSpecification: &TimeToLiveSpecification{}})
	wantErr(t, err, Validation, "2 validation errors detected: "+
		"Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null; "+
		"Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null")
	_, err = e.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: sp("ttl_valid")})
	wantErr(t, err, Validation, "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")
	_, err = e.UpdateTimeToLive(ctx, ttlSpec("ttl_missing", "exp", true))
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Table: ttl_missing not found")
	_, err = e.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: sp("ttl_missing")})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Table: ttl_missing not found")
}
