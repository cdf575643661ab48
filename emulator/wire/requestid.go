package wire

import (
	"crypto/rand"
	"sync/atomic"
)

// idAlphabet is the character set of request ids: [0-9A-Z], as AWS uses.
const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

const (
	idLen       = 52 // length of an AWS request id
	idSuffixLen = 13 // base-36 digits of the counter: 36^13 > 2^64
	idPrefixLen = idLen - idSuffixLen
)

// idGen makes request ids: a random prefix chosen once per generator and a
// base-36 counter, so ids are unique within a process and cheap to make.
type idGen struct {
	prefix [idPrefixLen]byte
	n      atomic.Uint64
}

func newIDGen() *idGen {
	g := &idGen{}
	var raw [idPrefixLen]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on supported platforms
	for i, b := range raw {
		g.prefix[i] = idAlphabet[int(b)%len(idAlphabet)]
	}
	return g
}

// next returns a new 52-character upper-case request id.
func (g *idGen) next() string {
	n := g.n.Add(1)
	var b [idLen]byte
	copy(b[:], g.prefix[:])
	for i := idLen - 1; i >= idPrefixLen; i-- {
		b[i] = idAlphabet[n%36]
		n /= 36
	}
	return string(b[:])
}
