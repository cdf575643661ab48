package mapping

import (
	"maps"
	"strings"
)

// byARN finds a mapping by its ARN. Must be called with m.mu held.
func (m *Manager) byARN(arn string) *Mapping {
	id, ok := strings.CutPrefix(arn, m.arnBase)
	if !ok {
		return nil
	}
	return m.mappings[id]
}

// errTagTarget is the error of a tag call on an unknown ARN.
func errTagTarget(arn string) *Error {
	return errorf(CodeNotFound, "Event source mapping not found: %s", arn)
}

// Tags returns the tags of the mapping with the ARN.
func (m *Manager) Tags(arn string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(m.clock.Now())
	mp := m.byARN(arn)
	if mp == nil {
		return nil, errTagTarget(arn)
	}
	out := maps.Clone(mp.tags)
	if out == nil {
		out = map[string]string{}
	}
	return out, nil
}

// Tag adds or replaces tags of the mapping with the ARN.
func (m *Manager) Tag(arn string, tags map[string]string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(m.clock.Now())
	mp := m.byARN(arn)
	if mp == nil {
		return errTagTarget(arn)
	}
	if mp.tags == nil {
		mp.tags = map[string]string{}
	}
	maps.Copy(mp.tags, tags)
	return nil
}

// Untag removes tags of the mapping with the ARN.
func (m *Manager) Untag(arn string, keys []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(m.clock.Now())
	mp := m.byARN(arn)
	if mp == nil {
		return errTagTarget(arn)
	}
	for _, k := range keys {
		delete(mp.tags, k)
	}
	return nil
}
