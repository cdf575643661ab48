package lambda

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// Error codes this package answers besides those of package mapping.
const (
	codeValidation     = "ValidationException"
	codeInvalidContent = "InvalidRequestContentException"
	codeService        = "ServiceException"
	codeAccessDenied   = "AccessDeniedException"
)

// apiError is an error answer.
type apiError struct {
	code, message string
}

// statusOf is the HTTP status of each error code.
func statusOf(code string) int {
	switch code {
	case mapping.CodeNotFound:
		return http.StatusNotFound
	case mapping.CodeConflict:
		return http.StatusConflict
	case codeService:
		return http.StatusInternalServerError
	case "TooManyRequestsException":
		return http.StatusTooManyRequests
	case codeAccessDenied:
		return http.StatusForbidden
	}
	return http.StatusBadRequest
}

// writeError sends an error the way Lambda does: the code in
// X-Amzn-Errortype and in the body's Type-less shape for
// ValidationException, {"Type":"User","Message":...} for
// ResourceNotFoundException and {"Type":"User","message":...} otherwise.
func writeError(w http.ResponseWriter, err error) {
	var me *mapping.Error
	var ae apiError
	switch {
	case errors.As(err, &me):
		ae = apiError{code: me.Code, message: me.Message}
	case errors.As(err, &ae):
	default:
		ae = apiError{code: codeService, message: "internal error"}
	}
	var body any
	switch ae.code {
	case codeValidation:
		body = map[string]string{"message": ae.message}
	case mapping.CodeNotFound:
		body = map[string]string{"Type": "User", "Message": ae.message}
	case codeService:
		body = map[string]string{"Type": "Service", "message": ae.message}
	default:
		body = map[string]string{"Type": "User", "message": ae.message}
	}
	b, _ := json.Marshal(body)
	w.Header().Set("X-Amzn-Errortype", ae.code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(statusOf(ae.code))
	_, _ = w.Write(b)
}

func (e apiError) Error() string { return e.code + ": " + e.message }
