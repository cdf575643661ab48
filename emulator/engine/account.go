package engine

import (
	"context"
)

// Static account limits reported by DescribeLimits.
const (
	accountMaxCapacityUnits = 80000
	tableMaxCapacityUnits   = 40000
)

// endpointCachePeriod is the CachePeriodInMinutes of DescribeEndpoints.
const endpointCachePeriod = 1440

// DescribeEndpoints answers with the one endpoint clients should use: the
// Host the request was sent to (clients doing endpoint discovery connect
// to it).
func (e *Engine) DescribeEndpoints(ctx context.Context, in *DescribeEndpointsInput) (*DescribeEndpointsOutput, error) {
	return &DescribeEndpointsOutput{Endpoints: []Endpoint{{
		Address:              RequestInfoFrom(ctx).Host,
		CachePeriodInMinutes: endpointCachePeriod,
	}}}, nil
}

// DescribeLimits reports DynamoDB's default capacity quotas.
func (e *Engine) DescribeLimits(ctx context.Context, in *DescribeLimitsInput) (*DescribeLimitsOutput, error) {
	return &DescribeLimitsOutput{
		AccountMaxReadCapacityUnits:  accountMaxCapacityUnits,
		AccountMaxWriteCapacityUnits: accountMaxCapacityUnits,
		TableMaxReadCapacityUnits:    tableMaxCapacityUnits,
		TableMaxWriteCapacityUnits:   tableMaxCapacityUnits,
	}, nil
}

// DescribeContinuousBackups reports backups as ENABLED and point-in-time
// recovery as DISABLED, as DynamoDB does for a fresh table; backups are
// not otherwise supported.
func (e *Engine) DescribeContinuousBackups(ctx context.Context, in *DescribeContinuousBackupsInput) (*DescribeContinuousBackupsOutput, error) {
	var v violations
	v.checkTableName(in.TableName, "tableName")
	if err := v.err(); err != nil {
		return nil, err
	}
	name := tableNameOf(*in.TableName)
	if e.catalog.Table(name) == nil {
		return nil, NewError(TableNotFound, "Table not found: "+name)
	}
	return &DescribeContinuousBackupsOutput{ContinuousBackupsDescription: &ContinuousBackupsDescription{
		ContinuousBackupsStatus:        "ENABLED",
		PointInTimeRecoveryDescription: &PointInTimeRecoveryDescription{PointInTimeRecoveryStatus: "DISABLED"},
	}}, nil
}
