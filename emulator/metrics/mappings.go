package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// MappingLister lists event source mappings with their counters;
// *mapping.Manager is one.
type MappingLister interface {
	Statuses() []mapping.Status
}

// mappingCollector reads the event source mappings at scrape time. Series
// are named after Lambda's CloudWatch metrics and labelled with the
// mapping's UUID (CloudWatch's EventSourceMappingUUID dimension) and
// function; the EventCount group appears only for mappings with
// MetricsConfig EventCount, as in CloudWatch.
type mappingCollector struct {
	list                                MappingLister
	iteratorAge                         *prometheus.Desc
	invocations, errors, throttles      *prometheus.Desc
	polled, filtered, invoked, failed   *prometheus.Desc
	dropped, onFailure, deliveryFailure *prometheus.Desc
}

func newMappingCollector(l MappingLister) *mappingCollector {
	labels := []string{"uuid", "function", "table"}
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(namespace+"_lambda_"+name, help, labels, nil)
	}
	return &mappingCollector{
		list: l,
		iteratorAge: desc("iterator_age_milliseconds",
			"IteratorAge: age of the last record of the latest batch the mapping sent (or is retrying), in ms."),
		invocations: desc("invocations_total", "Invocations: invocations that reached the function, errors included."),
		errors:      desc("errors_total", "Errors: invocations that ended in a function error (timeouts included)."),
		throttles:   desc("throttles_total", "Throttles: throttled invoke requests."),
		polled:      desc("polled_event_count_total", "PolledEventCount: records the mapping read."),
		filtered:    desc("filtered_out_event_count_total", "FilteredOutEventCount: records FilterCriteria dropped."),
		invoked:     desc("invoked_event_count_total", "InvokedEventCount: records sent to the function, again on retries."),
		failed:      desc("failed_invoke_event_count_total", "FailedInvokeEventCount: records whose invocation failed."),
		dropped:     desc("dropped_event_count_total", "DroppedEventCount: records discarded (retries or age) without an on-failure delivery."),
		onFailure:   desc("on_failure_destination_delivered_event_count_total", "OnFailureDestinationDeliveredEventCount: records delivered to the on-failure destination."),
		deliveryFailure: desc("destination_delivery_failures_total",
			"DestinationDeliveryFailures: failed deliveries to the on-failure destination."),
	}
}

// Describe implements prometheus.Collector.
func (c *mappingCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.iteratorAge, c.invocations, c.errors, c.throttles, c.polled, c.filtered,
		c.invoked, c.failed, c.dropped, c.onFailure, c.deliveryFailure} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *mappingCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.list.Statuses() {
		l := []string{s.UUID, s.FunctionName, s.TableName}
		gauge := func(d *prometheus.Desc, v float64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, l...)
		}
		count := func(d *prometheus.Desc, v uint64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), l...)
		}
		// The oldest shard's: a batch under way keeps aging, a shard read
		// to its tip with nothing to deliver is 0.
		var age int64
		for _, sh := range s.Shards {
			age = max(age, sh.IteratorAgeMs)
		}
		gauge(c.iteratorAge, float64(age))
		count(c.invocations, s.Stats.Invocations)
		count(c.errors, s.Stats.Errors)
		count(c.throttles, s.Stats.Throttles)
		count(c.deliveryFailure, s.Stats.DestinationDeliveryFailures)
		if !s.Config.MetricsEventCount {
			continue
		}
		count(c.polled, s.Stats.PolledEventCount)
		count(c.filtered, s.Stats.FilteredOutEventCount)
		count(c.invoked, s.Stats.InvokedEventCount)
		count(c.failed, s.Stats.FailedInvokeEventCount)
		count(c.dropped, s.Stats.DroppedEventCount)
		count(c.onFailure, s.Stats.OnFailureDestinationDeliveredEventCount)
	}
}
