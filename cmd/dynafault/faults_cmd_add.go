package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/dynafault/dynafault/faults"
)

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for p := range strings.SplitSeq(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// keyFlag collects repeatable name=value key predicates.
type keyFlag struct {
	preds  map[string]faults.KeyPredicate
	prefix bool // --key-prefix (else --key-equals)
}

func (k *keyFlag) String() string { return "" }

func (k *keyFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return errors.New("want NAME=VALUE, e.g. pk=ORDER#")
	}
	p := k.preds[name]
	if k.prefix {
		p.Prefix = &value
	} else {
		p.Equals = &value
	}
	k.preds[name] = p
	return nil
}

// durationFlag is a faults.Duration flag: "10m" or "PT10M".
type durationFlag struct{ d *faults.Duration }

func (f durationFlag) String() string {
	if f.d == nil || *f.d == 0 {
		return ""
	}
	return f.d.String()
}

func (f durationFlag) Set(v string) error {
	d, err := faults.ParseDuration(v)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

// ruleFlags are the flags of "faults add" that build one rule.
type ruleFlags struct {
	rule              faults.Rule
	target            string
	thenType, thenMsg string
	thenCode          string
	disabled          bool
	keys              map[string]faults.KeyPredicate
}

// register defines the rule flags on fs.
func (r *ruleFlags) register(fs *flag.FlagSet) {
	ru, a := &r.rule, &r.rule.Action
	r.keys = map[string]faults.KeyPredicate{}
	fs.StringVar(&ru.ID, "id", "", "rule id (default: generated, rule-N)")
	fs.StringVar(&ru.Description, "description", "", "free text shown in listings")
	fs.StringVar(&r.target, "target", "", "stream, api or delivery (default: from --action; duplicate is stream's and latency api's unless given)")
	fs.StringVar(&ru.Match.Table, "table", "", "table name or glob (default: any)")
	fs.Var((*listFlag)(&ru.Match.Operation), "operation", "api rules: operations, e.g. PutItem,GetRecords (repeatable)")
	fs.Var((*listFlag)(&ru.Match.EventName), "event", "stream rules: INSERT, MODIFY, REMOVE (repeatable)")
	fs.Var(&keyFlag{preds: r.keys, prefix: true}, "key-prefix", "key attribute NAME=PREFIX, e.g. pk=ORDER# (repeatable)")
	fs.Var(&keyFlag{preds: r.keys}, "key-equals", "key attribute NAME=VALUE (repeatable)")
	fs.StringVar(&ru.Match.AccessKeyID, "access-key-id", "", "api rules: the caller's access key id")
	fs.StringVar(&ru.Match.Mapping, "mapping", "", "delivery rules: the event source mapping's UUID")
	fs.StringVar(&ru.Match.Function, "function", "", "delivery rules: the registered function name")
	fs.StringVar(&a.Type, "action", "", "drop, delay, duplicate, reorder (stream); error, latency, commitThenFail, partialBatch, emptyRecords (api); functionError, timeout, throttle, duplicate, latency (delivery)")
	fs.StringVar(&a.ErrorType, "error-type", "", "functionError: the errorType the poller sees (default Error)")
	fs.StringVar(&a.Code, "code", "", "error: the error code, e.g. ProvisionedThroughputExceededException")
	fs.StringVar(&a.Message, "message", "", "error: message instead of the catalogue's")
	fs.IntVar(&a.HTTPStatus, "http-status", 0, "error: HTTP status instead of the catalogue's")
	fs.Var(durationFlag{&a.Latency}, "latency", "latency: how long to wait, e.g. 200ms")
	fs.Var(durationFlag{&a.Jitter}, "jitter", "latency: up to this much more, drawn from the rule's seeded generator")
	fs.Var(durationFlag{&a.For}, "for", "delay: clock time until the record is visible, e.g. 10m")
	fs.BoolVar(&a.HoldShard, "hold-shard", false, "delay: hold every later record of the shard too")
	fs.StringVar(&r.thenType, "then", "", "commitThenFail: error (default) or drop (close the connection)")
	fs.StringVar(&r.thenCode, "then-code", "", "commitThenFail: the error code (default InternalServerError)")
	fs.StringVar(&r.thenMsg, "then-message", "", "commitThenFail: the error message")
	fs.IntVar(&a.Count, "count", 0, "partialBatch: leave the first N matching items unprocessed")
	fs.Float64Var(&a.Fraction, "fraction", 0, "partialBatch: leave each matching item unprocessed with this probability")
	fs.IntVar(&ru.When.Times, "times", 0, "fire at most N times (default: unlimited)")
	fs.IntVar(&ru.When.Skip, "skip", 0, "let the first K matches pass")
	fs.IntVar(&ru.When.EveryNth, "every-nth", 0, "fire on every Nth match")
	fs.Float64Var(&ru.When.Probability, "probability", 0, "fire with this probability, in (0, 1]")
	fs.Var(durationFlag{&ru.TTL}, "ttl", "remove the rule after this much wall time, e.g. 10m")
	fs.BoolVar(&r.disabled, "disabled", false, "add the rule disabled")
}

// streamActions are the action types of stream rules.
var streamActions = []string{faults.ActionDrop, faults.ActionDelay, faults.ActionDuplicate, faults.ActionReorder} //nolint:gochecknoglobals // constant

// build returns the rule the flags describe.
func (r *ruleFlags) build() faults.Rule {
	rule := r.rule
	rule.Target = faults.Target(r.target)
	if r.target == "" && rule.Action.Type != "" {
		switch {
		case slices.Contains(streamActions, rule.Action.Type):
			rule.Target = faults.TargetStream
		case slices.Contains(deliveryActions, rule.Action.Type):
			rule.Target = faults.TargetDelivery
		default:
			rule.Target = faults.TargetAPI
		}
	}
	if len(r.keys) > 0 {
		rule.Match.Key = r.keys
	}
	if r.thenType != "" || r.thenCode != "" || r.thenMsg != "" {
		t := r.thenType
		if t == "" {
			t = faults.ThenError
		}
		rule.Action.Then = &faults.Then{Type: t, Code: r.thenCode, Message: r.thenMsg}
	}
	if r.disabled {
		off := false
		rule.Enabled = &off
	}
	return rule
}

// deliveryActions are the action types only delivery rules have.
var deliveryActions = []string{faults.ActionFunctionError, faults.ActionTimeout, faults.ActionThrottle} //nolint:gochecknoglobals // constant

// apiActions are the action types of api rules.
var apiActions = []string{faults.ActionError, faults.ActionLatency, faults.ActionCommitThenFail, //nolint:gochecknoglobals // constant
	faults.ActionPartialBatch, faults.ActionEmptyRecords}

// checkAction fails when --action is missing, or unknown while --target
// is not given (the target would be guessed from it).
func (r *ruleFlags) checkAction() error {
	a := r.rule.Action.Type
	switch {
	case a == "":
		return errors.New("--action is required (" + actionList() + ")")
	case r.target == "" && !slices.Contains(streamActions, a) && !slices.Contains(apiActions, a) &&
		!slices.Contains(deliveryActions, a):
		return fmt.Errorf("--action %q is not an action (%s)", a, actionList())
	}
	return nil
}

// actionList names the action types by target.
func actionList() string {
	return "stream: " + strings.Join(streamActions, ", ") + "; api: " + strings.Join(apiActions, ", ") +
		"; delivery: " + strings.Join(deliveryActions, ", ") + ", and with --target delivery: duplicate, latency"
}

// faultsAdd runs "dynafault faults add".
func faultsAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("faults add", getenv, stderr, false)
	var rawJSON, file string
	var out bool
	fs.StringVar(&rawJSON, "json", "", `the rule (or an array of rules) as JSON, e.g. '{"target":"stream","action":{"type":"drop"}}'`)
	fs.StringVar(&file, "file", "", "read the rule (or an array of rules) from this JSON file")
	fs.BoolVar(&out, "print-json", false, "print the stored rules as JSON instead of a table")
	var rf ruleFlags
	rf.register(fs)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	rules, err := rulesToAdd(fs, &rf, rawJSON, file)
	if err != nil {
		return err
	}
	added, err := a.client().AddRules(ctx, rules...)
	if err != nil {
		return err
	}
	if out {
		return printJSON(stdout, added)
	}
	st := make([]faults.RuleStatus, len(added))
	for i, r := range added {
		st[i] = faults.RuleStatus{Rule: r}
	}
	return printRules(stdout, st, false)
}

// rulesToAdd returns the rules of --json, --file or the rule flags
// (exactly one of them), checked as the server would check them.
func rulesToAdd(fs *flag.FlagSet, rf *ruleFlags, rawJSON, file string) ([]faults.Rule, error) {
	sources, ruleFlagsSet := 0, false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "json", "file":
			sources++
		case "endpoint", "admin-token", "print-json":
		default:
			ruleFlagsSet = true
		}
	})
	if ruleFlagsSet {
		sources++
	}
	if sources != 1 {
		return nil, errors.New("give the rule with exactly one of --json, --file or the rule flags (--action ...)")
	}
	data := []byte(rawJSON)
	switch {
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		data = b
	case ruleFlagsSet:
		if err := rf.checkAction(); err != nil {
			return nil, err
		}
		rule := rf.build()
		if err := rule.Validate(); err != nil {
			return nil, fmt.Errorf("rule: %w", flagNames(err))
		}
		return []faults.Rule{rule}, nil
	}
	rules, err := faults.ParseRules(data)
	if err != nil {
		return nil, fmt.Errorf("rule: %w", err)
	}
	return rules, nil
}

// fieldFlags maps the JSON field paths of a rule to the flags that set
// them, longest prefix first where they nest.
var fieldFlags = []struct{ field, flag string }{ //nolint:gochecknoglobals // constant table
	{"match.table", "--table"}, {"match.operation", "--operation"}, {"match.eventName", "--event"},
	{"match.key", "--key-prefix/--key-equals"}, {"match.accessKeyId", "--access-key-id"},
	{"action.type", "--action"}, {"action.code", "--code"}, {"action.message", "--message"},
	{"action.httpStatus", "--http-status"}, {"action.latency", "--latency"}, {"action.jitter", "--jitter"},
	{"action.for", "--for"}, {"action.holdShard", "--hold-shard"}, {"action.then", "--then"},
	{"action.count", "--count"}, {"action.fraction", "--fraction"},
	{"when.times", "--times"}, {"when.skip", "--skip"}, {"when.everyNth", "--every-nth"},
	{"when.probability", "--probability"}, {"description", "--description"},
	{"target", "--target"}, {"ttl", "--ttl"}, {"id", "--id"},
}

// flagNames rewrites a *faults.FieldError of a rule built from flags so it
// names the flag, e.g. "--times (when.times): must be ...".
func flagNames(err error) error {
	var fe *faults.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	for _, ff := range fieldFlags {
		if fe.Field == ff.field || strings.HasPrefix(fe.Field, ff.field+".") || strings.HasPrefix(fe.Field, ff.field+"[") {
			return fmt.Errorf("%s (%s): %s", ff.flag, fe.Field, fe.Msg)
		}
	}
	return err
}
