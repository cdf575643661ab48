package store

import (
	"errors"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func counterValue(tb testing.TB, it attr.Item) int {
	tb.Helper()
	n, err := strconv.Atoi(it["n"].S)
	if err != nil {
		tb.Errorf("counter %v: %v", it, err)
	}
	return n
}

// TestConcurrentIncrements: read-modify-write increments through Update
// from many goroutines end at exactly workers*k, readers never see the
// counter go back, and OnCommit sees the commits in order.
func TestConcurrentIncrements(t *testing.T) {
	t.Parallel()
	const workers, k = 8, 100
	var committed []int // appended by OnCommit under the table's write lock
	c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(_ *Table, _ any, ch []Change) {
		committed = append(committed, counterValue(t, ch[0].New))
	}})
	tbl := mustCreate(t, c, pkSKDef("t"))
	key := attr.Item{"pk": str("counter"), "sk": num("0")}
	increment := func(tx *Tx) error {
		it, _ := tx.Get(key)
		tx.Put(attr.Item{"pk": key["pk"], "sk": key["sk"], "n": num(strconv.Itoa(counterValue(t, it) + 1))})
		return nil
	}
	mustUpdate(t, tbl, func(tx *Tx) { tx.Put(attr.Item{"pk": key["pk"], "sk": key["sk"], "n": num("0")}) })
	committed = nil
	var writers, readers sync.WaitGroup
	var done atomic.Bool
	for range 2 {
		readers.Go(func() {
			for last := 0; !done.Load(); {
				mustView(t, tbl, func(tx *Tx) {
					it, _ := tx.Get(key)
					if n := counterValue(t, it); n < last {
						t.Errorf("counter went back from %d to %d", last, n)
					} else {
						last = n
					}
				})
				runtime.Gosched()
			}
		})
	}
	for range workers {
		writers.Go(func() {
			for range k {
				if err := tbl.Update(increment); err != nil {
					t.Errorf("Update: %v", err)
				}
			}
		})
	}
	writers.Wait()
	done.Store(true)
	readers.Wait()
	mustView(t, tbl, func(tx *Tx) {
		if it, _ := tx.Get(key); counterValue(t, it) != workers*k {
			t.Errorf("counter = %v, want %d", it["n"].S, workers*k)
		}
	})
	for i, n := range committed {
		if n != i+1 {
			t.Fatalf("commit %d carried %d: OnCommit out of commit order", i, n)
		}
	}
}

var errInsufficient = errors.New("insufficient funds")

// TestConcurrentTransfers: transfers between accounts of three tables
// through UpdateMany (some failing after the debit, some panicking) keep
// the total constant, and ViewMany readers always see that total.
func TestConcurrentTransfers(t *testing.T) {
	t.Parallel()
	const accounts, initial, workers, k = 5, 100, 6, 150
	c := NewCatalog()
	tables := []*Table{mustCreate(t, c, pkSKDef("c")), mustCreate(t, c, pkSKDef("a")), mustCreate(t, c, pkSKDef("b"))}
	for _, tbl := range tables {
		for i := range accounts {
			putAll(t, tbl, account(i, initial))
		}
	}
	const total = 3 * accounts * initial
	var writers, readers sync.WaitGroup
	var done atomic.Bool
	for r := range 2 {
		readers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 1))
			for !done.Load() {
				if sum := totalBalance(t, c, shuffled(rng, tables)); sum != total {
					t.Errorf("reader saw total %d, want %d", sum, total)
				}
				runtime.Gosched()
			}
		})
	}
	for w := range workers {
		writers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 2))
			for range k {
				transfer(t, c, rng, tables)
			}
		})
	}
	writers.Wait()
	done.Store(true)
	readers.Wait()
	if sum := totalBalance(t, c, tables); sum != total {
		t.Errorf("final total %d, want %d", sum, total)
	}
}

func account(i, balance int) attr.Item {
	return attr.Item{"pk": str("acct"), "sk": num(strconv.Itoa(i)), "n": num(strconv.Itoa(balance))}
}

func shuffled(rng *rand.Rand, tables []*Table) []*Table {
	out := append([]*Table(nil), tables...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// transfer moves a random amount between two random accounts (possibly of
// the same table, then passed twice).
func transfer(t *testing.T, c *Catalog, rng *rand.Rand, tables []*Table) {
	from, to := tables[rng.IntN(len(tables))], tables[rng.IntN(len(tables))]
	fromAcct, toAcct, amount := rng.IntN(5), rng.IntN(5), 1+rng.IntN(60)
	fail := rng.IntN(10)
	err := c.UpdateMany([]*Table{from, to}, func(txs []*Tx) error {
		src, _ := txs[0].Get(account(fromAcct, 0))
		balance := counterValue(t, src)
		if balance < amount {
			return errInsufficient
		}
		txs[0].Put(account(fromAcct, balance-amount))
		switch fail {
		case 0:
			return errInsufficient // after the debit: must be rolled back
		case 1:
			panic("after the debit")
		}
		dst, _ := txs[1].Get(account(toAcct, 0))
		txs[1].Put(account(toAcct, counterValue(t, dst)+amount))
		return nil
	})
	var pe *PanicError
	if err != nil && !errors.Is(err, errInsufficient) && !errors.As(err, &pe) {
		t.Errorf("UpdateMany: %v", err)
	}
}

func totalBalance(t *testing.T, c *Catalog, tables []*Table) int {
	sum := 0
	err := c.ViewMany(tables, func(txs []*Tx) error {
		for _, tx := range txs {
			err := tx.Scan("", 0, 1, nil, func(it attr.Item) bool {
				sum += counterValue(t, it)
				return true
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("ViewMany: %v", err)
	}
	return sum
}
