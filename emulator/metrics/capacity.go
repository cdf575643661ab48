package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dynafault/dynafault/emulator/capacity"
	"github.com/dynafault/dynafault/emulator/engine"
)

// hotKeySeries is how many hot partition keys per table the capacity
// series show.
const hotKeySeries = 10

// capacityCollector reads capacity enforcement at scrape time: per table
// and GSI the units consumed and the throttle events (CloudWatch's
// ConsumedReadCapacityUnits, ConsumedWriteCapacityUnits,
// ReadThrottleEvents, WriteThrottleEvents, ThrottledRequests,
// ProvisionedReadCapacityUnits, ProvisionedWriteCapacityUnits), and the
// hottest partition keys. Only enforced tables have series.
type capacityCollector struct {
	eng                                     *engine.Engine
	consumedRead, consumedWrite             *prometheus.Desc
	readThrottles, writeThrottles           *prometheus.Desc
	throttledRequests                       *prometheus.Desc
	readLimit, writeLimit                   *prometheus.Desc
	availableRead, availableWrite           *prometheus.Desc
	partitions                              *prometheus.Desc
	hotKeyUnits, hotKeyRate, hotKeyThrottle *prometheus.Desc
}

func newCapacityCollector(eng *engine.Engine) *capacityCollector {
	res := []string{"table", "index"}
	desc := func(name, help string, labels []string) *prometheus.Desc {
		return prometheus.NewDesc(namespace+"_"+name, help, labels, nil)
	}
	key := []string{"table", "index", "key", "operation"}
	return &capacityCollector{
		eng:           eng,
		consumedRead:  desc("consumed_read_capacity_units_total", "Read capacity units admitted (CloudWatch ConsumedReadCapacityUnits); index \"\" is the table.", res),
		consumedWrite: desc("consumed_write_capacity_units_total", "Write capacity units admitted (CloudWatch ConsumedWriteCapacityUnits).", res),
		readThrottles: desc("read_throttle_events_total", "Requests refused that charged reads of the table or index (CloudWatch ReadThrottleEvents).", res),
		writeThrottles: desc("write_throttle_events_total",
			"Requests refused that charged writes of the table or index (CloudWatch WriteThrottleEvents).", res),
		throttledRequests: desc("throttled_requests_total", "Requests refused by capacity enforcement (CloudWatch ThrottledRequests).", []string{"table"}),
		readLimit: desc("provisioned_read_capacity_units",
			"Table-level read rate: provisioned units per second, or the on-demand ceiling (CloudWatch ProvisionedReadCapacityUnits).", res),
		writeLimit: desc("provisioned_write_capacity_units",
			"Table-level write rate: provisioned units per second, or the on-demand ceiling (CloudWatch ProvisionedWriteCapacityUnits).", res),
		availableRead:  desc("available_read_capacity_units", "Read units in the table-level bucket (burst capacity included).", res),
		availableWrite: desc("available_write_capacity_units", "Write units in the table-level bucket (burst capacity included).", res),
		partitions:     desc("partitions", "Partitions of the table or index in the capacity model.", res),
		hotKeyUnits:    desc("hot_key_consumed_units_total", "Units consumed by one of the hottest partition keys (operation read or write).", key),
		hotKeyRate:     desc("hot_key_units_per_second", "Units consumed by one of the hottest partition keys over the last second of clock time.", key),
		hotKeyThrottle: desc("hot_key_throttled_requests_total", "Requests refused on one of the hottest partition keys.",
			[]string{"table", "index", "key"}),
	}
}

// Describe implements prometheus.Collector.
func (c *capacityCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		c.consumedRead, c.consumedWrite, c.readThrottles, c.writeThrottles, c.throttledRequests,
		c.readLimit, c.writeLimit, c.availableRead, c.availableWrite, c.partitions,
		c.hotKeyUnits, c.hotKeyRate, c.hotKeyThrottle,
	} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *capacityCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.eng.Capacity().Snapshot(hotKeySeries) {
		ch <- prometheus.MustNewConstMetric(c.throttledRequests, prometheus.CounterValue, float64(s.ThrottledRequests), s.Table)
		for _, r := range s.Resources {
			c.resource(ch, s.Table, r)
		}
		for _, k := range s.HotKeys {
			c.hotKey(ch, s.Table, k)
		}
	}
}

func (c *capacityCollector) resource(ch chan<- prometheus.Metric, table string, r capacity.ResourceStatus) {
	lv := []string{table, r.Index}
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v, lv...)
	}
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, lv...)
	}
	counter(c.consumedRead, r.Read.Consumed)
	counter(c.consumedWrite, r.Write.Consumed)
	counter(c.readThrottles, float64(r.Read.ThrottleEvents))
	counter(c.writeThrottles, float64(r.Write.ThrottleEvents))
	gauge(c.readLimit, r.Read.UnitsPerSecond)
	gauge(c.writeLimit, r.Write.UnitsPerSecond)
	gauge(c.availableRead, r.Read.Available)
	gauge(c.availableWrite, r.Write.Available)
	gauge(c.partitions, float64(r.Partitions))
}

func (c *capacityCollector) hotKey(ch chan<- prometheus.Metric, table string, k capacity.HotKey) {
	for _, x := range []struct {
		op          string
		units, rate float64
	}{{"read", k.ReadUnits, k.ReadUnitsPerSecond}, {"write", k.WriteUnits, k.WriteUnitsPerSecond}} {
		if x.units == 0 {
			continue
		}
		ch <- prometheus.MustNewConstMetric(c.hotKeyUnits, prometheus.CounterValue, x.units, table, k.Index, k.Key, x.op)
		ch <- prometheus.MustNewConstMetric(c.hotKeyRate, prometheus.GaugeValue, x.rate, table, k.Index, k.Key, x.op)
	}
	if k.Throttled > 0 {
		ch <- prometheus.MustNewConstMetric(c.hotKeyThrottle, prometheus.CounterValue, float64(k.Throttled), table, k.Index, k.Key)
	}
}
