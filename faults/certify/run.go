package certify

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/faults/client"
)

// run is one scenario in progress.
type run struct {
	b        *battery
	sc       Scenario
	w        Workload
	res      *Result
	table    string
	arn      string
	key      string // the consumer's access key id
	keyAttr  string // the table's partition key attribute
	catchUp  time.Duration
	sup      *supervisor
	out      *output
	rules    []string // server ids of the rules added
	cursor   uint64   // the change ledger's seq before the scenario
	fromSeq  *big.Int // a running consumer's table: the scenario's first sequence number
	baseline client.ConsumerStream
	began    time.Time
	known    bool // the oracle knew the consumer when the evidence was collected

	mu      sync.Mutex
	peakLag float64
}

// scenario runs one scenario and returns its result.
func (b *battery) scenario(ctx context.Context, sc Scenario, idx int) Result {
	w := sc.Workload.withDefaults()
	res := Result{Name: sc.Name, Description: sc.Description, Seed: scenarioSeed(sc, b.cfg.Seed), Missed: map[string]int{}}
	if reason := b.skipReason(sc); reason != "" {
		res.Status, res.Reason = StatusSkip, reason
		return res
	}
	r := &run{b: b, sc: sc, w: w, res: &res, keyAttr: AttrKey, began: time.Now(),
		key: fmt.Sprintf("CERTIFY%s%03d", b.runID, idx+1), catchUp: sc.Expect.catchUp()}
	if b.cfg.CatchUpWithin > 0 {
		r.catchUp = b.cfg.CatchUpWithin
	}
	b.log.Info("scenario", "name", sc.Name, "seed", res.Seed)
	err := r.execute(ctx)
	res.DurationSeconds = time.Since(r.began).Seconds()
	if err != nil {
		res.Status, res.Reason = StatusError, err.Error()
		if r.sup != nil {
			res.Crashes, res.Starts, res.PlannedRestarts = r.sup.summary()
			res.LastLines = r.out.lastLines()
		}
		b.log.Warn("scenario could not run", "name", sc.Name, "err", err)
		return res
	}
	grade(r)
	b.log.Info("scenario done", "name", sc.Name, "status", res.Status)
	return res
}

// skipReason says why sc does not apply to the consumer, or "".
func (b *battery) skipReason(sc Scenario) string {
	kind := b.cfg.Consumer.Kind()
	if !sc.appliesTo(kind) {
		return "applies to " + strings.Join(sc.Kinds, ", ") + " consumers only"
	}
	if b.attached != nil {
		for _, st := range sc.Steps {
			switch st.Do {
			case DoStopConsumer, DoStartConsumer, DoRestartConsumer:
				return "stops and starts the consumer: needs a consumer the battery runs (--consumer-cmd)"
			}
		}
	}
	return ""
}

// execute sets the scenario up, runs it, collects the evidence and cleans
// up.
func (r *run) execute(ctx context.Context) error {
	defer r.cleanup()
	if err := r.setup(ctx); err != nil {
		return err
	}
	stateDir, err := os.MkdirTemp(stateRoot(), "dynafault-certify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stateDir)
	r.out = &output{pattern: r.b.cfg.ReportPattern, mask: r.table, tee: r.b.cfg.ConsumerOutput, prefix: "[" + r.sc.Name + "] "}
	r.sup = &supervisor{consumer: r.b.cfg.Consumer, out: r.out, began: r.began, maxRestarts: r.b.cfg.MaxRestarts,
		backoff: r.b.cfg.RestartBackoff, env: Env{
			Scenario: r.sc.Name, Endpoint: r.b.cfg.Endpoint, Region: r.b.cfg.Region, AccessKeyID: r.key,
			SecretAccessKey: consumerSecret, Table: r.table, StreamARN: r.arn, StateDir: stateDir,
		}}
	defer r.sup.close(context.Background())
	if err := r.sup.start(); err != nil {
		return err
	}
	if !r.waitReady(ctx) {
		r.note("the consumer had not read every shard %s after its start; the workload began anyway", r.b.cfg.ReadyWithin)
	}
	sampleCtx, stopSampling := context.WithCancel(ctx)
	go r.sampleLag(sampleCtx)
	err = r.drive(ctx)
	if err == nil {
		err = r.settle(ctx)
	}
	stopSampling()
	r.sup.close(ctx)
	if err != nil {
		return err
	}
	return r.collect(ctx)
}

// setup creates the scenario's table (or, for a running consumer, checks
// the given one) and names the consumer in the oracle.
func (r *run) setup(ctx context.Context) error {
	if a := r.b.attached; a != nil {
		r.key, r.table = a.key, a.table
		return r.useTable(ctx)
	}
	r.table = fmt.Sprintf("%s-%s-%s", r.b.cfg.TablePrefix, r.sc.Name, strings.ToLower(r.b.runID))
	if err := r.b.adm.SetShardCount(ctx, r.table, r.w.Shards); err != nil {
		return fmt.Errorf("setting the shard count of %s: %w", r.table, err)
	}
	_, err := r.b.db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(r.table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(AttrKey), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(AttrKey), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true),
			StreamViewType: types.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		return fmt.Errorf("creating table %s: %w", r.table, err)
	}
	r.res.Table, r.res.Consumer = r.table, r.key
	if err := r.waitActive(ctx); err != nil {
		return err
	}
	if err := r.b.adm.NameConsumer(ctx, r.key, "certify:"+r.sc.Name+":"+r.b.runID); err != nil {
		r.note("naming the consumer in the oracle: %v", err)
	}
	return nil
}

// useTable checks the table of a running consumer and notes where the
// scenario starts in its ledger and in the consumer's counters.
func (r *run) useTable(ctx context.Context) error {
	r.res.Table, r.res.Consumer = r.table, r.key
	out, err := r.b.db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(r.table)})
	if err != nil {
		return fmt.Errorf("the running consumer's table %s: %w", r.table, err)
	}
	t := out.Table
	if len(t.KeySchema) != 1 || aws.ToString(t.LatestStreamArn) == "" {
		return fmt.Errorf("table %s must have a partition key only (no sort key) and a stream", r.table)
	}
	r.keyAttr = aws.ToString(t.KeySchema[0].AttributeName)
	for _, d := range t.AttributeDefinitions {
		if aws.ToString(d.AttributeName) == r.keyAttr && d.AttributeType != types.ScalarAttributeTypeS {
			return fmt.Errorf("table %s: its partition key %s must be a string (S)", r.table, r.keyAttr)
		}
	}
	r.arn = aws.ToString(t.LatestStreamArn)
	r.res.StreamARN = r.arn
	if r.cursor, err = r.ledgerEnd(ctx); err != nil {
		return err
	}
	cs, _, err := r.consumerStream(ctx)
	r.baseline = cs
	return err
}

// ledgerEnd returns the seq of the newest change of the table's ledger.
func (r *run) ledgerEnd(ctx context.Context) (uint64, error) {
	var after uint64
	for {
		p, err := r.b.adm.Changes(ctx, r.table, after, 1000)
		if err != nil {
			return 0, fmt.Errorf("reading the change ledger of %s: %w", r.table, err)
		}
		if !p.More || p.Next <= after {
			return p.Next, nil
		}
		after = p.Next
	}
}

// waitActive waits for the new table to be ACTIVE and reads its stream
// ARN.
func (r *run) waitActive(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for {
		out, err := r.b.db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(r.table)})
		if err != nil {
			return fmt.Errorf("describing table %s: %w", r.table, err)
		}
		if out.Table.TableStatus == types.TableStatusActive && aws.ToString(out.Table.LatestStreamArn) != "" {
			r.arn = aws.ToString(out.Table.LatestStreamArn)
			r.res.StreamARN = r.arn
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("table %s is still %s after a minute", r.table, out.Table.TableStatus)
		}
		if err := sleep(ctx, 20*time.Millisecond); err != nil {
			return err
		}
	}
}

// drive runs the workload, taking each step when its point is reached.
func (r *run) drive(ctx context.Context) error {
	ops := plan(r.w, r.res.Seed)
	wr := &writer{db: r.b.db, table: r.table, keyAttr: r.keyAttr, payload: r.w.PayloadBytes, rate: r.w.Rate, start: time.Now()}
	next := 0
	for done := 0; done <= len(ops); done++ {
		for next < len(r.sc.Steps) && r.sc.Steps[next].At == done {
			if err := r.step(ctx, r.sc.Steps[next]); err != nil {
				return fmt.Errorf("steps[%d] (%s at %d): %w", next, r.sc.Steps[next].Do, done, err)
			}
			next++
		}
		if done < len(ops) {
			if err := wr.apply(ctx, ops[done]); err != nil {
				return err
			}
			r.res.Writes++
			if r.b.attached != nil && r.fromSeq == nil {
				if err := r.markStart(ctx); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// settle waits until the consumer has caught up or the deadline passes.
func (r *run) settle(ctx context.Context) error {
	start := time.Now()
	ok, err := r.waitCaughtUp(ctx, r.catchUp)
	if err != nil {
		return err
	}
	r.res.CaughtUp = ok
	r.res.CatchUpSeconds = time.Since(start).Seconds()
	return nil
}

// note adds a note to the result.
func (r *run) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.res.Notes = append(r.res.Notes, fmt.Sprintf(format, args...))
}

// cleanup removes the scenario's rules and, unless kept, its table and
// the oracle's record of the consumer.
func (r *run) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, id := range r.rules {
		if err := r.b.adm.DeleteRule(ctx, id); err != nil && !client.IsNotFound(err) {
			r.b.log.Warn("removing a scenario's rule", "rule", id, "err", err)
		}
	}
	if r.b.cfg.Keep || r.b.attached != nil || r.table == "" {
		return
	}
	if _, err := r.b.db.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(r.table)}); err != nil {
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			r.b.log.Warn("deleting a scenario's table", "table", r.table, "err", err)
		}
	}
	_ = r.b.adm.NameConsumer(ctx, r.key, "")
	if err := r.b.adm.ForgetConsumer(ctx, r.key); err != nil && !client.IsNotFound(err) {
		r.b.log.Warn("forgetting a scenario's consumer", "consumer", r.key, "err", err)
	}
}
