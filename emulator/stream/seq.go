package stream

import (
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// seqPrefix starts every sequence number, so that all are 21 digits long
// (the model's minimum) and compare as numbers the way they compare as
// strings.
const seqPrefix = "4"

// seqDigits is how many digits follow seqPrefix.
const seqDigits = 20

// formatSeq renders counter value n as a sequence number.
func formatSeq(n uint64) string {
	return string(appendSeq(make([]byte, 0, len(seqPrefix)+seqDigits), n))
}

// appendSeq appends counter value n as a sequence number.
func appendSeq(dst []byte, n uint64) []byte {
	dst = append(dst, seqPrefix...)
	var d [seqDigits]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(dst, d[:]...)
}

// appendHex16 appends n as 16 lower-case hex digits.
func appendHex16(dst []byte, n uint64) []byte {
	const digits = "0123456789abcdef"
	var d [16]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = digits[n&15]
		n >>= 4
	}
	return append(dst, d[:]...)
}

// parseSeq returns the counter value of a sequence number issued by
// formatSeq; ok is false for anything else.
func parseSeq(s string) (n uint64, ok bool) {
	if len(s) != len(seqPrefix)+seqDigits || !strings.HasPrefix(s, seqPrefix) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[len(seqPrefix):], 10, 64)
	return n, err == nil
}

// IsDecimal reports whether s is a non-empty string of ASCII digits, the
// form every DynamoDB Streams sequence number has.
func IsDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// shardID renders a shard ID in AWS's shape,
// shardId-<20-digit creation milliseconds>-<8 hex digits>. The caller keeps
// ms non-decreasing and n increasing per stream, so IDs sort in creation
// order.
func shardID(ms int64, n uint32) string {
	d := strconv.FormatInt(ms, 10)
	h := strconv.FormatUint(uint64(n), 16)
	return "shardId-" + strings.Repeat("0", max(0, 20-len(d))) + d + "-" + strings.Repeat("0", max(0, 8-len(h))) + h
}

// evenRanges splits the 64-bit hash space into n contiguous inclusive
// ranges of (almost) equal size, in ascending order.
func evenRanges(n int) [][2]uint64 {
	out := make([][2]uint64, n)
	for i := range n {
		lo, _ := bits.Div64(uint64(i), 0, uint64(n)) // i * 2^64 / n
		out[i][0] = lo
		if i > 0 {
			out[i-1][1] = lo - 1
		}
	}
	out[n-1][1] = ^uint64(0)
	return out
}

// epochMillis is t in Unix milliseconds, never negative.
func epochMillis(t time.Time) int64 { return max(0, t.UnixMilli()) }
