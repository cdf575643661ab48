// Package expr implements DynamoDB's expression languages: the lexer, parser,
// AST, evaluator and update planner for ConditionExpression, FilterExpression,
// KeyConditionExpression, ProjectionExpression and UpdateExpression, plus the
// legacy parameters (Expected, QueryFilter, ScanFilter, KeyConditions,
// AttributeUpdates) translated into the same ASTs.
//
// # Pipeline
//
// A request's ExpressionAttributeNames and ExpressionAttributeValues are
// wrapped in an [Env] first. Each Parse* function lexes its string (a
// hand-written rune lexer), parses it by precedence climbing with a depth
// limit, then binds placeholders and runs DynamoDB's semantic checks in the
// order DynamoDB reports them. The result is a bound AST: plain data that
// holds resolved names and values and prints back with String.
//
// Evaluation is a separate, pure pass: [EvalCondition] and [Project] never
// modify their input, and [Update.Apply] checks every action before it
// returns a new item, so a failing update changes nothing.
//
// # Errors
//
// Every error is an [*Error] whose Error() text is DynamoDB's full message,
// e.g. `Invalid ConditionExpression: Syntax error; token: "AND", near: "= AND"`.
// The engine turns it into a ValidationException verbatim.
//
// expr imports only package attr and the standard library.
package expr
