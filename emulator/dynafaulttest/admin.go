package dynafaulttest

import "github.com/dynafault/dynafault/faults/client"

// Admin is a client of the server's admin API: fault rules, the fault
// journal, the virtual clock, stream and shard controls, TTL sweep and
// reset. Its test helpers (AddRule, WaitFired, ...) take the test.
func (s *Server) Admin() *client.Client {
	return client.New(s.URL, client.WithHTTPClient(s.http.Client()))
}
