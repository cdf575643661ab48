package engine

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/store"
)

// checkResourceARN checks the shape of a tagging operation's ResourceArn:
// it must be a DynamoDB table ARN of this region and account.
func (e *Engine) checkResourceARN(op string, arn *string) error {
	if arn == nil {
		return validationErr("Invalid TableArn")
	}
	a := *arn
	if a == "" {
		return e.accessDenied(op, "*")
	}
	if !strings.HasPrefix(a, "arn:") {
		return invalidParam("ARNs must start with 'arn:': " + a)
	}
	parts := strings.SplitN(a, ":", 6)
	if len(parts) < 6 {
		return e.accessDenied(op, a)
	}
	invalid := validationErr("Invalid TableArn: Invalid ResourceArn provided as input " + a)
	switch {
	case parts[2] != "dynamodb":
		return invalidParam("Provided Arn is not a DynamoDB resource arn: " + a)
	case parts[4] != e.account:
		return NewError(AccessDenied, "Access is denied")
	case parts[3] != e.region || !strings.HasPrefix(parts[5], "table/"):
		return invalid
	}
	name, rest, sub := strings.Cut(strings.TrimPrefix(parts[5], "table/"), "/")
	if sub && strings.HasPrefix(rest, "index/") {
		return invalidParam("Invalid resource arn provided, only table or stream is accepted. Provided resource arn: " + a)
	}
	if sub && strings.HasPrefix(rest, "backup/") {
		// Backups are not taggable (the 2026 ack-api-quirks DynamoDB
		// catalogue, DDB-BACKUP-013).
		return invalidParam("Provided Arn is not a DynamoDB resource arn: " + a)
	}
	if sub && !strings.HasPrefix(rest, "stream/") || !tableNameRE.MatchString(name) || len(name) < 3 || len(name) > 255 {
		return invalid
	}
	return nil
}

// resourceTable returns the table a checked ResourceArn names. Stream ARNs
// name no taggable resource here.
func (e *Engine) resourceTable(arn string) (*store.Table, error) {
	res := strings.SplitN(arn, ":", 6)[5]
	name, _, sub := strings.Cut(strings.TrimPrefix(res, "table/"), "/")
	var t *store.Table
	if !sub {
		t = e.catalog.Table(name)
	}
	if t == nil {
		return nil, errResourceNotFound(arn)
	}
	e.looked(t)
	return t, nil
}

// errResourceNotFound is the answer of the tagging operations for a
// ResourceArn naming no table.
func errResourceNotFound(arn string) *Error {
	return NewError(ResourceNotFound, "Requested resource not found: ResourceArn: "+arn+" not found")
}

// accessDenied is the AccessDeniedException for a malformed resource ARN.
func (e *Engine) accessDenied(op, resource string) *Error {
	return NewError(AccessDenied, "User: arn:aws:iam::"+e.account+":root is not authorized to perform: dynamodb:"+op+" on resource: "+resource)
}
