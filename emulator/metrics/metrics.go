package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

// namespace prefixes every dynafault series.
const namespace = "dynafault"

// RuleLister lists fault rules with their counters; *faults.Injector is
// one.
type RuleLister interface {
	List() []faults.RuleStatus
}

// Options configure a Metrics.
type Options struct {
	// Engine is read at scrape time for table sizes and shard state; nil
	// leaves those series out.
	Engine *engine.Engine
	// Faults, when set, is listed at scrape time for the per-rule fault
	// series; it must be safe for concurrent use.
	Faults RuleLister
	// Mappings, when set, is listed at scrape time for the per-mapping
	// series named after Lambda's CloudWatch metrics.
	Mappings MappingLister
	// NoRuntime leaves out the Go runtime and process collectors.
	NoRuntime bool
}

// Metrics is the metric set of one emulator. Safe for concurrent use.
type Metrics struct {
	reg      *prometheus.Registry
	requests *requests
	handler  http.Handler
}

// New returns a Metrics with its own registry.
func New(opts Options) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, requests: newRequests(reg)}
	if opts.Engine != nil {
		reg.MustRegister(tableCollector{opts.Engine}, newStreamCollector(opts.Engine), newConsumerCollector(opts.Engine))
	}
	if opts.Faults != nil {
		reg.MustRegister(newFaultCollector(opts.Faults))
	}
	if opts.Mappings != nil {
		reg.MustRegister(newMappingCollector(opts.Mappings))
	}
	if !opts.NoRuntime {
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return m
}

// Registry returns the registry holding every series, for callers that add
// their own collectors or gather directly.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition format (text, or
// protobuf/OpenMetrics when the scraper asks for it).
func (m *Metrics) Handler() http.Handler { return m.handler }
