// Package partiql parses the subset of PartiQL that DynamoDB accepts in
// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction:
//
//	SELECT <* | path, ...> FROM "table"[."index"] [WHERE <cond>] [ORDER BY key [ASC|DESC], ...]
//	INSERT INTO "table" VALUE {'attr': <value>, ...}
//	UPDATE "table" SET path = <value> | REMOVE path ... WHERE <cond> [RETURNING ...]
//	DELETE FROM "table" WHERE <cond> [RETURNING ALL OLD *]
//	EXISTS(SELECT ...)                       (ExecuteTransaction only)
//
// Parse returns a Statement whose expressions are an AST (Expr). Literal
// values and ? parameters are turned into attribute values by Value, which
// applies DynamoDB's rules for tuples (maps), lists and bags (sets).
//
// The package knows nothing about tables: deciding which conditions are key
// equalities, planning a query and evaluating conditions are the engine's
// business. Errors are *Error values holding DynamoDB's message texts;
// syntax errors carry the "Statement wasn't well formed, can't be
// processed: " prefix. Every PartiQL keyword (keywords.go) is reserved: a
// bare one names no attribute.
package partiql
