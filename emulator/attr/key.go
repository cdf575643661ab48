package attr

// Tags that start an encoded number: negatives sort first, then zero, then
// positives.
const (
	keyNegative = 0x01
	keyZero     = 0x02
	keyPositive = 0x03
	// keyNegEnd ends the digits of a negative number so that a shorter
	// (complemented) digit string sorts after its extensions: -1 > -12.
	keyNegEnd = 0xff
)

// EncodeKey returns an order-preserving byte encoding of an S, N or B value:
// bytes.Compare(EncodeKey(a), EncodeKey(b)) has the sign of Compare(a, b) for
// values of one type. Equal numbers ("1e3", "1000") encode identically.
//
// S and B encode as their bytes. N encodes as a tag byte (negative, zero,
// positive), then for non-zero numbers one exponent byte (exponent+130, the
// range is -130..125) and one byte per significant digit ('0'..'9'). For
// negatives the exponent byte and digits are complemented and a 0xff
// terminator follows, which reverses the order.
func EncodeKey(v Value) string {
	switch v.Type {
	case N:
		var buf [3 + maxSigDigits + 8]byte
		return string(appendNumberKey(buf[:0], v.S))
	default:
		return v.S
	}
}

// appendNumberKey appends the order-preserving encoding of a number string.
func appendNumberKey(dst []byte, s string) []byte {
	n, ok := parseNumber(s)
	if !ok || n.first < 0 {
		return append(dst, keyZero)
	}
	e := n.exp - minExponent
	e = max(0, min(e, 255)) // only out-of-range input is clamped
	if !n.neg {
		dst = append(dst, keyPositive, byte(e))
		for k := n.first; k <= n.last; k++ {
			dst = append(dst, n.digit(k))
		}
		return dst
	}
	dst = append(dst, keyNegative, byte(255-e))
	for k := n.first; k <= n.last; k++ {
		dst = append(dst, '0'+'9'-n.digit(k))
	}
	return append(dst, keyNegEnd)
}

// PartitionHash is a stable 64-bit hash of a partition-key value, used for
// scan order and parallel-scan segments. Equal keys hash equally. It is
// FNV-1a (64 bit) over the type tag and EncodeKey, so it is the same in
// every process and run.
func PartitionHash(v Value) uint64 {
	h := (fnvOffset ^ uint64(v.Type)) * fnvPrime
	if v.Type == N {
		var buf [3 + maxSigDigits + 8]byte
		return mix64(fnvAddBytes(h, appendNumberKey(buf[:0], v.S)))
	}
	return mix64(fnvAdd(h, v.S))
}

// mix64 is the MurmurHash3 64-bit finalizer. FNV-1a alone leaves the high
// bits of short inputs nearly constant, and parallel-scan segments and
// stream partitions are ranges of the high bits, so every hash is mixed.
func mix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvAdd(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvAddBytes(h uint64, b []byte) uint64 {
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return h
}
