package engine

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// TestConcurrentConditionalIncrements: goroutines read a counter and write
// counter+1 on the condition that it still holds what they read, retrying
// when the condition fails, half through TransactWriteItems and half
// through UpdateItem. Every increment lands exactly once.
func TestConcurrentConditionalIncrements(t *testing.T) {
	t.Parallel()
	const n = 40
	e := newBatchEngine(t, itemHashDef("cnt"))
	mustPut(t, e, "cnt", attr.Item{"pk": itemS("c"), "n": itemN("0")})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for !incrementOnce(t, e, i%2 == 0) {
			}
		})
	}
	wg.Wait()
	wantItem(t, mustGet(t, e, "cnt", pk("c")), attr.Item{"pk": itemS("c"), "n": itemN(strconv.Itoa(n))})
}

// incrementOnce tries one conditional increment and reports whether it
// was applied.
func incrementOnce(t *testing.T, e *Engine, viaTransaction bool) bool {
	ctx := context.Background()
	cur := mustGet(t, e, "cnt", pk("c"))["n"]
	values := map[string]attr.Value{":cur": cur, ":one": itemN("1")}
	const upd, cond = "SET n = n + :one", "n = :cur"
	var err error
	if viaTransaction {
		item := txUpdate("cnt", pk("c"), upd, values)
		item.Update.ConditionExpression = itemStr(cond)
		_, err = e.TransactWriteItems(ctx, transact(item))
	} else {
		_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr("cnt"), Key: pk("c"),
			UpdateExpression: itemStr(upd), ConditionExpression: itemStr(cond), ExpressionAttributeValues: values})
	}
	var ee *Error
	switch {
	case err == nil:
		return true
	case errors.As(err, &ee) && (ee.Code == TransactionCanceled || ee.Code == ConditionalCheckFailed):
		return false
	}
	t.Errorf("increment: %v", err)
	return true
}

// TestConcurrentTransfers: goroutines move amounts between accounts held
// in two tables with TransactWriteItems (conditional on sufficient funds)
// while readers sum all accounts with TransactGetItems. Every reader sees
// the initial total, and so does the end state.
func TestConcurrentTransfers(t *testing.T) {
	t.Parallel()
	const accounts, movers, moves, total = 4, 4, 60, 4 * 2 * 100
	e := newBatchEngine(t, itemHashDef("acctA"), itemHashDef("acctB"))
	var keys []TransactGetItem
	for _, tbl := range []string{"acctA", "acctB"} {
		for i := range accounts {
			mustPut(t, e, tbl, attr.Item{"pk": itemS(strconv.Itoa(i)), "bal": itemN("100")})
			keys = append(keys, txGet(tbl, pk(strconv.Itoa(i))))
		}
	}
	var done atomic.Bool
	var wg, readers sync.WaitGroup
	for m := range movers {
		wg.Go(func() {
			for i := range moves {
				transfer(t, e, m, i)
			}
		})
	}
	for range 2 {
		readers.Go(func() {
			for !done.Load() {
				if got := sumBalances(t, e, keys); got != total {
					t.Errorf("reader saw a total of %d, want %d", got, total)
					return
				}
			}
		})
	}
	wg.Wait()
	done.Store(true)
	readers.Wait()
	if got := sumBalances(t, e, keys); got != total {
		t.Fatalf("final total %d, want %d", got, total)
	}
}

// transfer moves a few units from one account in acctA to one in acctB
// (or back), on the condition that the source holds enough.
func transfer(t *testing.T, e *Engine, mover, i int) {
	from, to := "acctA", "acctB"
	if (mover+i)%2 == 1 {
		from, to = to, from
	}
	amount := itemN(strconv.Itoa(1 + (mover*7+i)%9))
	debit := txUpdate(from, pk(strconv.Itoa(i%4)), "SET bal = bal - :a", map[string]attr.Value{":a": amount})
	debit.Update.ConditionExpression = itemStr("bal >= :a")
	credit := txUpdate(to, pk(strconv.Itoa((i+mover)%4)), "SET bal = bal + :a", map[string]attr.Value{":a": amount})
	_, err := e.TransactWriteItems(context.Background(), transact(debit, credit))
	var ee *Error
	if err != nil && (!errors.As(err, &ee) || ee.Code != TransactionCanceled) {
		t.Errorf("transfer: %v", err)
	}
}

// sumBalances reads every account in one TransactGetItems and sums them.
func sumBalances(t *testing.T, e *Engine, keys []TransactGetItem) int {
	out, err := e.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: keys})
	if err != nil {
		t.Errorf("TransactGetItems: %v", err)
		return -1
	}
	sum := 0
	for _, r := range out.Responses {
		n, err := strconv.Atoi(r.Item["bal"].S)
		if err != nil {
			t.Errorf("balance %v: %v", r.Item, err)
		}
		sum += n
	}
	return sum
}
