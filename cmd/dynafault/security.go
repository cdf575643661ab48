package main

import (
	"flag"
	"log/slog"
	"net"
	"strings"

	"github.com/dynafault/dynafault/emulator"
)

// securityFlags are who may reach the server from a browser: the CORS
// allow-list of the DynamoDB port, and the host names and origins the
// admin API accepts (see docs/security.md).
type securityFlags struct {
	cors, allowedHosts, adminAllowOrigins string
}

// register defines the security flags on fs with env fallbacks.
func (f *securityFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	fs.StringVar(&f.cors, "cors", env("DYNAFAULT_CORS", "local"),
		`origins whose browser pages may call the DynamoDB API, comma-separated: exact origins such as http://localhost:5173, "local" (pages served from this machine, any port), "*" (any page) or "none" (env DYNAFAULT_CORS)`)
	fs.StringVar(&f.allowedHosts, "allowed-hosts", env("DYNAFAULT_ALLOWED_HOSTS", ""),
		"more host names the admin API accepts in Host, comma-separated, e.g. a compose service name; IP addresses, localhost and the --addr host are always accepted (env DYNAFAULT_ALLOWED_HOSTS)")
	fs.StringVar(&f.adminAllowOrigins, "admin-allow-origins", env("DYNAFAULT_ADMIN_ALLOW_ORIGINS", ""),
		`origins besides the server's own whose pages may send admin requests, comma-separated; "*" allows any (env DYNAFAULT_ADMIN_ALLOW_ORIGINS)`)
}

// apply sets the security options of o; addrs are the listen addresses.
func (f securityFlags) apply(o *emulator.Options, addrs ...string) {
	o.CORSOrigins = list(f.cors)
	if o.CORSOrigins == nil || (len(o.CORSOrigins) == 1 && o.CORSOrigins[0] == "none") {
		o.CORSOrigins = []string{} // none
	}
	o.AllowedHosts, o.AdminAllowOrigins = list(f.allowedHosts), list(f.adminAllowOrigins)
	for _, a := range addrs {
		if a != "" {
			o.ListenAddrs = append(o.ListenAddrs, a)
		}
	}
}

// list splits a comma-separated flag value into its non-empty entries.
func list(s string) []string {
	var out []string
	for _, e := range strings.Split(s, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// warnExposure logs a warning when an admin API without a token listens
// beyond this machine: anyone who reaches the port can wipe the tables
// and install faults.
func warnExposure(log *slog.Logger, addr, adminAddr, token string) {
	if token != "" {
		return
	}
	admin := addr
	if adminAddr != "" {
		admin = adminAddr
	}
	if !loopbackAddr(admin) {
		log.Warn("the admin API listens beyond this machine without --admin-token: anyone who reaches "+
			admin+" can wipe every table and install faults; set --admin-token, or listen on 127.0.0.1 and publish the port deliberately",
			"addr", admin)
	}
}

// loopbackAddr reports whether a listen address only accepts connections
// from this machine (a loopback IP or localhost). An empty host, 0.0.0.0
// and [::] listen on every interface.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
