package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dynafault/dynafault/emulator/engine"
)

// consumerCollector reads the consumer oracle at scrape time: per consumer
// and table, its lag and the records it did not receive by reason.
type consumerCollector struct {
	eng         *engine.Engine
	lag, missed *prometheus.Desc
}

func newConsumerCollector(eng *engine.Engine) *consumerCollector {
	return &consumerCollector{
		eng: eng,
		lag: prometheus.NewDesc(namespace+"_consumer_lag_seconds",
			"Clock age of the oldest change of the table the consumer was not handed, counting changes trimmed "+
				"before it read them until it reads on past them (the IteratorAge of a consumer); 0 when caught up.",
			[]string{"consumer", "name", "table"}, nil),
		missed: prometheus.NewDesc(namespace+"_consumer_missed_records",
			"Changes of the table the consumer did not receive, by reason: dropped, trimmed, skipped, unread, "+
				"discarded (lost for good; never drop back because of a trim) and pending (still to read).",
			[]string{"consumer", "name", "table", "reason"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *consumerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lag
	ch <- c.missed
}

// Collect implements prometheus.Collector.
func (c *consumerCollector) Collect(ch chan<- prometheus.Metric) {
	for _, con := range c.eng.Consumers() {
		for _, st := range con.Streams {
			ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, st.LagSeconds, con.ID, con.Name, st.TableName)
			for _, reason := range missedReasons {
				ch <- prometheus.MustNewConstMetric(c.missed, prometheus.GaugeValue, float64(st.Missed[reason]),
					con.ID, con.Name, st.TableName, reason)
			}
		}
	}
}

// missedReasons are the reason label values, every one exported (0 when
// none) so that a loss shows as a step from 0.
var missedReasons = []string{"dropped", "trimmed", "skipped", "unread", "discarded", "pending"} //nolint:gochecknoglobals // constant
