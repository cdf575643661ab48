// Package admin is dynafault's admin REST API, served under /_admin on the
// same port as the DynamoDB protocol. Every answer is JSON; errors are
// {"error":"<text>"} with a 4xx or 5xx status.
//
// # Endpoints
//
//	GET /_admin/health    {"status":"ok"}
//
// Routes are declared one per line in routes (routes.go).
package admin
