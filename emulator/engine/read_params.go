package engine

import (
	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
)

// Parameters shared by Query and Scan: the filter, the projection and
// Select, parsed before the table is looked up.

// readExprs is what the filter and projection parameters of a Query or
// Scan parse to.
type readExprs struct {
	env *expr.Env
	// filter is the FilterExpression, QueryFilter or ScanFilter (nil: none).
	filter expr.Cond
	// filterName is how key-attribute messages name the filter: "Filter
	// Expression", "QueryFilter" or "ScanFilter".
	filterName  string
	filterPaths []expr.Path
	// projPaths is the ProjectionExpression; names the AttributesToGet.
	projPaths []expr.Path
	names     []string
	hasProj   bool
}

// readParams are the raw filter and projection parameters of a request.
type readParams struct {
	filterExpr, projExpr *string
	legacyFilter         Conditions
	legacyFilterName     string
	conditionalOperator  *string
	attributesToGet      []string
	names                map[string]string
	values               map[string]attr.Value
}

// parseLegacyFilter converts QueryFilter or ScanFilter (when given).
func (r *readExprs) parseLegacyFilter(p readParams) error {
	if p.legacyFilter == nil {
		return nil
	}
	c, err := expr.FromConditions(p.legacyFilter.toExpr(), p.conditionalOperator, expr.FilterKind)
	if err != nil {
		return exprError(err)
	}
	r.filter, r.filterName = c, p.legacyFilterName
	r.filterPaths = expr.CondPaths(c)
	return nil
}

// newReadEnv builds the placeholder environment when any expression is
// given (nil otherwise: legacy requests have no placeholders).
func (r *readExprs) newReadEnv(p readParams, anyExpr bool) error {
	if !anyExpr {
		return nil
	}
	env, err := newEnv(p.names, p.values)
	r.env = env
	return err
}

// parseFilterExpr parses FilterExpression (when given).
func (r *readExprs) parseFilterExpr(p readParams) error {
	if p.filterExpr == nil {
		return nil
	}
	c, err := expr.ParseCondition(*p.filterExpr, expr.FilterKind, r.env)
	if err != nil {
		return exprError(err)
	}
	r.filter, r.filterName = c, "Filter Expression"
	r.filterPaths = expr.CondPaths(c)
	return nil
}

// parseProjection parses ProjectionExpression, or takes AttributesToGet.
func (r *readExprs) parseProjection(p readParams) error {
	if p.attributesToGet != nil {
		r.names, r.hasProj = p.attributesToGet, true
		return nil
	}
	if p.projExpr == nil {
		return nil
	}
	paths, err := expr.ParseProjection(*p.projExpr, r.env)
	if err != nil {
		return exprError(err)
	}
	r.projPaths, r.hasProj = paths, true
	return nil
}

// checkUnused reports placeholders no expression used.
func (r *readExprs) checkUnused() error {
	if r.env == nil {
		return nil
	}
	return exprError(r.env.CheckUnused())
}

// project shapes one returned item by the projection (whole item when
// there is none).
func (r *readExprs) project(it attr.Item) attr.Item {
	switch {
	case r.names != nil:
		return projectNames(it, r.names)
	case r.projPaths != nil:
		return expr.Project(it, r.projPaths)
	}
	return it // store items are immutable: no copy needed
}

// projectedNames lists the top-level attributes the projection and the
// filter read, for deciding whether an LSI read must fetch table items.
func (r *readExprs) projectedNames() []string {
	out := append([]string(nil), r.names...)
	for _, p := range r.projPaths {
		out = append(out, p[0].Name)
	}
	for _, p := range r.filterPaths {
		out = append(out, p[0].Name)
	}
	return out
}

// selectError applies DynamoDB's rules tying Select to the projection
// parameters (texts AWS-verified by moto's test_dynamodb_select.py).
// indexed says whether the request names an index.
func selectError(sel *string, projExpr bool, attrsToGet bool, indexed bool) string {
	if sel == nil {
		return ""
	}
	s := *sel
	if s == selectProjected && !indexed {
		return "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
	}
	if s == selectSpecific {
		if !projExpr && !attrsToGet {
			return "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"
		}
		return ""
	}
	what := s
	if s == selectCount {
		what = "only the Count"
	}
	if !isOneOf(sel, selectAll, selectProjected, selectCount) {
		return ""
	}
	switch {
	case attrsToGet:
		return "Cannot specify the AttributesToGet when choosing to get " + what
	case projExpr:
		return "Cannot specify the ProjectionExpression when choosing to get " + what
	}
	return ""
}

// resolveSelect returns the effective Select: the given one, or
// SPECIFIC_ATTRIBUTES with a projection, ALL_PROJECTED_ATTRIBUTES on an
// index and ALL_ATTRIBUTES on a table.
func resolveSelect(sel *string, hasProj, indexed bool) string {
	switch {
	case sel != nil:
		return *sel
	case hasProj:
		return selectSpecific
	case indexed:
		return selectProjected
	}
	return selectAll
}
