package engine

import "github.com/dynafault/dynafault/emulator/capacity"

// CapacitySpec implements capacity.Source: the table's billing mode,
// provisioned throughput and on-demand maximums, and its GSIs'. A
// *tableMeta is immutable, and UpdateTable stores a new one, so the
// Limiter rebuilds the spec only after a change.
func (m *tableMeta) CapacitySpec() *capacity.Spec {
	od := m.Billing == billingPayPerRequest
	s := &capacity.Spec{ID: m.ID, ARN: m.ARN, Table: throughputSpec(od, m.Throughput, m.OnDemand, m.Warm)}
	for _, g := range m.GSIs {
		if g.Removed != nil {
			continue
		}
		s.Indexes = append(s.Indexes, capacity.IndexSpec{Name: g.Name, Throughput: throughputSpec(od, g.Throughput, g.OnDemand, g.Warm)})
	}
	return s
}

// throughputSpec is one resource's capacity settings.
func throughputSpec(onDemand bool, t throughput, o onDemandMax, w warmUnits) capacity.Throughput {
	wr, ww := w.effective(onDemand)
	if onDemand {
		return capacity.Throughput{OnDemand: true, MaxRead: o.Read, MaxWrite: o.Write, WarmRead: wr, WarmWrite: ww}
	}
	return capacity.Throughput{Read: t.Read, Write: t.Write, WarmRead: wr, WarmWrite: ww}
}
