package engine

// DynamoDB Streams request and response shapes, with the member names of
// the botocore model (dynamodbstreams 2012-08-10).

// ListStreamsInput is the request of ListStreams.
type ListStreamsInput struct {
	TableName               *string `json:"TableName,omitempty"`
	Limit                   *int64  `json:"Limit,omitempty"` // 1-100
	ExclusiveStartStreamArn *string `json:"ExclusiveStartStreamArn,omitempty"`
}

// ListStreamsOutput is the response of ListStreams. Streams is always
// present, [] when empty.
type ListStreamsOutput struct {
	Streams                []StreamSummary `json:"Streams"`
	LastEvaluatedStreamArn string          `json:"LastEvaluatedStreamArn,omitempty"`
}

// StreamSummary is one entry of ListStreams.
type StreamSummary struct {
	StreamArn   string `json:"StreamArn"`
	TableName   string `json:"TableName"`
	StreamLabel string `json:"StreamLabel"`
}

// DescribeStreamInput is the request of DescribeStream.
type DescribeStreamInput struct {
	StreamArn             *string      `json:"StreamArn,omitempty"`
	Limit                 *int64       `json:"Limit,omitempty"` // 1-100
	ExclusiveStartShardId *string      `json:"ExclusiveStartShardId,omitempty"`
	ShardFilter           *ShardFilter `json:"ShardFilter,omitempty"`
}

// ShardFilter selects the children of a shard (Type CHILD_SHARDS).
type ShardFilter struct {
	Type    *string `json:"Type,omitempty"`
	ShardId *string `json:"ShardId,omitempty"`
}

// DescribeStreamOutput is the response of DescribeStream.
type DescribeStreamOutput struct {
	StreamDescription *StreamDescription `json:"StreamDescription"`
}

// StreamDescription describes one stream and a page of its shards.
type StreamDescription struct {
	StreamArn               string             `json:"StreamArn"`
	StreamLabel             string             `json:"StreamLabel"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamViewType          string             `json:"StreamViewType"`
	CreationRequestDateTime epochTime          `json:"CreationRequestDateTime"`
	TableName               string             `json:"TableName"`
	KeySchema               []KeySchemaElement `json:"KeySchema"`
	Shards                  []Shard            `json:"Shards"`
	LastEvaluatedShardId    string             `json:"LastEvaluatedShardId,omitempty"`
}

// Shard is one shard of a stream. A shard without EndingSequenceNumber is
// open.
type Shard struct {
	ShardId             string              `json:"ShardId"`
	SequenceNumberRange SequenceNumberRange `json:"SequenceNumberRange"`
	ParentShardId       string              `json:"ParentShardId,omitempty"`
}

// SequenceNumberRange is the sequence number range of a shard.
type SequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber,omitempty"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

// GetShardIteratorInput is the request of GetShardIterator.
type GetShardIteratorInput struct {
	StreamArn         *string `json:"StreamArn,omitempty"`
	ShardId           *string `json:"ShardId,omitempty"`
	ShardIteratorType *string `json:"ShardIteratorType,omitempty"`
	SequenceNumber    *string `json:"SequenceNumber,omitempty"`
}

// GetShardIteratorOutput is the response of GetShardIterator.
type GetShardIteratorOutput struct {
	ShardIterator string `json:"ShardIterator"`
}

// GetRecordsInput is the request of GetRecords.
type GetRecordsInput struct {
	ShardIterator *string `json:"ShardIterator,omitempty"`
	Limit         *int64  `json:"Limit,omitempty"` // 1-1000
}

// GetRecordsOutput is the response of GetRecords. Records is always
// present; NextShardIterator is absent once a closed shard is exhausted.
type GetRecordsOutput struct {
	Records           []StreamRecordEnvelope `json:"Records"`
	NextShardIterator string                 `json:"NextShardIterator,omitempty"`
}

// StreamRecordEnvelope is one stream record (the model's Record shape).
type StreamRecordEnvelope struct {
	EventID      string       `json:"eventID"`
	EventName    string       `json:"eventName"`
	EventVersion string       `json:"eventVersion"`
	EventSource  string       `json:"eventSource"`
	AwsRegion    string       `json:"awsRegion"`
	Dynamodb     StreamRecord `json:"dynamodb"`
	UserIdentity *Identity    `json:"userIdentity,omitempty"`
}

// StreamRecord is the DynamoDB part of a stream record.
type StreamRecord struct {
	// ApproximateCreationDateTime is in epoch seconds, rounded down.
	ApproximateCreationDateTime int64 `json:"ApproximateCreationDateTime"`
	// Keys, NewImage and OldImage are the stream's packed forms, encoded
	// on output; NewImage and OldImage are zero when absent.
	Keys           ReadItem `json:"Keys"`
	NewImage       ReadItem `json:"NewImage,omitzero"`
	OldImage       ReadItem `json:"OldImage,omitzero"`
	SequenceNumber string   `json:"SequenceNumber"`
	SizeBytes      int64    `json:"SizeBytes"`
	StreamViewType string   `json:"StreamViewType"`
}

// Identity is who made a change; present only on TTL deletions.
type Identity struct {
	PrincipalId string `json:"PrincipalId"`
	Type        string `json:"Type"`
}
