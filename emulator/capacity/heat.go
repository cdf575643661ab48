package capacity

import (
	"container/heap"
	"encoding/base64"
	"slices"
	"sort"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

// heatKeys is how many partition keys a resource tracks: the hottest
// ones stay, a new key replaces the coldest.
const heatKeys = 64

// heat tracks the partition keys of one table or index that consumed the
// most units. Its memory is bounded by heatKeys. keys is a min-heap by
// weight (ties: by hash), so the coldest key, the one a new key replaces
// when heatKeys are tracked, is keys[0], and each update costs O(log n).
type heat struct {
	keys []*keyHeat
	at   map[uint64]int // hash -> index in keys
}

// keyHeat is one tracked partition key.
type keyHeat struct {
	hash      uint64
	key       attr.Value
	partition int
	total     [2]float64 // units admitted since tracked
	throttled uint64     // requests refused
	sec       int64      // the clock second of cur
	cur, prev [2]float64 // units admitted in second sec and sec-1
}

// heap.Interface over keys, keeping at in step.
func (h *heat) Len() int { return len(h.keys) }
func (h *heat) Less(i, j int) bool {
	a, b := h.keys[i].weight(), h.keys[j].weight()
	return a < b || (a == b && h.keys[i].hash < h.keys[j].hash)
}
func (h *heat) Swap(i, j int) {
	h.keys[i], h.keys[j] = h.keys[j], h.keys[i]
	h.at[h.keys[i].hash], h.at[h.keys[j].hash] = i, j
}
func (h *heat) Push(x any) {
	k := x.(*keyHeat)
	h.at[k.hash] = len(h.keys)
	h.keys = append(h.keys, k)
}
func (h *heat) Pop() any {
	k := h.keys[len(h.keys)-1]
	h.keys = h.keys[:len(h.keys)-1]
	delete(h.at, k.hash)
	return k
}

// entry returns the tracked entry of key (whose partition hash is hash)
// and its index, tracking it if needed in place of the coldest key.
func (h *heat) entry(hash uint64, key attr.Value, parts int) (*keyHeat, int) {
	if i, ok := h.at[hash]; ok {
		k := h.keys[i]
		k.partition = partitionOf(hash, parts)
		return k, i
	}
	if h.at == nil {
		h.at = map[uint64]int{}
	}
	k := &keyHeat{hash: hash, key: key, partition: partitionOf(hash, parts)}
	if len(h.keys) < heatKeys {
		heap.Push(h, k)
		return k, h.at[hash]
	}
	delete(h.at, h.keys[0].hash)
	h.keys[0] = k
	h.at[hash] = 0
	heap.Fix(h, 0)
	return k, h.at[hash]
}

// weight orders keys by heat: units consumed plus one per refusal.
func (k *keyHeat) weight() float64 {
	return k.total[read] + k.total[write] + float64(k.throttled)
}

// add records units admitted for key in direction d.
func (h *heat) add(hash uint64, key attr.Value, parts, d int, units float64, now time.Time) {
	k, i := h.entry(hash, key, parts)
	k.roll(now)
	k.total[d] += units
	k.cur[d] += units
	heap.Fix(h, i)
}

// throttle records a refused request for key.
func (h *heat) throttle(hash uint64, key attr.Value, parts int, now time.Time) {
	k, i := h.entry(hash, key, parts)
	k.roll(now)
	k.throttled++
	heap.Fix(h, i)
}

// roll moves the per-second windows to now's second.
func (k *keyHeat) roll(now time.Time) {
	s := now.Unix()
	switch {
	case s == k.sec:
	case s == k.sec+1:
		k.prev, k.cur, k.sec = k.cur, [2]float64{}, s
	default:
		k.prev, k.cur, k.sec = [2]float64{}, [2]float64{}, s
	}
}

// rate estimates the units per second of direction d over the last
// second of clock time: the current second's units plus the part of the
// previous second's still inside the window.
func (k *keyHeat) rate(d int, now time.Time) float64 {
	s := now.Unix()
	frac := float64(now.Nanosecond()) / float64(time.Second)
	switch s {
	case k.sec:
		return k.cur[d] + k.prev[d]*(1-frac)
	case k.sec + 1:
		return k.cur[d] * (1 - frac)
	}
	return 0
}

// HotKey is a tracked partition key with its consumption.
type HotKey struct {
	// Index is the GSI whose partition key this is; "" for the table.
	Index string `json:"index,omitempty"`
	// Key is the partition key value: a string as it is, a number in
	// canonical decimal, a binary in base64.
	Key string `json:"key"`
	// Type is the key's type: S, N or B.
	Type string `json:"type"`
	// Partition is the partition holding the key, 0 to Partitions-1.
	Partition int `json:"partition"`
	// ReadUnitsPerSecond and WriteUnitsPerSecond are the units consumed
	// over the last second of clock time.
	ReadUnitsPerSecond  float64 `json:"readUnitsPerSecond"`
	WriteUnitsPerSecond float64 `json:"writeUnitsPerSecond"`
	// ReadUnits and WriteUnits are the units consumed since the key was
	// tracked; Throttled the requests refused.
	ReadUnits  float64 `json:"readUnits"`
	WriteUnits float64 `json:"writeUnits"`
	Throttled  uint64  `json:"throttled"`
}

// keyText renders a partition key value.
func keyText(v attr.Value) string {
	if v.Type == attr.B {
		return base64.StdEncoding.EncodeToString([]byte(v.S))
	}
	return v.S
}

// hot returns the tracked keys of h, hottest first.
func (h *heat) hot(index string, now time.Time) []HotKey {
	keys := slices.Clone(h.keys)
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := keys[i].weight(), keys[j].weight()
		if a != b {
			return a > b
		}
		return keys[i].hash < keys[j].hash
	})
	out := make([]HotKey, len(keys))
	for i, k := range keys {
		out[i] = HotKey{
			Index: index, Key: keyText(k.key), Type: k.key.Type.String(), Partition: k.partition,
			ReadUnitsPerSecond: k.rate(read, now), WriteUnitsPerSecond: k.rate(write, now),
			ReadUnits: k.total[read], WriteUnits: k.total[write], Throttled: k.throttled,
		}
	}
	return out
}
