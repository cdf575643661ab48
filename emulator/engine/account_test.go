package engine

import (
	"context"
	"encoding/json"
	"testing"
)

func TestDescribeEndpoints(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := WithRequestInfo(context.Background(), RequestInfo{Host: "localhost:8000"})
	out, err := e.DescribeEndpoints(ctx, &DescribeEndpointsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(out); string(b) != `{"Endpoints":[{"Address":"localhost:8000","CachePeriodInMinutes":1440}]}` {
		t.Fatalf("DescribeEndpoints = %s", b)
	}
}

func TestDescribeLimits(t *testing.T) {
	t.Parallel()
	out, err := newTestEngine(t).DescribeLimits(context.Background(), &DescribeLimitsInput{})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,"TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000}`
	if b, _ := json.Marshal(out); string(b) != want {
		t.Fatalf("DescribeLimits = %s", b)
	}
}

func TestDescribeContinuousBackups(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("backups"))
	out, err := e.DescribeContinuousBackups(ctx, &DescribeContinuousBackupsInput{TableName: sp("backups")})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}}`
	if b, _ := json.Marshal(out); string(b) != want {
		t.Fatalf("DescribeContinuousBackups = %s", b)
	}
	_, err = e.DescribeContinuousBackups(ctx, &DescribeContinuousBackupsInput{TableName: sp("no_backups")})
	wantErr(t, err, TableNotFound, "Table not found: no_backups")
	_, err = e.DescribeContinuousBackups(ctx, &DescribeContinuousBackupsInput{})
	wantErr(t, err, Validation, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
}
