package metrics

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// durationBuckets are the request duration histogram's bounds in seconds:
// an in-memory emulator answers in microseconds, a remote one in
// milliseconds, and latency faults add up to seconds.
func durationBuckets() []float64 {
	return []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
}

// requests holds the per-operation request series.
type requests struct {
	total    *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newRequests(reg prometheus.Registerer) *requests {
	r := &requests{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "requests_total",
			Help: `DynamoDB and Streams API calls by operation and error ("" on success, else the exception name).`,
		}, []string{"operation", "error"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Name: "request_duration_seconds",
			Help:    "Time to decode, run and encode an API call, by operation.",
			Buckets: durationBuckets(),
		}, []string{"operation"}),
	}
	reg.MustRegister(r.total, r.duration)
	return r
}

// opMetrics are the pre-resolved series of one operation.
type opMetrics struct {
	name     string
	total    *prometheus.CounterVec
	ok       prometheus.Counter
	duration prometheus.Observer
	errors   sync.Map // error code -> prometheus.Counter
}

// Operation returns the function to call with the outcome of each call of
// the named operation: the error code ("" on success) and its duration.
// Its shape is wire.Observer's. The operation's series exist (at zero) from
// this call on. The returned function is safe for concurrent use.
func (m *Metrics) Operation(name string) func(code string, elapsed time.Duration) {
	o := &opMetrics{
		name:     name,
		total:    m.requests.total,
		ok:       m.requests.total.WithLabelValues(name, ""),
		duration: m.requests.duration.WithLabelValues(name),
	}
	return o.done
}

// done records one call.
func (o *opMetrics) done(code string, elapsed time.Duration) {
	o.duration.Observe(elapsed.Seconds())
	if code == "" {
		o.ok.Inc()
		return
	}
	o.errorCounter(code).Inc()
}

// errorCounter returns the child counting code, resolving it once.
func (o *opMetrics) errorCounter(code string) prometheus.Counter {
	if c, ok := o.errors.Load(code); ok {
		return c.(prometheus.Counter)
	}
	c, _ := o.errors.LoadOrStore(code, o.total.WithLabelValues(o.name, code))
	return c.(prometheus.Counter)
}
