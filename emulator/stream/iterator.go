package stream

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
)

// Iterator types.
const (
	TrimHorizon         = "TRIM_HORIZON"
	Latest              = "LATEST"
	AtSequenceNumber    = "AT_SEQUENCE_NUMBER"
	AfterSequenceNumber = "AFTER_SEQUENCE_NUMBER"
)

// iteratorVersion is the middle field of "<arn>|1|<token>" and the first
// byte of the token's payload.
const (
	iteratorVersion = 1
	macLen          = 16
	maxShardIDLen   = 255
)

// iterator is the decoded content of a shard iterator.
type iterator struct {
	arn, shard string
	pos        uint64 // read records whose counter value is >= pos
	issued     time.Time
	epoch      uint32
}

// encodeIterator renders it as "<arn>|1|<base64url(payload|mac)>".
func (c *config) encodeIterator(it iterator) string {
	p := make([]byte, 0, 1+8+8+4+1+len(it.shard)+macLen)
	p = append(p, iteratorVersion)
	p = binary.BigEndian.AppendUint64(p, it.pos)
	p = binary.BigEndian.AppendUint64(p, uint64(it.issued.UnixNano()))
	p = binary.BigEndian.AppendUint32(p, it.epoch)
	p = append(p, byte(len(it.shard)))
	p = append(p, it.shard...)
	p = append(p, c.mac(it.arn, p)...)
	return it.arn + "|1|" + base64.RawURLEncoding.EncodeToString(p)
}

// decodeIterator parses and authenticates an iterator string.
func (c *config) decodeIterator(s string) (iterator, error) {
	i := strings.LastIndexByte(s, '|')
	if i < 2 || !strings.HasSuffix(s[:i], "|1") {
		return iterator{}, ErrBadIterator
	}
	arn := s[:i-2]
	p, err := base64.RawURLEncoding.DecodeString(s[i+1:])
	if err != nil || len(p) < 1+8+8+4+1+macLen || p[0] != iteratorVersion {
		return iterator{}, ErrBadIterator
	}
	body, tag := p[:len(p)-macLen], p[len(p)-macLen:]
	if !hmac.Equal(tag, c.mac(arn, body)) {
		return iterator{}, ErrBadIterator
	}
	n := int(body[21])
	if len(body) != 22+n {
		return iterator{}, ErrBadIterator
	}
	return iterator{
		arn:    arn,
		pos:    binary.BigEndian.Uint64(body[1:9]),
		issued: time.Unix(0, int64(binary.BigEndian.Uint64(body[9:17]))),
		epoch:  binary.BigEndian.Uint32(body[17:21]),
		shard:  string(body[22:]),
	}, nil
}

// mac is the truncated HMAC-SHA256 of arn and payload under the registry key.
func (c *config) mac(arn string, payload []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	h.Write([]byte(arn))
	h.Write([]byte{'|'})
	h.Write(payload)
	return h.Sum(nil)[:macLen]
}
