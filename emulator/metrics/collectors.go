package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dynafault/dynafault/emulator/engine"
)

// tableCollector reads table sizes from the engine at scrape time.
type tableCollector struct{ eng *engine.Engine }

func tableItemsDesc() *prometheus.Desc {
	return prometheus.NewDesc(namespace+"_table_items", "Items in the table (exact ItemCount).", []string{"table"}, nil)
}

func tableBytesDesc() *prometheus.Desc {
	return prometheus.NewDesc(namespace+"_table_bytes", "Size of the table's items in bytes (exact TableSizeBytes).",
		[]string{"table"}, nil)
}

// Describe implements prometheus.Collector.
func (c tableCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- tableItemsDesc()
	ch <- tableBytesDesc()
}

// Collect implements prometheus.Collector.
func (c tableCollector) Collect(ch chan<- prometheus.Metric) {
	items, bytes := tableItemsDesc(), tableBytesDesc()
	for _, t := range c.eng.TableStats() {
		ch <- prometheus.MustNewConstMetric(items, prometheus.GaugeValue, float64(t.Items), t.Name)
		ch <- prometheus.MustNewConstMetric(bytes, prometheus.GaugeValue, float64(t.Bytes), t.Name)
	}
}

// streamCollector reads the state of every listed shard at scrape time.
type streamCollector struct {
	eng                                   *engine.Engine
	appended, delivered, dropped, delayed *prometheus.Desc
	records, newestAge, undeliveredAge    *prometheus.Desc
	held                                  *prometheus.Desc
}

func newStreamCollector(eng *engine.Engine) *streamCollector {
	labels := []string{"table", "stream", "shard"}
	desc := func(name, help string) *prometheus.Desc {
		return prometheus.NewDesc(namespace+"_stream_"+name, help, labels, nil)
	}
	return &streamCollector{
		eng:       eng,
		appended:  desc("records_appended_total", "Records appended to the shard."),
		delivered: desc("records_delivered_total", "Records GetRecords returned from the shard, once per consumer."),
		dropped:   desc("records_dropped_total", "Records of the shard dropped by stream faults."),
		delayed:   desc("records_delayed_total", "Records of the shard delayed by stream faults."),
		records:   desc("records", "Readable (untrimmed) records in the shard."),
		newestAge: desc("newest_record_age_seconds",
			"Clock age of the newest readable record of the shard; absent when it holds none."),
		undeliveredAge: desc("oldest_undelivered_age_seconds",
			"Clock age of the oldest record of the shard no GetRecords returned yet; 0 when consumers are caught up."),
		held: desc("records_held", "Records of the shard held back by stream faults (delayed, reordered, or waiting behind a held record)."),
	}
}

// Describe implements prometheus.Collector.
func (c *streamCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		c.appended, c.delivered, c.dropped, c.delayed, c.records, c.newestAge, c.undeliveredAge, c.held,
	} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *streamCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.eng.ShardStats() {
		lv := []string{s.Table, s.StreamLabel, s.ShardID}
		counter := func(d *prometheus.Desc, v uint64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), lv...)
		}
		gauge := func(d *prometheus.Desc, v float64) {
			ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, lv...)
		}
		counter(c.appended, s.Appended)
		counter(c.delivered, s.Delivered)
		counter(c.dropped, s.Dropped)
		counter(c.delayed, s.Delayed)
		gauge(c.records, float64(s.Records))
		gauge(c.held, float64(s.Held))
		if s.NewestAge >= 0 {
			gauge(c.newestAge, s.NewestAge.Seconds())
		}
		gauge(c.undeliveredAge, max(0, s.OldestUndeliveredAge.Seconds()))
	}
}

// faultCollector reads the fault rules' counters at scrape time.
type faultCollector struct {
	rules          RuleLister
	fired, matched *prometheus.Desc
}

func newFaultCollector(rules RuleLister) *faultCollector {
	return &faultCollector{
		rules: rules,
		fired: prometheus.NewDesc(namespace+"_fault_firings_total",
			"Firings of each fault rule (reset when its trigger is replaced).", []string{"rule"}, nil),
		matched: prometheus.NewDesc(namespace+"_fault_matches_total",
			"Events each fault rule matched, fired or not (reset when its trigger is replaced).", []string{"rule"}, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *faultCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.fired
	ch <- c.matched
}

// Collect implements prometheus.Collector.
func (c *faultCollector) Collect(ch chan<- prometheus.Metric) {
	for _, r := range c.rules.List() {
		ch <- prometheus.MustNewConstMetric(c.fired, prometheus.CounterValue, float64(r.Stats.Fired), r.ID)
		ch <- prometheus.MustNewConstMetric(c.matched, prometheus.CounterValue, float64(r.Stats.Matched), r.ID)
	}
}
