package engine

import (
	"context"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Validation texts are DynamoDB's as recorded in dynalite test/query.js
// and moto's AWS-verified test_dynamodb_select.py.

func TestQueryConstraintMessages(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	cases := []struct {
		name string
		in   *QueryInput
		msg  string
	}{
		{"no table", &QueryInput{}, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"all", &QueryInput{TableName: itemStr("abc;"), ReturnConsumedCapacity: itemStr("hi"), AttributesToGet: []string{},
			IndexName: itemStr("abc;"), Select: itemStr("hi"), Limit: qi32(-1),
			KeyConditions: Conditions{"a": {}},
			QueryFilter:   Conditions{"a": {}, "b": {ComparisonOperator: itemStr("")}}},
			"9 validation errors detected: " +
				"Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; " +
				"Value 'abc;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
				"Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
				"Value null at 'queryFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null; " +
				"Value '' at 'queryFilter.b.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]; " +
				"Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
				"Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
				"Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value null at 'keyConditions.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null"},
		// An unknown ConditionalOperator is reported alone, before everything
		// else (AWS in October 2026; dynalite's older captures joined it to
		// the others as "Value 'AN' at 'conditionalOperator' ... [OR, AND]").
		{"unknown conditional operator", &QueryInput{TableName: itemStr("abc;"), Select: itemStr("hi"),
			ConditionalOperator: itemStr("AN"), QueryFilter: Conditions{"a": {}}},
			"Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]"},
		{"specific without projection", pkEq(&QueryInput{TableName: itemStr("abc"), Select: itemStr("SPECIFIC_ATTRIBUTES")}),
			"1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"projected without index", pkEq(&QueryInput{TableName: itemStr("abc"), Select: itemStr("ALL_PROJECTED_ATTRIBUTES")}),
			"1 validation error detected: ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"count with projection", pkEq(&QueryInput{TableName: itemStr("abc"), Select: itemStr("COUNT"), ProjectionExpression: itemStr("a")}),
			"1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count"},
		{"all with attributes", &QueryInput{TableName: itemStr("abc"), Select: itemStr("ALL_ATTRIBUTES"), AttributesToGet: []string{"a"},
			KeyConditions: Conditions{"a": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("a")}}}},
			"1 validation error detected: Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES"},
		{"lowercase select", pkEq(&QueryInput{TableName: itemStr("abc"), Select: itemStr("count")}),
			"1 validation error detected: Value 'count' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.Query(context.Background(), c.in)
			wantValidation(t, err, c.msg)
		})
	}
}

func TestQueryRequestMessages(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	eq := func(v attr.Value) Condition {
		return Condition{ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{v}}
	}
	op := func(o string, vs ...attr.Value) Condition {
		return Condition{ComparisonOperator: itemStr(o), AttributeValueList: vs}
	}
	vals := func(kv ...any) ExpressionValues {
		out := ExpressionValues{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(attr.Value)
		}
		return out
	}
	cases := []struct {
		name string
		in   QueryInput
		msg  string
	}{
		{"mixing all", QueryInput{Select: itemStr("SPECIFIC_ATTRIBUTES"), AttributesToGet: []string{"a", "a"},
			QueryFilter: Conditions{"a": eq(itemS("a"))}, ConditionalOperator: itemStr("OR"), KeyConditions: Conditions{"a": eq(itemS("a"))},
			ProjectionExpression: itemStr(""), FilterExpression: itemStr(""), KeyConditionExpression: itemStr(""),
			ExpressionAttributeNames: map[string]string{}, ExpressionAttributeValues: ExpressionValues{}},
			"Can not use both expression and non-expression parameters in the same request: " +
				"Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator, KeyConditions} " +
				"Expression parameters: {ProjectionExpression, FilterExpression, KeyConditionExpression}"},
		{"mixing without KeyConditionExpression", QueryInput{Select: itemStr("SPECIFIC_ATTRIBUTES"), AttributesToGet: []string{"a", "a"},
			QueryFilter: Conditions{"a": eq(itemS("a"))}, ConditionalOperator: itemStr("OR"), KeyConditions: Conditions{"a": eq(itemS("a"))},
			ProjectionExpression: itemStr(""), FilterExpression: itemStr(""),
			ExpressionAttributeNames: map[string]string{}, ExpressionAttributeValues: ExpressionValues{}},
			"Can not use both expression and non-expression parameters in the same request: " +
				"Non-expression parameters: {AttributesToGet, QueryFilter, ConditionalOperator} " +
				"Expression parameters: {ProjectionExpression, FilterExpression}"},
		{"names without expressions", QueryInput{QueryFilter: Conditions{"a": eq(itemS("a"))},
			ExpressionAttributeNames: map[string]string{}, ExpressionAttributeValues: ExpressionValues{}},
			"ExpressionAttributeNames can only be specified when using expressions"},
		{"values without expressions", QueryInput{QueryFilter: Conditions{"a": eq(itemS("a"))}, ExpressionAttributeValues: ExpressionValues{}},
			"ExpressionAttributeValues can only be specified when using expressions: FilterExpression and KeyConditionExpression are null"},
		{"filter operand count", QueryInput{QueryFilter: Conditions{"a": op("EQ")}, AttributesToGet: []string{"a", "a"}},
			"One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"duplicate attributes", QueryInput{QueryFilter: Conditions{}, AttributesToGet: []string{"a", "a"}},
			"One or more parameter values were invalid: Duplicate value in attribute name: a"},
		{"no key condition", QueryInput{}, "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."},
		{"KeyConditions operand type", QueryInput{KeyConditions: Conditions{"a": op("LT", attr.Value{Type: attr.BOOL, Bool: true})}},
			"One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type"},
		{"KeyConditions BETWEEN order", QueryInput{KeyConditions: Conditions{"a": op("BETWEEN", itemS("b"), itemS("a"))}},
			"The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"},
		{"empty names", QueryInput{KeyConditionExpression: itemStr(""), ExpressionAttributeNames: map[string]string{}, ExpressionAttributeValues: ExpressionValues{}},
			"ExpressionAttributeNames must not be empty"},
		{"empty key expression", QueryInput{KeyConditionExpression: itemStr(""), FilterExpression: itemStr(""), ProjectionExpression: itemStr(""),
			ExpressionAttributeValues: vals(":0", itemS("b"))}, "Invalid KeyConditionExpression: The expression can not be empty;"},
		{"empty filter", QueryInput{KeyConditionExpression: itemStr("attribute_type(a, :a)"), FilterExpression: itemStr(""),
			ProjectionExpression: itemStr(""), ExpressionAttributeValues: vals(":a", itemS("N"))}, "Invalid FilterExpression: The expression can not be empty;"},
		{"empty projection", QueryInput{KeyConditionExpression: itemStr("attribute_type(a, :a)"), FilterExpression: itemStr("a > b"),
			ProjectionExpression: itemStr(""), ExpressionAttributeValues: vals(":a", itemS("N"))}, "Invalid ProjectionExpression: The expression can not be empty;"},
		{"invalid function", QueryInput{KeyConditionExpression: itemStr("attribute_type(a, :a)"), ExpressionAttributeValues: vals(":a", itemS("S"))},
			"Invalid operator used in KeyConditionExpression: attribute_type"},
		{"OR", QueryInput{KeyConditionExpression: itemStr("a > b and size(b) > c or a > c")}, "Invalid operator used in KeyConditionExpression: OR"},
		{"NOT", QueryInput{KeyConditionExpression: itemStr("not a > b")}, "Invalid operator used in KeyConditionExpression: NOT"},
		{"<>", QueryInput{KeyConditionExpression: itemStr("a <> b")}, "Invalid operator used in KeyConditionExpression: <>"},
		{"BETWEEN first operand", QueryInput{KeyConditionExpression: itemStr(":a between size(b) and size(a) and b > :b"),
			ExpressionAttributeValues: vals(":a", itemS("1"), ":b", itemS("1"))},
			"Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"},
		{"nested operation", QueryInput{KeyConditionExpression: itemStr("a > size(b.d)")}, "KeyConditionExpressions cannot contain nested operations"},
		{"multiple names", QueryInput{KeyConditionExpression: itemStr("begins_with(a, b)")},
			"Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"nested attribute", QueryInput{KeyConditionExpression: itemStr("a.d > c")}, "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"no key attribute", QueryInput{KeyConditionExpression: itemStr(":b > :a AND a < :b"), ExpressionAttributeValues: vals(":a", itemN("1"), ":b", itemN("1"))},
			"Invalid condition in KeyConditionExpression: No key attribute specified"},
		{"one condition per key", QueryInput{KeyConditionExpression: itemStr("b > :a AND b < :a and c = :a and d = :a"), ExpressionAttributeValues: vals(":a", itemN("1"))},
			"KeyConditionExpressions must only contain one condition per key"},
		{"BETWEEN types", QueryInput{KeyConditionExpression: itemStr("a between :b and :a"), ExpressionAttributeValues: vals(":a", itemS("a"), ":b", itemN("1"))},
			"Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; " +
				"lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"},
		{"unused value", QueryInput{KeyConditionExpression: itemStr("a = :a"), ExpressionAttributeValues: vals(":a", itemS("a"), ":b", itemS("b"))},
			"Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.TableName = itemStr("abc")
			_, err := e.Query(context.Background(), &in)
			wantValidation(t, err, c.msg)
		})
	}
	// Key checks that need the schema come after the table lookup, among
	// them the number of conditions (a multi-attribute key takes more).
	for _, in := range []QueryInput{
		{KeyConditions: Conditions{}, QueryFilter: Conditions{}},
		{KeyConditions: Conditions{"a": op("NULL"), "b": op("NULL"), "c": op("NULL")}},
		{KeyConditionExpression: itemStr(":a = a and b = :a and :a = c"), ExpressionAttributeValues: vals(":a", itemS("a"))},
		{KeyConditions: Conditions{"z": op("NULL")}, QueryFilter: Conditions{}, ExclusiveStartKey: StartKey{"b": itemS("a")}},
		{KeyConditionExpression: itemStr("z = :a"), ExpressionAttributeValues: vals(":a", itemN("1"))},
		{KeyConditionExpression: itemStr("b between :a and :b"), ExpressionAttributeValues: vals(":a", itemN("1"), ":b", itemN("1"))},
	} {
		in.TableName = itemStr("abc")
		_, err := e.Query(context.Background(), &in)
		wantItemErr(t, err, ResourceNotFound, "Requested resource not found")
	}
}

func TestQueryKeySchemaMessages(t *testing.T) {
	t.Parallel()
	const tbl = "qkeys"
	e := newItemEngine(t, readDef(tbl))
	hashTbl := "qhash"
	if _, err := e.CreateTable(context.Background(), createInputOf(itemHashDef(hashTbl))); err != nil {
		t.Fatal(err)
	}
	op := func(o string, vs ...attr.Value) Condition {
		return Condition{ComparisonOperator: itemStr(o), AttributeValueList: vs}
	}
	s := itemS("p")
	cases := []struct {
		name, table string
		in          QueryInput
		msg         string
	}{
		{"no index", tbl, QueryInput{IndexName: itemStr("whatever"), KeyConditions: Conditions{"z": op("NULL")}},
			"The table does not have the specified index: whatever"},
		{"consistent GSI", tbl, QueryInput{IndexName: itemStr("gkeys"), ConsistentRead: itemBool(true), KeyConditions: Conditions{"z": op("NULL")}},
			"Consistent reads are not supported on global secondary indexes"},
		{"missed hash", tbl, QueryInput{KeyConditions: Conditions{"z": op("NULL")}}, msgMissedKey + "pk"},
		{"missed hash expr", tbl, QueryInput{KeyConditionExpression: itemStr("z between :a and :b"),
			ExpressionAttributeValues: ExpressionValues{":a": itemN("1"), ":b": itemN("1")}}, msgMissedKey + "pk"},
		{"missed index hash", tbl, QueryInput{IndexName: itemStr("gkeys"), KeyConditions: Conditions{"z": op("NULL")}}, msgMissedKey + "g"},
		{"missed range", tbl, QueryInput{KeyConditions: Conditions{"pk": op("EQ", s), "c": op("NULL")}}, msgMissedKey + "sk"},
		{"not indexable", hashTbl, QueryInput{KeyConditions: Conditions{"pk": op("NE", s)}}, msgNotIndexable},
		{"not indexable range", tbl, QueryInput{KeyConditions: Conditions{"pk": op("EQ", s), "sk": op("NOT_NULL")}}, msgNotIndexable},
		{"hash LT", hashTbl, QueryInput{KeyConditions: Conditions{"pk": op("LT", s)}}, msgKeyCondNotSupp},
		{"hash-only two conditions", hashTbl, QueryInput{KeyConditions: Conditions{"pk": op("EQ", s), "b": op("EQ", s)}}, msgKeyCondNotSupp},
		{"hash-only two conditions expr", hashTbl, QueryInput{KeyConditionExpression: itemStr("y = :a and z = :a"),
			ExpressionAttributeValues: ExpressionValues{":a": s}}, msgKeyCondNotSupp},
		{"hash begins_with expr", hashTbl, QueryInput{KeyConditionExpression: itemStr("begins_with(pk, :a)"),
			ExpressionAttributeValues: ExpressionValues{":a": s}}, msgKeyCondNotSupp},
		{"hash > before missed range", tbl, QueryInput{KeyConditionExpression: itemStr("pk > :a and z = :a"),
			ExpressionAttributeValues: ExpressionValues{":a": s}}, msgKeyCondNotSupp},
		{"type before operator", hashTbl, QueryInput{KeyConditionExpression: itemStr(":a > pk"),
			ExpressionAttributeValues: ExpressionValues{":a": itemN("1")}}, msgCondTypeMismach},
		{"range type", tbl, QueryInput{KeyConditionExpression: itemStr("pk = :a and sk > :a"),
			ExpressionAttributeValues: ExpressionValues{":a": s}}, msgCondTypeMismach},
		{"begins_with on N", tbl, QueryInput{KeyConditionExpression: itemStr("pk = :a and begins_with(sk, :n)"),
			ExpressionAttributeValues: ExpressionValues{":a": s, ":n": itemN("1")}}, "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"filter on hash", tbl, QueryInput{KeyConditions: Conditions{"pk": op("EQ", s)}, QueryFilter: Conditions{"pk": op("EQ", s)}},
			"QueryFilter can only contain non-primary key attributes: Primary key attribute: pk"},
		{"filter expression on range", tbl, QueryInput{KeyConditionExpression: itemStr("pk = :a"), FilterExpression: itemStr("sk[1] = :b"),
			ExpressionAttributeValues: ExpressionValues{":a": s, ":b": itemN("1")}},
			"Filter Expression can only contain non-primary key attributes: Primary key attribute: sk"},
		{"filter on index range", tbl, QueryInput{IndexName: itemStr("gall"), KeyConditionExpression: itemStr("g = :a"), FilterExpression: itemStr("sk = :b"),
			ExpressionAttributeValues: ExpressionValues{":a": s, ":b": itemN("1")}}, ""},
		{"filter nested index key", tbl, QueryInput{KeyConditionExpression: itemStr("pk = :a"), FilterExpression: itemStr("attribute_exists(g.c)"),
			ExpressionAttributeValues: ExpressionValues{":a": s}},
			"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g"},
		{"select all on GSI", tbl, QueryInput{IndexName: itemStr("gkeys"), Select: itemStr("ALL_ATTRIBUTES"), KeyConditionExpression: itemStr("g = :a"),
			FilterExpression: itemStr("pk = :a and pk.b = :a"), ExpressionAttributeValues: ExpressionValues{":a": s}},
			"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gkeys because its projection type is not ALL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.TableName = itemStr(c.table)
			_, err := e.Query(context.Background(), &in)
			if c.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantValidation(t, err, c.msg)
		})
	}
}

func TestQueryStartKeyMessages(t *testing.T) {
	t.Parallel()
	const tbl = "qstart"
	e := newItemEngine(t, readDef(tbl))
	s, n := itemS("p"), itemN("1")
	hashEq := func(in QueryInput) QueryInput {
		in.KeyConditionExpression = itemStr("pk = :a")
		in.ExpressionAttributeValues = ExpressionValues{":a": s}
		return in
	}
	cases := []struct {
		name string
		in   QueryInput
		msg  string
	}{
		{"too few", hashEq(QueryInput{ExclusiveStartKey: StartKey{"pk": s}}), msgStartKeyInvalid},
		{"too many", hashEq(QueryInput{ExclusiveStartKey: StartKey{"pk": s, "sk": n, "z": n}}), msgStartKeyInvalid},
		{"wrong attribute", hashEq(QueryInput{ExclusiveStartKey: StartKey{"z": s, "sk": n}}), msgStartKeyInvalid},
		{"hash type", hashEq(QueryInput{ExclusiveStartKey: StartKey{"pk": n, "sk": n}}), msgKeySchema},
		{"range type", hashEq(QueryInput{ExclusiveStartKey: StartKey{"pk": s, "sk": s}}), msgKeySchema},
		{"missed before start key table part", QueryInput{KeyConditions: Conditions{"z": {ComparisonOperator: itemStr("NULL")}},
			ExclusiveStartKey: StartKey{"pk": s, "z": n}}, msgMissedKey + "pk"},
		{"index table part", hashEq(QueryInput{IndexName: itemStr("lkeys"), ExclusiveStartKey: StartKey{"pk": s, "sk": s, "l": s}}),
			msgStartKeyInvalid + ": " + msgKeySchema},
		{"index table part missing", hashEq(QueryInput{IndexName: itemStr("lkeys"), ExclusiveStartKey: StartKey{"pk": s, "z": s, "l": s}}),
			msgStartKeyInvalid + ": " + msgKeySchema},
		{"outside", hashEq(QueryInput{ExclusiveStartKey: StartKey{"pk": itemS("q"), "sk": n}}),
			"The provided starting key is outside query boundaries based on provided conditions"},
		{"range predicate", QueryInput{KeyConditionExpression: itemStr("pk = :a and sk > :n"),
			ExpressionAttributeValues: ExpressionValues{":a": s, ":n": itemN("5")}, ExclusiveStartKey: StartKey{"pk": s, "sk": n}},
			"The provided starting key does not match the range key predicate"},
		{"one row", QueryInput{KeyConditionExpression: itemStr("pk = :a and sk < :n"),
			ExpressionAttributeValues: ExpressionValues{":a": s, ":n": itemN("5")}, ExclusiveStartKey: StartKey{"pk": itemS("q"), "sk": n}},
			"The query can return at most one row and cannot be restarted"},
		{"whole key", QueryInput{KeyConditionExpression: itemStr("pk = :a and sk = :n"),
			ExpressionAttributeValues: ExpressionValues{":a": s, ":n": n}, ExclusiveStartKey: StartKey{"pk": s, "sk": n}},
			"The query can return at most one row and cannot be restarted"},
		{"empty key value", hashEq(QueryInput{ExclusiveStartKey: StartKey{"pk": itemS(""), "sk": n}}),
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.TableName = itemStr(tbl)
			_, err := e.Query(context.Background(), &in)
			wantValidation(t, err, c.msg)
		})
	}
}

func TestStartKeyDecodeMessages(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`{"a":{}}`:                "The provided starting key is invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
		`{"a":{"S":"a","N":"1"}}`: "The provided starting key is invalid: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
		`{"a":{"SS":[]}}`:         "The provided starting key is invalid: One or more parameter values were invalid: An string set  may not be empty",
		`{"a":{"NS":[]}}`:         "One or more parameter values were invalid: An number set  may not be empty",
		`{"a":{"N":"b"}}`:         "The parameter cannot be converted to a numeric value: b",
		`{"a":{"N":"1e126"}}`:     "Number overflow. Attempting to store a number with magnitude larger than supported range",
	}
	for in, want := range cases {
		var k StartKey
		err := k.UnmarshalJSON([]byte(in))
		wantValidation(t, AsError(err), want)
	}
	var k StartKey
	if err := k.UnmarshalJSON([]byte(`{"a":{"S":"x"}}`)); err != nil || k["a"].S != "x" {
		t.Fatalf("decode = %v, %v", k, err)
	}
}
