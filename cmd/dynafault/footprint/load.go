package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Item layout: {"pk": S "k%0*d", "d": S payload}; DynamoDB's item size is
// the UTF-8 length of each name plus each value.
const (
	keyName     = "pk"
	payloadName = "d"
	keyDigits   = 9 // key values "k000000000" .. "k999999999"
	keyBytes    = len(keyName) + 1 + keyDigits
	minItemSize = keyBytes + len(payloadName) + 1
	batchSize   = 25 // BatchWriteItem's limit
	loadTable   = "footprint"
)

// loadResult is how a load went.
type loadResult struct {
	items   int
	writes  int // items * passes
	elapsed time.Duration
}

// loadItems creates the table and writes c.items items to it c.writes
// times (one pass over every item after the other) with c.workers
// concurrent BatchWriteItem callers.
func loadItems(ctx context.Context, url string, c config) (loadResult, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.workers}, Timeout: time.Minute}
	if err := createTable(ctx, client, url, c.stream); err != nil {
		return loadResult{}, err
	}
	began := time.Now()
	for pass := range c.writes {
		if err := loadPass(ctx, client, url, c, pass); err != nil {
			return loadResult{}, err
		}
	}
	return loadResult{items: c.items, writes: c.items * c.writes, elapsed: time.Since(began)}, nil
}

// loadPass writes every item once, with the payload of the pass.
func loadPass(ctx context.Context, client *http.Client, url string, c config, pass int) error {
	batches := make(chan int) // first item index of each batch
	errs := make(chan error, c.workers)
	var wg sync.WaitGroup
	for range c.workers {
		wg.Go(func() {
			for first := range batches {
				if err := writeBatch(ctx, client, url, batchBody(first, min(batchSize, c.items-first), c.itemSize, pass)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	err := feed(ctx, batches, c.items, errs)
	close(batches)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return err
}

// feed sends the first index of every batch until done or a worker fails.
func feed(ctx context.Context, batches chan<- int, items int, errs <-chan error) error {
	for first := 0; first < items; first += batchSize {
		select {
		case batches <- first:
		case err := <-errs:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// createTable creates the table, with a stream of view type view unless
// view is "".
func createTable(ctx context.Context, client *http.Client, url, view string) error {
	spec := ""
	if view != "" {
		spec = `,"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"` + view + `"}`
	}
	body := `{"TableName":"` + loadTable + `","BillingMode":"PAY_PER_REQUEST",` +
		`"AttributeDefinitions":[{"AttributeName":"` + keyName + `","AttributeType":"S"}],` +
		`"KeySchema":[{"AttributeName":"` + keyName + `","KeyType":"HASH"}]` + spec + `}`
	_, err := call(ctx, client, url, "CreateTable", []byte(body))
	return err
}

// validView reports whether v is "" or a StreamViewType.
func validView(v string) bool {
	switch v {
	case "", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES":
		return true
	}
	return false
}

// writeBatch sends a BatchWriteItem body, resending unprocessed items.
func writeBatch(ctx context.Context, client *http.Client, url string, body []byte) error {
	for attempt := 0; ; attempt++ {
		out, err := call(ctx, client, url, "BatchWriteItem", body)
		if err != nil {
			return err
		}
		var answer struct {
			UnprocessedItems map[string]json.RawMessage
		}
		if err := json.Unmarshal(out, &answer); err != nil {
			return fmt.Errorf("BatchWriteItem answer: %w", err)
		}
		rest, ok := answer.UnprocessedItems[loadTable]
		if !ok {
			return nil
		}
		if attempt == 10 {
			return fmt.Errorf("BatchWriteItem: items still unprocessed after %d attempts", attempt)
		}
		body = []byte(`{"RequestItems":{"` + loadTable + `":` + string(rest) + `}}`)
		time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
	}
}

// batchBody is a BatchWriteItem request putting items first..first+n-1;
// the payload differs from pass to pass, so each pass changes every item.
func batchBody(first, n, itemSize, pass int) []byte {
	pad := strings.Repeat(string(rune('a'+pass%26)), itemSize-minItemSize+1)
	b := make([]byte, 0, n*(itemSize+64)+64)
	b = append(b, `{"RequestItems":{"`+loadTable+`":[`...)
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"PutRequest":{"Item":{"`+keyName+`":{"S":"`...)
		b = append(b, itemKey(first+i)...)
		b = append(b, `"},"`+payloadName+`":{"S":"`...)
		b = append(b, pad...)
		b = append(b, `"}}}}`...)
	}
	return append(b, `]}}`...)
}

// itemKey is the key value of item i: "k" and keyDigits digits.
func itemKey(i int) string {
	s := strconv.Itoa(i)
	return "k" + strings.Repeat("0", max(0, keyDigits-len(s))) + s
}
