package load

import (
	"context"
	"errors"
	"net"

	"github.com/aws/smithy-go"
)

// errorName names an error for the report: the exception name the server
// sent (ThrottlingException, ValidationException, ...), or "timeout",
// "canceled", "network" or "other" when no answer was understood, and
// "MissingItem" for a read that did not find the preloaded data.
func errorName(err error) string {
	var api smithy.APIError
	var ne net.Error
	switch {
	case errors.Is(err, errMissing):
		return "MissingItem"
	case errors.As(err, &api):
		return api.ErrorCode()
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.As(err, &ne):
		return "network"
	default:
		return "other"
	}
}

// isThrottle reports whether an exception name is a throttle: the request
// was refused for capacity, not for what it asked.
func isThrottle(name string) bool {
	switch name {
	case "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
		"LimitExceededException", "TooManyRequestsException":
		return true
	}
	return false
}
