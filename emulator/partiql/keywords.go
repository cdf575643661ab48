package partiql

import "strings"

// keywords are the words DynamoDB's PartiQL parser reserves: SQL-92's and
// PartiQL's (the keyword sets of the PartiQL reference implementation,
// partiql-lang-kotlin's lexer; the PartiQL reserved words of the DynamoDB
// and QLDB developer guides). A bare keyword cannot name an attribute; a
// double-quoted one can ("user").
var keywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
		absolute action add all allocate alter and any are as asc assertion at authorization avg
		begin between bit bit_length by cascade cascaded case cast catalog char character
		character_length char_length check close coalesce collate collation column commit connect
		connection constraint constraints continue convert corresponding count create cross current
		current_date current_time current_timestamp current_user cursor date deallocate dec decimal
		declare default deferrable deferred delete desc describe descriptor diagnostics disconnect
		distinct domain double drop else end escape except exception exec execute exists external
		extract date_add date_diff false fetch first float for foreign found from full get global go
		goto grant group having identity immediate in indicator initially inner input insensitive
		insert int integer intersect interval into is isolation join key language last left level
		like local lower match max min module names national natural nchar next no not null nullif
		numeric octet_length of on only open option or order outer output overlaps pad partial
		position precision prepare preserve primary prior privileges procedure public read real
		references relative restrict revoke right rollback rows schema scroll section select session
		session_user set size smallint some space sql sqlcode sqlerror sqlstate substring sum
		system_user table temporary then time timestamp to transaction translate translation trim
		true union unique unknown update upper usage user using value values varchar varying view
		when whenever where with work write zone
		can_cast can_lossless_cast missing pivot unpivot limit offset tuple remove index let
		integer2 int2 integer4 int4 integer8 int8 bigint conflict do nothing returning modified new
		old bool boolean string symbol clob blob struct list sexp bag`) {
		m[w] = true
	}
	return m
}()

// functionKeywords are keywords that name a function when "(" follows.
var functionKeywords = map[string]bool{
	"exists": true, "count": true, "avg": true, "max": true, "min": true, "sum": true,
	"substring": true, "char_length": true, "character_length": true, "octet_length": true,
	"bit_length": true, "upper": true, "lower": true, "size": true, "sexp": true, "list": true, "bag": true,
}

// isKeyword reports whether the bare word w is a keyword.
func isKeyword(w string) bool { return keywords[strings.ToLower(w)] }
