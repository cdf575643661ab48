package wire

// AllowsOrigin reports whether a browser page of origin may call the
// APIs on this port (the CORS allow-list of SetCORS), for the other API
// served beside DynamoDB's (the Lambda API of event source mappings).
func (h *Handler) AllowsOrigin(origin string) bool { return h.cors.allows(origin) }
