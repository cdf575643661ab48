package expr

import "strconv"

// updateChecker binds an update and collects its semantic errors, first
// of each category, reported in DynamoDB's priority order.
type updateChecker struct {
	env *Env

	reserved, unknownFn, section, name, value string
	overlap, conflict, operand, function      string
}

func (c *updateChecker) result() error {
	for _, m := range []string{c.reserved, c.unknownFn, c.section, c.name, c.value,
		c.overlap, c.conflict, c.operand, c.function} {
		if m != "" {
			return kindErr(UpdateKind, m)
		}
	}
	return nil
}

// ParseUpdate parses, binds and checks an UpdateExpression.
func ParseUpdate(s string, env *Env) (*Update, error) {
	if err := checkSize(s, UpdateKind); err != nil {
		return nil, err
	}
	acts, dup, err := parseUpdateSyntax(s)
	if err != nil {
		return nil, err
	}
	c := &updateChecker{env: env}
	if dup != "" {
		c.section = `The "` + dup + `" section can only be used once in an update expression;`
	}
	paths := make([]Path, len(acts))
	for i := range acts {
		c.bindAction(&acts[i])
		paths[i] = acts[i].path
	}
	c.overlap, c.conflict = checkPaths(paths)
	if err := c.result(); err != nil {
		return nil, err
	}
	return &Update{actions: acts}, nil
}

func parseUpdateSyntax(s string) (acts []action, dup string, err error) {
	defer catch(&err)
	p := newParser(s, UpdateKind)
	acts, dup = p.parseUpdateExpr()
	return acts, dup, nil
}

func (c *updateChecker) bindAction(a *action) {
	a.path = bindNames(a.src, c.env, &c.reserved, &c.name)
	switch a.kind {
	case actSet:
		c.walk(a.val)
	case actAdd, actDelete:
		v := a.val.(*valueNode)
		c.bindValue(v)
		c.checkOperator(sectionNames[a.kind], v)
	}
}

func (c *updateChecker) walk(n node) {
	switch n := n.(type) {
	case *pathNode:
		n.path = bindNames(n.src, c.env, &c.reserved, &c.name)
	case *valueNode:
		c.bindValue(n)
	case *funcNode:
		for _, a := range n.args {
			c.walk(a)
			if f, ok := a.(*funcNode); ok && f.name == "list_append" {
				// list_append may not be an operand of a function,
				// itself included (DynamoDB Local 3.3.1).
				set(&c.function, msgMisused+f.name)
			}
		}
		c.checkFunction(n.name, n.args)
	case *arithNode:
		c.walk(n.l)
		c.walk(n.r)
		c.checkFunction(n.op, []node{n.l, n.r})
	}
}

func (c *updateChecker) bindValue(n *valueNode) {
	if c.value != "" {
		return
	}
	v, ok := c.env.value(n.ph)
	if !ok {
		c.value = msgUndefinedValue + n.ph
	}
	n.val = v
}

// typeWords are the type names ADD and DELETE errors use.
var typeWords = map[string]string{
	"S": "STRING", "N": "NUMBER", "B": "BINARY", "NULL": "NULL", "BOOL": "BOOLEAN", "L": "LIST", "M": "MAP",
}

// checkOperator allows sets for ADD and DELETE, and numbers for ADD.
func (c *updateChecker) checkOperator(op string, v *valueNode) {
	t := v.val.Type.String()
	word, bad := typeWords[t]
	if bad && !(op == "ADD" && t == "N") {
		set(&c.operand, "Incorrect operand type for operator or function; operator: "+op+", operand type: "+word)
	}
}

// updateFunctions maps SET functions and operators to their operand count.
var updateFunctions = map[string]int{"if_not_exists": 2, "list_append": 2, "+": 2, "-": 2}

func (c *updateChecker) checkFunction(name string, args []node) {
	want, ok := updateFunctions[name]
	if !ok {
		set(&c.unknownFn, msgBadFunction+name)
		return
	}
	if c.function != "" {
		return
	}
	if want != len(args) {
		c.function = msgOperandCount + name + ", number of operands: " + strconv.Itoa(len(args))
		return
	}
	switch name {
	case "if_not_exists":
		if _, isPath := args[0].(*pathNode); !isPath {
			c.function = msgNeedsPath + name
		}
	case "list_append":
		c.checkValueTypes(name, "L", args)
	default:
		c.checkValueTypes(name, "N", args)
	}
}

// checkValueTypes requires :value operands to be of type want.
func (c *updateChecker) checkValueTypes(name, want string, args []node) {
	for _, a := range args {
		if v, ok := a.(*valueNode); ok && v.val.Type.String() != "" && v.val.Type.String() != want {
			c.function = msgOperandType + name + ", operand type: " + v.val.Type.String()
			return
		}
	}
}
