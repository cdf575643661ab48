package capacity

// Limit types of a throttling reason (the reason is
// ResourceType + OperationType + LimitType, as in
// TableReadProvisionedThroughputExceeded).
const (
	limitProvisioned = "ProvisionedThroughputExceeded"
	limitAccount     = "AccountLimitExceeded"
	limitMaxOnDemand = "MaxOnDemandThroughputExceeded"
	limitKeyRange    = "KeyRangeThroughputExceeded"
)

// Throttle describes a request the Limiter refused.
type Throttle struct {
	// OnDemand is true when the table is in on-demand mode (DynamoDB
	// answers ThrottlingException; ProvisionedThroughputExceededException
	// otherwise).
	OnDemand bool
	// Reasons are the ThrottlingReasons: one per resource and limit that
	// could not serve the request, tables before indexes.
	Reasons []Reason
}

// Reason is one ThrottlingReason.
type Reason struct {
	Reason   string `json:"reason"`   // e.g. TableWriteKeyRangeThroughputExceeded
	Resource string `json:"resource"` // the table's or the index's ARN
}

// IndexOnly reports whether only indexes throttled the request (the
// message then speaks of global secondary indexes).
func (t *Throttle) IndexOnly() bool {
	for _, r := range t.Reasons {
		if len(r.Reason) >= 5 && r.Reason[:5] == "Table" {
			return false
		}
	}
	return len(t.Reasons) > 0
}

// reasonName builds ResourceType + OperationType + LimitType.
func reasonName(index, write bool, limit string) string {
	s := "Table"
	if index {
		s = "Index"
	}
	if write {
		return s + "Write" + limit
	}
	return s + "Read" + limit
}
