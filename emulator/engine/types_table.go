package engine

// Input and output types of the control-plane operations. Field names and
// JSON member names are DynamoDB's; optional scalars are pointers so that an
// absent member can be told from a zero value.

// AttributeDefinition declares the type of a key attribute.
type AttributeDefinition struct {
	AttributeName *string `json:"AttributeName,omitempty"`
	AttributeType *string `json:"AttributeType,omitempty"` // S, N or B
}

// KeySchemaElement is one key attribute of a table or index.
type KeySchemaElement struct {
	AttributeName *string `json:"AttributeName,omitempty"`
	KeyType       *string `json:"KeyType,omitempty"` // HASH or RANGE
}

// Projection says which attributes an index stores.
type Projection struct {
	ProjectionType   *string  `json:"ProjectionType,omitempty"` // ALL, KEYS_ONLY or INCLUDE
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

// ProvisionedThroughput is requested read and write capacity.
type ProvisionedThroughput struct {
	ReadCapacityUnits  *int64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *int64 `json:"WriteCapacityUnits,omitempty"`
}

// LocalSecondaryIndex defines an LSI in CreateTable.
type LocalSecondaryIndex struct {
	IndexName  *string            `json:"IndexName,omitempty"`
	KeySchema  []KeySchemaElement `json:"KeySchema,omitempty"`
	Projection *Projection        `json:"Projection,omitempty"`
}

// GlobalSecondaryIndex defines a GSI in CreateTable.
type GlobalSecondaryIndex struct {
	IndexName             *string                `json:"IndexName,omitempty"`
	KeySchema             []KeySchemaElement     `json:"KeySchema,omitempty"`
	Projection            *Projection            `json:"Projection,omitempty"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *WarmThroughput        `json:"WarmThroughput,omitempty"`
}

// StreamSpecification turns a table's stream on or off.
type StreamSpecification struct {
	StreamEnabled  *bool   `json:"StreamEnabled,omitempty"`
	StreamViewType *string `json:"StreamViewType,omitempty"` // NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY
}

// SSESpecification chooses the key a table is encrypted with (see
// table_sse.go); encryption at rest has no other effect in the emulator.
type SSESpecification struct {
	Enabled        *bool   `json:"Enabled,omitempty"`
	SSEType        *string `json:"SSEType,omitempty"`
	KMSMasterKeyID *string `json:"KMSMasterKeyId,omitempty"`
}

// Tag is a key-value pair attached to a table.
type Tag struct {
	Key   *string `json:"Key,omitempty"`
	Value *string `json:"Value,omitempty"`
}

// CreateTableInput is the request of CreateTable.
type CreateTableInput struct {
	TableName                 *string                `json:"TableName,omitempty"`
	AttributeDefinitions      []AttributeDefinition  `json:"AttributeDefinitions,omitempty"`
	KeySchema                 []KeySchemaElement     `json:"KeySchema,omitempty"`
	LocalSecondaryIndexes     []LocalSecondaryIndex  `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []GlobalSecondaryIndex `json:"GlobalSecondaryIndexes,omitempty"`
	BillingMode               *string                `json:"BillingMode,omitempty"`
	ProvisionedThroughput     *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	StreamSpecification       *StreamSpecification   `json:"StreamSpecification,omitempty"`
	SSESpecification          *SSESpecification      `json:"SSESpecification,omitempty"`
	Tags                      []Tag                  `json:"Tags,omitempty"`
	TableClass                *string                `json:"TableClass,omitempty"`
	DeletionProtectionEnabled *bool                  `json:"DeletionProtectionEnabled,omitempty"`
	OnDemandThroughput        *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput            *WarmThroughput        `json:"WarmThroughput,omitempty"`
}

// CreateTableOutput is the response of CreateTable.
type CreateTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

// DescribeTableInput is the request of DescribeTable.
type DescribeTableInput struct {
	TableName *string `json:"TableName,omitempty"`
}

// DescribeTableOutput is the response of DescribeTable.
type DescribeTableOutput struct {
	Table *TableDescription `json:"Table"`
}

// ListTablesInput is the request of ListTables.
type ListTablesInput struct {
	ExclusiveStartTableName *string `json:"ExclusiveStartTableName,omitempty"`
	Limit                   *int64  `json:"Limit,omitempty"`
}

// ListTablesOutput is the response of ListTables.
type ListTablesOutput struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName *string  `json:"LastEvaluatedTableName,omitempty"`
}

// DeleteTableInput is the request of DeleteTable.
type DeleteTableInput struct {
	TableName *string `json:"TableName,omitempty"`
}

// DeleteTableOutput is the response of DeleteTable.
type DeleteTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

// UpdateTableInput is the request of UpdateTable.
type UpdateTableInput struct {
	TableName                   *string                      `json:"TableName,omitempty"`
	AttributeDefinitions        []AttributeDefinition        `json:"AttributeDefinitions,omitempty"`
	BillingMode                 *string                      `json:"BillingMode,omitempty"`
	ProvisionedThroughput       *ProvisionedThroughput       `json:"ProvisionedThroughput,omitempty"`
	GlobalSecondaryIndexUpdates []GlobalSecondaryIndexUpdate `json:"GlobalSecondaryIndexUpdates,omitempty"`
	StreamSpecification         *StreamSpecification         `json:"StreamSpecification,omitempty"`
	SSESpecification            *SSESpecification            `json:"SSESpecification,omitempty"`
	TableClass                  *string                      `json:"TableClass,omitempty"`
	DeletionProtectionEnabled   *bool                        `json:"DeletionProtectionEnabled,omitempty"`
	OnDemandThroughput          *OnDemandThroughput          `json:"OnDemandThroughput,omitempty"`
	WarmThroughput              *WarmThroughput              `json:"WarmThroughput,omitempty"`
}

// GlobalSecondaryIndexUpdate is one of Create, Update or Delete.
type GlobalSecondaryIndexUpdate struct {
	Create *CreateGlobalSecondaryIndexAction `json:"Create,omitempty"`
	Update *UpdateGlobalSecondaryIndexAction `json:"Update,omitempty"`
	Delete *DeleteGlobalSecondaryIndexAction `json:"Delete,omitempty"`
}

// CreateGlobalSecondaryIndexAction adds a GSI.
type CreateGlobalSecondaryIndexAction struct {
	IndexName             *string                `json:"IndexName,omitempty"`
	KeySchema             []KeySchemaElement     `json:"KeySchema,omitempty"`
	Projection            *Projection            `json:"Projection,omitempty"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *WarmThroughput        `json:"WarmThroughput,omitempty"`
}

// UpdateGlobalSecondaryIndexAction changes a GSI's provisioned throughput
// or its on-demand maximum.
type UpdateGlobalSecondaryIndexAction struct {
	IndexName             *string                `json:"IndexName,omitempty"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
	WarmThroughput        *WarmThroughput        `json:"WarmThroughput,omitempty"`
}

// DeleteGlobalSecondaryIndexAction removes a GSI.
type DeleteGlobalSecondaryIndexAction struct {
	IndexName *string `json:"IndexName,omitempty"`
}

// UpdateTableOutput is the response of UpdateTable.
type UpdateTableOutput struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

// TableDescription is DynamoDB's description of a table.
type TableDescription struct {
	AttributeDefinitions      []AttributeDefinition             `json:"AttributeDefinitions,omitempty"`
	TableName                 string                            `json:"TableName"`
	KeySchema                 []KeySchemaElement                `json:"KeySchema,omitempty"`
	TableStatus               string                            `json:"TableStatus"`
	CreationDateTime          *epochTime                        `json:"CreationDateTime,omitempty"`
	ProvisionedThroughput     *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	TableSizeBytes            int64                             `json:"TableSizeBytes"`
	ItemCount                 int64                             `json:"ItemCount"`
	TableArn                  string                            `json:"TableArn"`
	TableID                   string                            `json:"TableId"`
	BillingModeSummary        *BillingModeSummary               `json:"BillingModeSummary,omitempty"`
	LocalSecondaryIndexes     []LocalSecondaryIndexDescription  `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []GlobalSecondaryIndexDescription `json:"GlobalSecondaryIndexes,omitempty"`
	StreamSpecification       *StreamSpecification              `json:"StreamSpecification,omitempty"`
	LatestStreamLabel         string                            `json:"LatestStreamLabel,omitempty"`
	LatestStreamArn           string                            `json:"LatestStreamArn,omitempty"`
	TableClassSummary         *TableClassSummary                `json:"TableClassSummary,omitempty"`
	DeletionProtectionEnabled bool                              `json:"DeletionProtectionEnabled"`
	WarmThroughput            *WarmThroughputDescription        `json:"WarmThroughput,omitempty"`
	OnDemandThroughput        *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
	SSEDescription            *SSEDescription                   `json:"SSEDescription,omitempty"`
}

// ProvisionedThroughputDescription is the capacity of a table or GSI.
type ProvisionedThroughputDescription struct {
	LastIncreaseDateTime   *epochTime `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   *epochTime `json:"LastDecreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64      `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64      `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64      `json:"WriteCapacityUnits"`
}

// BillingModeSummary reports the billing mode.
type BillingModeSummary struct {
	BillingMode                       string     `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime *epochTime `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

// TableClassSummary reports the table class.
type TableClassSummary struct {
	TableClass string `json:"TableClass"`
}

// WarmThroughputDescription is the warm throughput of an on-demand table or GSI.
type WarmThroughputDescription struct {
	ReadUnitsPerSecond  int64  `json:"ReadUnitsPerSecond"`
	WriteUnitsPerSecond int64  `json:"WriteUnitsPerSecond"`
	Status              string `json:"Status"`
}

// LocalSecondaryIndexDescription describes an LSI.
type LocalSecondaryIndexDescription struct {
	IndexName      string             `json:"IndexName"`
	KeySchema      []KeySchemaElement `json:"KeySchema"`
	Projection     *Projection        `json:"Projection"`
	IndexSizeBytes int64              `json:"IndexSizeBytes"`
	ItemCount      int64              `json:"ItemCount"`
	IndexArn       string             `json:"IndexArn"`
}

// GlobalSecondaryIndexDescription describes a GSI.
type GlobalSecondaryIndexDescription struct {
	IndexName             string                            `json:"IndexName"`
	KeySchema             []KeySchemaElement                `json:"KeySchema"`
	Projection            *Projection                       `json:"Projection"`
	IndexStatus           string                            `json:"IndexStatus"`
	Backfilling           *bool                             `json:"Backfilling,omitempty"`
	ProvisionedThroughput *ProvisionedThroughputDescription `json:"ProvisionedThroughput"`
	IndexSizeBytes        int64                             `json:"IndexSizeBytes"`
	ItemCount             int64                             `json:"ItemCount"`
	IndexArn              string                            `json:"IndexArn"`
	WarmThroughput        *WarmThroughputDescription        `json:"WarmThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
}

// UpdateTimeToLiveInput is the request of UpdateTimeToLive.
type UpdateTimeToLiveInput struct {
	TableName               *string                  `json:"TableName,omitempty"`
	TimeToLiveSpecification *TimeToLiveSpecification `json:"TimeToLiveSpecification,omitempty"`
}

// TimeToLiveSpecification enables or disables TTL on an attribute.
type TimeToLiveSpecification struct {
	AttributeName *string `json:"AttributeName,omitempty"`
	Enabled       *bool   `json:"Enabled,omitempty"`
}

// UpdateTimeToLiveOutput is the response of UpdateTimeToLive.
type UpdateTimeToLiveOutput struct {
	TimeToLiveSpecification *TimeToLiveSpecification `json:"TimeToLiveSpecification"`
}

// DescribeTimeToLiveInput is the request of DescribeTimeToLive.
type DescribeTimeToLiveInput struct {
	TableName *string `json:"TableName,omitempty"`
}

// DescribeTimeToLiveOutput is the response of DescribeTimeToLive.
type DescribeTimeToLiveOutput struct {
	TimeToLiveDescription *TimeToLiveDescription `json:"TimeToLiveDescription"`
}

// TimeToLiveDescription is a table's TTL status.
type TimeToLiveDescription struct {
	TimeToLiveStatus string `json:"TimeToLiveStatus"` // ENABLED or DISABLED
	AttributeName    string `json:"AttributeName,omitempty"`
}

// TagResourceInput is the request of TagResource.
type TagResourceInput struct {
	ResourceArn *string `json:"ResourceArn,omitempty"`
	Tags        []Tag   `json:"Tags,omitempty"`
}

// UntagResourceInput is the request of UntagResource.
type UntagResourceInput struct {
	ResourceArn *string  `json:"ResourceArn,omitempty"`
	TagKeys     []string `json:"TagKeys,omitempty"`
}

// EmptyOutput is the response of TagResource and UntagResource, which
// DynamoDB answers with an empty body.
type EmptyOutput struct{}

// ListTagsOfResourceInput is the request of ListTagsOfResource.
type ListTagsOfResourceInput struct {
	ResourceArn *string `json:"ResourceArn,omitempty"`
	NextToken   *string `json:"NextToken,omitempty"`
}

// ListTagsOfResourceOutput is the response of ListTagsOfResource.
type ListTagsOfResourceOutput struct {
	Tags      []Tag   `json:"Tags"`
	NextToken *string `json:"NextToken,omitempty"`
}

// DescribeEndpointsInput is the (empty) request of DescribeEndpoints.
type DescribeEndpointsInput struct{}

// DescribeEndpointsOutput is the response of DescribeEndpoints.
type DescribeEndpointsOutput struct {
	Endpoints []Endpoint `json:"Endpoints"`
}

// Endpoint is an address clients should send requests to.
type Endpoint struct {
	Address              string `json:"Address"`
	CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
}

// DescribeLimitsInput is the (empty) request of DescribeLimits.
type DescribeLimitsInput struct{}

// DescribeLimitsOutput is the response of DescribeLimits.
type DescribeLimitsOutput struct {
	AccountMaxReadCapacityUnits  int64 `json:"AccountMaxReadCapacityUnits"`
	AccountMaxWriteCapacityUnits int64 `json:"AccountMaxWriteCapacityUnits"`
	TableMaxReadCapacityUnits    int64 `json:"TableMaxReadCapacityUnits"`
	TableMaxWriteCapacityUnits   int64 `json:"TableMaxWriteCapacityUnits"`
}

// DescribeContinuousBackupsInput is the request of DescribeContinuousBackups.
type DescribeContinuousBackupsInput struct {
	TableName *string `json:"TableName,omitempty"`
}

// DescribeContinuousBackupsOutput is the response of DescribeContinuousBackups.
type DescribeContinuousBackupsOutput struct {
	ContinuousBackupsDescription *ContinuousBackupsDescription `json:"ContinuousBackupsDescription"`
}

// ContinuousBackupsDescription reports backup and point-in-time-recovery status.
type ContinuousBackupsDescription struct {
	ContinuousBackupsStatus        string                          `json:"ContinuousBackupsStatus"`
	PointInTimeRecoveryDescription *PointInTimeRecoveryDescription `json:"PointInTimeRecoveryDescription"`
}

// PointInTimeRecoveryDescription reports PITR status.
type PointInTimeRecoveryDescription struct {
	PointInTimeRecoveryStatus string `json:"PointInTimeRecoveryStatus"`
}

// OnDemandThroughput is the maximum read and write request units per
// second of an on-demand table or GSI; -1 removes a maximum.
type OnDemandThroughput struct {
	MaxReadRequestUnits  *int64 `json:"MaxReadRequestUnits,omitempty"`
	MaxWriteRequestUnits *int64 `json:"MaxWriteRequestUnits,omitempty"`
}

// WarmThroughput is the read and write units per second a table or GSI
// can serve at once, as requested by CreateTable or UpdateTable.
type WarmThroughput struct {
	ReadUnitsPerSecond  *int64 `json:"ReadUnitsPerSecond,omitempty"`
	WriteUnitsPerSecond *int64 `json:"WriteUnitsPerSecond,omitempty"`
}
