/*
 * test_template.c - the template engine, as a table of
 * {template, data, flags, expected output or expected error}.
 *
 * The "spec:" rows are cases of the Mustache specification
 * (github.com/mustache/spec, specs/{interpolation,sections,inverted,
 * comments}.yml) restated as data; the rest cover our own choices
 * (truthiness of 0 and "", escaping of ', limits, errors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "template.h"

struct tcase {
	const char *name;
	const char *tmpl;
	const char *data;     /* JSON text, any value; NULL = no data */
	unsigned int flags;
	int rc;
	const char *expect;   /* rc == 0: the exact output; else a substring of the error */
};

#define RAW CL_TEMPLATE_RAW

static const struct tcase cases[] = {
	/* ---- spec: interpolation ---- */
	{ "spec: no interpolation", "Hello from {Mustache}!\n", "{}", 0, 0,
	  "Hello from {Mustache}!\n" },
	{ "spec: basic interpolation", "Hello, {{subject}}!\n", "{\"subject\":\"world\"}", 0, 0,
	  "Hello, world!\n" },
	{ "spec: HTML escaping", "These characters should be HTML escaped: {{forbidden}}\n",
	  "{\"forbidden\":\"& \\\" < >\"}", 0, 0,
	  "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n" },
	{ "spec: triple mustache", "These characters should not be HTML escaped: {{{forbidden}}}\n",
	  "{\"forbidden\":\"& \\\" < >\"}", 0, 0,
	  "These characters should not be HTML escaped: & \" < >\n" },
	{ "spec: ampersand", "These characters should not be HTML escaped: {{&forbidden}}\n",
	  "{\"forbidden\":\"& \\\" < >\"}", 0, 0,
	  "These characters should not be HTML escaped: & \" < >\n" },
	{ "spec: basic integer", "\"{{mph}} miles an hour!\"", "{\"mph\":85}", 0, 0,
	  "\"85 miles an hour!\"" },
	{ "spec: basic decimal", "\"{{power}} jiggawatts!\"", "{\"power\":1.210}", 0, 0,
	  "\"1.21 jiggawatts!\"" },
	{ "spec: basic null", "I ({{cannot}}) be seen!", "{\"cannot\":null}", 0, 0,
	  "I () be seen!" },
	{ "spec: context miss", "I ({{cannot}}) be seen!", "{}", 0, 0, "I () be seen!" },
	{ "spec: dotted basic", "\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
	  "{\"person\":{\"name\":\"Joe\"}}", 0, 0, "\"Joe\" == \"Joe\"" },
	{ "spec: dotted arbitrary depth", "\"{{a.b.c.d.e.name}}\" == \"Phil\"",
	  "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Phil\"}}}}}}", 0, 0,
	  "\"Phil\" == \"Phil\"" },
	{ "spec: dotted broken chains", "\"{{a.b.c}}\" == \"\"", "{\"a\":{}}", 0, 0,
	  "\"\" == \"\"" },
	{ "spec: dotted broken chain resolution", "\"{{a.b.c.name}}\" == \"\"",
	  "{\"a\":{\"b\":{}},\"c\":{\"name\":\"Jim\"}}", 0, 0, "\"\" == \"\"" },
	{ "spec: dotted initial resolution", "\"{{#a}}{{b.c.d.e.name}}{{/a}}\" == \"Phil\"",
	  "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Phil\"}}}}},"
	  "\"b\":{\"c\":{\"d\":{\"e\":{\"name\":\"Wrong\"}}}}}", 0, 0, "\"Phil\" == \"Phil\"" },
	{ "spec: dotted context precedence", "{{#a}}{{b.c}}{{/a}}",
	  "{\"a\":{\"b\":{}},\"b\":{\"c\":\"ERROR\"}}", 0, 0, "" },
	{ "spec: implicit iterator interpolation", "Hello, {{.}}!\n", "\"world\"", 0, 0,
	  "Hello, world!\n" },
	{ "spec: surrounding whitespace", "| {{string}} |", "{\"string\":\"---\"}", 0, 0,
	  "| --- |" },
	{ "spec: standalone interpolation keeps its line", "  {{string}}\n",
	  "{\"string\":\"---\"}", 0, 0, "  ---\n" },
	{ "spec: interpolation with padding", "|{{ string }}|", "{\"string\":\"---\"}", 0, 0,
	  "|---|" },
	{ "spec: triple mustache with padding", "|{{{ string }}}|", "{\"string\":\"---\"}", 0, 0,
	  "|---|" },
	{ "spec: ampersand with padding", "|{{& string }}|", "{\"string\":\"---\"}", 0, 0,
	  "|---|" },

	/* ---- spec: sections ---- */
	{ "spec: section truthy", "\"{{#boolean}}This should be rendered.{{/boolean}}\"",
	  "{\"boolean\":true}", 0, 0, "\"This should be rendered.\"" },
	{ "spec: section falsey", "\"{{#boolean}}This should not be rendered.{{/boolean}}\"",
	  "{\"boolean\":false}", 0, 0, "\"\"" },
	{ "spec: section null is falsey", "\"{{#null}}This should not be rendered.{{/null}}\"",
	  "{\"null\":null}", 0, 0, "\"\"" },
	{ "spec: section context", "\"{{#context}}Hi {{name}}.{{/context}}\"",
	  "{\"context\":{\"name\":\"Joe\"}}", 0, 0, "\"Hi Joe.\"" },
	{ "spec: section parent contexts", "\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"",
	  "{\"a\":\"foo\",\"b\":\"wrong\",\"sec\":{\"b\":\"bar\"},\"c\":{\"d\":\"baz\"}}", 0, 0,
	  "\"foo, bar, baz\"" },
	{ "spec: section variable test", "\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"",
	  "{\"foo\":\"bar\"}", 0, 0, "\"bar is bar\"" },
	{ "spec: section list context",
	  "{{#tops}}{{#middles}}{{tname.lower}}{{mname}}.{{#bottoms}}{{tname.upper}}{{mname}}"
	  "{{bname}}.{{/bottoms}}{{/middles}}{{/tops}}",
	  "{\"tops\":[{\"tname\":{\"upper\":\"A\",\"lower\":\"a\"},\"middles\":[{\"mname\":\"1\","
	  "\"bottoms\":[{\"bname\":\"x\"},{\"bname\":\"y\"}]}]}]}", 0, 0, "a1.A1x.A1y." },
	{ "spec: section list", "\"{{#list}}{{item}}{{/list}}\"",
	  "{\"list\":[{\"item\":1},{\"item\":2},{\"item\":3}]}", 0, 0, "\"123\"" },
	{ "spec: section empty list", "\"{{#list}}Yay lists!{{/list}}\"", "{\"list\":[]}", 0, 0,
	  "\"\"" },
	{ "spec: section doubled",
	  "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
	  "{\"bool\":true,\"two\":\"second\"}", 0, 0, "* first\n* second\n* third\n" },
	{ "spec: section nested truthy", "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
	  "{\"bool\":true}", 0, 0, "| A B C D E |" },
	{ "spec: section nested falsey", "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |",
	  "{\"bool\":false}", 0, 0, "| A  E |" },
	{ "spec: section context misses", "[{{#missing}}Found key 'missing'!{{/missing}}]", "{}",
	  0, 0, "[]" },
	{ "spec: implicit iterator string", "\"{{#list}}({{.}}){{/list}}\"",
	  "{\"list\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", 0, 0, "\"(a)(b)(c)(d)(e)\"" },
	{ "spec: implicit iterator integer", "\"{{#list}}({{.}}){{/list}}\"",
	  "{\"list\":[1,2,3,4,5]}", 0, 0, "\"(1)(2)(3)(4)(5)\"" },
	{ "spec: implicit iterator decimal", "\"{{#list}}({{.}}){{/list}}\"",
	  "{\"list\":[1.10,2.20,3.30,4.40,5.50]}", 0, 0, "\"(1.1)(2.2)(3.3)(4.4)(5.5)\"" },
	{ "spec: implicit iterator array", "\"{{#list}}({{#.}}{{.}}{{/.}}){{/list}}\"",
	  "{\"list\":[[1,2,3],[\"a\",\"b\",\"c\"]]}", 0, 0, "\"(123)(abc)\"" },
	{ "spec: section dotted truthy", "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"",
	  "{\"a\":{\"b\":{\"c\":true}}}", 0, 0, "\"Here\" == \"Here\"" },
	{ "spec: section dotted falsey", "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"",
	  "{\"a\":{\"b\":{\"c\":false}}}", 0, 0, "\"\" == \"\"" },
	{ "spec: section dotted broken chains", "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"",
	  "{\"a\":{}}", 0, 0, "\"\" == \"\"" },
	{ "spec: section surrounding whitespace", " | {{#boolean}}\t|\t{{/boolean}} | \n",
	  "{\"boolean\":true}", 0, 0, " | \t|\t | \n" },
	{ "spec: section internal whitespace",
	  " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n",
	  "{\"boolean\":true}", 0, 0, " |  \n  | \n" },
	{ "spec: section indented inline", " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n",
	  "{\"boolean\":true}", 0, 0, " YES\n GOOD\n" },
	{ "spec: section standalone lines", "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n",
	  "{\"boolean\":true}", 0, 0, "| This Is\n|\n| A Line\n" },
	{ "spec: section indented standalone lines",
	  "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n",
	  "{\"boolean\":true}", 0, 0, "| This Is\n|\n| A Line\n" },
	{ "spec: section standalone line endings", "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|",
	  "{\"boolean\":true}", 0, 0, "|\r\n|" },
	{ "spec: section standalone without previous line", "  {{#boolean}}\n#{{/boolean}}\n/",
	  "{\"boolean\":true}", 0, 0, "#\n/" },
	{ "spec: section standalone without newline", "#{{#boolean}}\n/\n  {{/boolean}}",
	  "{\"boolean\":true}", 0, 0, "#\n/\n" },
	{ "spec: section padding", "|{{# boolean }}={{/ boolean }}|", "{\"boolean\":true}", 0, 0,
	  "|=|" },

	/* ---- spec: inverted ---- */
	{ "spec: inverted falsey", "\"{{^boolean}}This should be rendered.{{/boolean}}\"",
	  "{\"boolean\":false}", 0, 0, "\"This should be rendered.\"" },
	{ "spec: inverted truthy", "\"{{^boolean}}This should not be rendered.{{/boolean}}\"",
	  "{\"boolean\":true}", 0, 0, "\"\"" },
	{ "spec: inverted null is falsey", "\"{{^null}}This should be rendered.{{/null}}\"",
	  "{\"null\":null}", 0, 0, "\"This should be rendered.\"" },
	{ "spec: inverted context", "\"{{^context}}Hi {{name}}.{{/context}}\"",
	  "{\"context\":{\"name\":\"Joe\"}}", 0, 0, "\"\"" },
	{ "spec: inverted list", "\"{{^list}}{{n}}{{/list}}\"",
	  "{\"list\":[{\"n\":1},{\"n\":2},{\"n\":3}]}", 0, 0, "\"\"" },
	{ "spec: inverted empty list", "\"{{^list}}Yay lists!{{/list}}\"", "{\"list\":[]}", 0, 0,
	  "\"Yay lists!\"" },
	{ "spec: inverted doubled",
	  "{{^bool}}\n* first\n{{/bool}}\n* {{two}}\n{{^bool}}\n* third\n{{/bool}}\n",
	  "{\"bool\":false,\"two\":\"second\"}", 0, 0, "* first\n* second\n* third\n" },
	{ "spec: inverted context misses", "[{{^missing}}Found key 'missing'!{{/missing}}]", "{}",
	  0, 0, "[Found key 'missing'!]" },
	{ "spec: inverted dotted falsey", "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
	  "{\"a\":{\"b\":{\"c\":false}}}", 0, 0, "\"Not Here\" == \"Not Here\"" },
	{ "spec: inverted dotted broken chains", "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
	  "{\"a\":{}}", 0, 0, "\"Not Here\" == \"Not Here\"" },
	{ "spec: inverted standalone lines", "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n",
	  "{\"boolean\":false}", 0, 0, "| This Is\n|\n| A Line\n" },
	{ "spec: inverted standalone indented lines",
	  "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n",
	  "{\"boolean\":false}", 0, 0, "| This Is\n|\n| A Line\n" },

	/* ---- spec: comments ---- */
	{ "spec: comment inline", "12345{{! Comment Block! }}67890", "{}", 0, 0, "1234567890" },
	{ "spec: comment multiline", "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n",
	  "{}", 0, 0, "1234567890\n" },
	{ "spec: comment standalone", "Begin.\n{{! Comment Block! }}\nEnd.\n", "{}", 0, 0,
	  "Begin.\nEnd.\n" },
	{ "spec: comment indented standalone", "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n",
	  "{}", 0, 0, "Begin.\nEnd.\n" },
	{ "spec: comment standalone line endings", "|\r\n{{! Standalone Comment }}\r\n|", "{}", 0,
	  0, "|\r\n|" },
	{ "spec: comment standalone without previous line", "  {{! I'm Still Standalone }}\n!",
	  "{}", 0, 0, "!" },
	{ "spec: comment standalone without newline", "!\n  {{! I'm Still Standalone }}", "{}",
	  0, 0, "!\n" },
	{ "spec: comment multiline standalone",
	  "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", "{}", 0, 0, "Begin.\nEnd.\n" },
	{ "spec: comment indented multiline standalone",
	  "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n", "{}", 0, 0,
	  "Begin.\nEnd.\n" },
	{ "spec: comment indented inline", "  12 {{! 34 }}\n", "{}", 0, 0, "  12 \n" },
	{ "spec: comment surrounding whitespace", "12345 {{! Comment Block! }} 67890", "{}", 0, 0,
	  "12345  67890" },

	/* ---- escaping and raw output ---- */
	{ "escape: apostrophe", "{{s}}", "{\"s\":\"it's <b>&\"}", 0, 0, "it&#39;s &lt;b&gt;&amp;" },
	{ "escape: raw flag", "{{s}}", "{\"s\":\"it's <b>&\\\"\"}", RAW, 0, "it's <b>&\"" },
	{ "escape: triple ignores flag", "{{{s}}}|{{&s}}", "{\"s\":\"<\"}", RAW, 0, "<|<" },
	{ "escape: template text never escaped", "<p>&amp;</p>", "{}", 0, 0, "<p>&amp;</p>" },
	{ "escape: utf-8 passes through", "{{s}}", "{\"s\":\"caf\\u00e9 \\u2713\"}", 0, 0,
	  "caf\xc3\xa9 \xe2\x9c\x93" },

	/* ---- values ---- */
	{ "value: negative integer", "{{n}}", "{\"n\":-42}", 0, 0, "-42" },
	{ "value: big integer", "{{n}}", "{\"n\":9007199254740993}", 0, 0, "9007199254740993" },
	{ "value: real", "{{n}}", "{\"n\":0.5}", 0, 0, "0.5" },
	{ "value: real exponent", "{{n}}", "{\"n\":1e20}", 0, 0, "1e+20" },
	{ "value: true", "{{b}}", "{\"b\":true}", 0, 0, "true" },
	{ "value: false", "{{b}}", "{\"b\":false}", 0, 0, "false" },
	{ "value: object prints nothing", "[{{o}}]", "{\"o\":{\"a\":1}}", 0, 0, "[]" },
	{ "value: list prints nothing", "[{{o}}]", "{\"o\":[1,2]}", 0, 0, "[]" },
	{ "value: no data", "[{{a}}{{.}}{{#a}}x{{/a}}{{^a}}y{{/a}}]", NULL, 0, 0, "[y]" },
	{ "value: scalar root", "{{#.}}[{{.}}]{{/.}}", "7", 0, 0, "[7]" },

	/* ---- truthiness ---- */
	{ "truthy: empty string is falsy", "{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\":\"\"}", 0, 0,
	  "no" },
	{ "truthy: zero is falsy", "{{#n}}yes{{/n}}{{^n}}no{{/n}}", "{\"n\":0}", 0, 0, "no" },
	{ "truthy: real zero is falsy", "{{#n}}yes{{/n}}{{^n}}no{{/n}}", "{\"n\":0.0}", 0, 0, "no" },
	{ "truthy: string zero is truthy", "{{#s}}yes{{/s}}{{^s}}no{{/s}}", "{\"s\":\"0\"}", 0, 0,
	  "yes" },
	{ "truthy: empty object is truthy", "{{#o}}yes{{/o}}{{^o}}no{{/o}}", "{\"o\":{}}", 0, 0,
	  "yes" },
	{ "truthy: negative is truthy", "{{#n}}{{.}}{{/n}}", "{\"n\":-1}", 0, 0, "-1" },
	{ "truthy: scalar section pushes the value", "{{#s}}<{{.}}>{{/s}}", "{\"s\":\"v\"}", RAW,
	  0, "<v>" },

	/* ---- context stack ---- */
	{ "stack: list items see outer names", "{{#items}}{{name}}@{{ref}};{{/items}}",
	  "{\"ref\":\"main\",\"items\":[{\"name\":\"a\"},{\"name\":\"b\",\"ref\":\"dev\"}]}", 0, 0,
	  "a@main;b@dev;" },
	{ "stack: inner scalar section still sees siblings",
	  "{{#f}}{{#path}}{{path}}{{#line}}:{{line}}{{/line}}{{/path}}{{/f}}",
	  "{\"f\":{\"path\":\"a.c\",\"line\":7}}", 0, 0, "a.c:7" },
	{ "stack: dotted from outer context", "{{#list}}{{meta.v}}{{/list}}",
	  "{\"meta\":{\"v\":\"1\"},\"list\":[{},{}]}", 0, 0, "11" },
	{ "stack: nested lists", "{{#a}}{{#b}}{{x}}{{y}} {{/b}}{{/a}}",
	  "{\"a\":[{\"x\":1,\"b\":[{\"y\":2},{\"y\":3}]},{\"x\":4,\"b\":[{\"y\":5}]}]}", 0, 0,
	  "12 13 45 " },
	{ "stack: inverted does not push", "{{^a}}{{b}}{{/a}}", "{\"a\":[],\"b\":\"ok\"}", 0, 0,
	  "ok" },

	/* ---- standalone lines (ours) ---- */
	{ "standalone: chain of control lines",
	  "start\n{{#a}}\n  {{#b}}\n{{! note }}\n    {{b}}\n  {{/b}}\n{{/a}}\nend\n",
	  "{\"a\":true,\"b\":\"x\"}", 0, 0, "start\n    x\nend\n" },
	{ "standalone: two tags on a line are not standalone", "a\n{{#b}}{{/b}}\nc\n",
	  "{\"b\":true}", 0, 0, "a\n\nc\n" },
	{ "standalone: text before tag", "a {{#b}}\nx\n{{/b}}\n", "{\"b\":true}", 0, 0,
	  "a \nx\n" },
	{ "standalone: variable tag keeps the line", "{{#b}}\n{{v}}\n{{/b}}\n",
	  "{\"b\":true,\"v\":\"\"}", 0, 0, "\n" },
	{ "standalone: bare CR is not a line end", "{{#b}}\rx{{/b}}", "{\"b\":true}", 0, 0, "\rx" },
	{ "standalone: whole template is one tag", "{{! only }}", "{}", 0, 0, "" },

	/* ---- odd but valid text ---- */
	{ "text: single braces", "{ {x} }{", "{}", 0, 0, "{ {x} }{" },
	{ "text: closing braces alone", "}}", "{}", 0, 0, "}}" },
	{ "text: empty template", "", "{}", 0, 0, "" },
	{ "text: extra closing brace after tag", "{{ a }}}", "{\"a\":1}", 0, 0, "1}" },
	{ "text: name with dash and digits", "{{a-1_b}}", "{\"a-1_b\":\"ok\"}", 0, 0, "ok" },

	/* ---- errors ---- */
	{ "error: unclosed section", "a\n\n{{#list}}\nx\n", "{}", 0, CL_EINVALID,
	  "t.txt:3: unclosed section '{{#list}}'" },
	{ "error: unclosed inverted", "{{^x}}", "{}", 0, CL_EINVALID,
	  "t.txt:1: unclosed section '{{^x}}'" },
	{ "error: unclosed inner section", "{{#a}}\n{{#b}}\n{{/a}}", "{}", 0, CL_EINVALID,
	  "t.txt:3: mismatched close: '{{/a}}' where '{{/b}}' (opened on line 2) was expected" },
	{ "error: mismatched close", "{{#a}}x{{/b}}", "{}", 0, CL_EINVALID,
	  "t.txt:1: mismatched close" },
	{ "error: close without open", "x\n{{/a}}", "{}", 0, CL_EINVALID,
	  "t.txt:2: '{{/a}}' closes no open section" },
	{ "error: unclosed tag", "line1\nline2 {{name\n", "{}", 0, CL_EINVALID,
	  "t.txt:2: unclosed tag" },
	{ "error: unclosed triple", "{{{name}}", "{}", 0, CL_EINVALID, "t.txt:1: unclosed tag" },
	{ "error: unclosed comment", "{{! never ends }", "{}", 0, CL_EINVALID,
	  "t.txt:1: unclosed tag" },
	{ "error: lone open braces", "{{", "{}", 0, CL_EINVALID, "t.txt:1: unclosed tag" },
	{ "error: empty tag", "a{{}}b", "{}", 0, CL_EINVALID, "t.txt:1: empty tag name" },
	{ "error: blank tag", "{{   }}", "{}", 0, CL_EINVALID, "empty tag name" },
	{ "error: empty section name", "{{#}}{{/}}", "{}", 0, CL_EINVALID, "empty tag name" },
	{ "error: empty close name", "{{#a}}{{/ }}", "{}", 0, CL_EINVALID, "empty tag name" },
	{ "error: empty triple", "{{{ }}}", "{}", 0, CL_EINVALID, "empty tag name" },
	{ "error: empty ampersand", "{{&}}", "{}", 0, CL_EINVALID, "empty tag name" },
	{ "error: empty component", "{{a..b}}", "{}", 0, CL_EINVALID,
	  "t.txt:1: invalid tag name 'a..b'" },
	{ "error: leading dot", "{{.a}}", "{}", 0, CL_EINVALID, "invalid tag name '.a'" },
	{ "error: trailing dot", "{{a.}}", "{}", 0, CL_EINVALID, "invalid tag name 'a.'" },
	{ "error: space in name", "{{a b}}", "{}", 0, CL_EINVALID, "invalid tag name 'a b'" },
	{ "error: brace in name", "{{a {{b}}", "{}", 0, CL_EINVALID, "invalid tag name 'a {{b'" },
	{ "error: long name is clipped",
	  "{{#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}",
	  "{}", 0, CL_EINVALID, "'{{#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...}}'" },
	{ "error: partial", "{{> other}}", "{}", 0, CL_EINVALID, "partials" },
	{ "error: set delimiter", "{{=<% %>=}}", "{}", 0, CL_EINVALID, "delimiters" },
	{ "error: bad tag in a section never entered", "{{#no}}{{}}{{/no}}", "{}", 0,
	  CL_EINVALID, "empty tag name" },
	{ "error: line counts multi-line comments", "{{!\n\n}}\n{{/x}}", "{}", 0, CL_EINVALID,
	  "t.txt:4:" },
	{ "error: line counts after standalone tags", "{{#a}}\n{{/a}}\n{{#b}}\n\n{{/c}}", "{}", 0,
	  CL_EINVALID, "t.txt:5:" },
};

static int run_case(const struct tcase *c, struct cl_buf *out)
{
	json_t *data = NULL;
	json_error_t jerr;
	int rc;

	if (c->data) {
		data = json_loads(c->data, JSON_DECODE_ANY, &jerr);
		if (!data)
			fail_msg("bad test data in '%s': %s", c->name, jerr.text);
	}
	rc = cl_template_render(out, "t.txt", c->tmpl, strlen(c->tmpl), data, c->flags);
	json_decref(data);
	return rc;
}

static void test_case(void **state)
{
	const struct tcase *c = *state;
	struct cl_buf out;
	int rc;

	cl_buf_init(&out, 1 << 20);
	cl_error_clear();
	rc = run_case(c, &out);
	if (rc != c->rc)
		fail_msg("'%s': rc %d, expected %d (%s)", c->name, rc, c->rc, cl_error_last());
	if (c->rc == 0) {
		if (strcmp(cl_buf_cstr(&out), c->expect) != 0)
			fail_msg("'%s':\n got: [%s]\nwant: [%s]", c->name, cl_buf_cstr(&out), c->expect);
	} else {
		if (strstr(cl_error_last(), c->expect) == NULL)
			fail_msg("'%s': error [%s] lacks [%s]", c->name, cl_error_last(), c->expect);
		assert_int_equal(out.size, 0);
	}
	cl_buf_dispose(&out);
}

/* ---- cases that are easier as code ---- */

static char *nested(const char *open, const char *close, int depth, const char *middle)
{
	struct cl_buf b = CL_BUF_INIT;
	int i;

	for (i = 0; i < depth; i++)
		assert_int_equal(cl_buf_puts(&b, open), 0);
	assert_int_equal(cl_buf_puts(&b, middle), 0);
	for (i = 0; i < depth; i++)
		assert_int_equal(cl_buf_puts(&b, close), 0);
	return cl_buf_detach(&b);
}

static void test_depth_limit(void **state)
{
	struct cl_buf out = CL_BUF_INIT;
	json_t *data = json_pack("{s:{}}", "a");
	char *ok = nested("{{#a}}", "{{/a}}", CL_TEMPLATE_MAX_DEPTH, "x");
	char *deep = nested("{{#a}}\n", "{{/a}}", CL_TEMPLATE_MAX_DEPTH + 1, "x");
	char *deep_inv = nested("{{^b}}", "{{/b}}", CL_TEMPLATE_MAX_DEPTH + 1, "x");

	(void)state;
	assert_int_equal(cl_template_render(&out, "t", ok, strlen(ok), data, 0), 0);
	assert_string_equal(cl_buf_cstr(&out), "x");
	cl_buf_clear(&out);
	assert_int_equal(cl_template_render(&out, "t", deep, strlen(deep), data, 0), CL_EINVALID);
	assert_string_equal(cl_error_last(), "t:33: sections nested deeper than 32");
	assert_int_equal(cl_template_render(&out, "t", deep_inv, strlen(deep_inv), data, 0),
		CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "nested deeper"));
	/* a hostile depth is refused without recursing into it */
	free(deep);
	deep = nested("{{#a}}", "{{/a}}", 100000, "x");
	assert_int_equal(cl_template_render(&out, "t", deep, strlen(deep), data, 0), CL_EINVALID);
	free(ok);
	free(deep);
	free(deep_inv);
	json_decref(data);
	cl_buf_dispose(&out);
}

static void test_output_cap(void **state)
{
	struct cl_buf out;
	json_t *data = json_pack("{s:s, s:[i,i,i,i,i,i,i,i]}", "s", "0123456789", "l",
		1, 2, 3, 4, 5, 6, 7, 8);
	const char *tmpl = "{{#l}}{{s}}{{/l}}";

	(void)state;
	cl_buf_init(&out, 50);
	assert_int_equal(cl_buf_puts(&out, "kept:"), 0);
	assert_int_equal(cl_template_render(&out, "cap.txt", tmpl, strlen(tmpl), data, 0),
		CL_ETOOBIG);
	assert_non_null(strstr(cl_error_last(), "cap.txt: output larger than"));
	/* a failed render leaves the buffer as it was */
	assert_string_equal(cl_buf_cstr(&out), "kept:");
	assert_int_equal(out.max, 50);
	cl_buf_dispose(&out);

	/* escaping expands the output; the cap applies to the expanded text */
	cl_buf_init(&out, 8);
	json_decref(data);
	data = json_pack("{s:s}", "s", "<<<");
	assert_int_equal(cl_template_render(&out, "t", "{{s}}", 5, data, 0), CL_ETOOBIG);
	assert_int_equal(cl_template_render(&out, "t", "{{s}}", 5, data, CL_TEMPLATE_RAW), 0);
	assert_string_equal(cl_buf_cstr(&out), "<<<");
	cl_buf_dispose(&out);
	json_decref(data);
}

static void test_uncapped_output_still_bounded(void **state)
{
	struct cl_buf out = CL_BUF_INIT;   /* no cap of its own */
	json_t *data = json_object(), *list = json_array();
	char *big = malloc(1 << 20);
	int i;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\0';
	json_object_set_new(data, "s", json_string(big));
	for (i = 0; i < 64; i++)
		json_array_append_new(list, json_integer(i));
	json_object_set_new(data, "l", list);
	assert_int_equal(cl_template_render(&out, "t", "{{#l}}{{s}}{{/l}}", 17, data, 0),
		CL_ETOOBIG);
	assert_int_equal(out.size, 0);
	assert_int_equal(out.max, 0);
	free(big);
	json_decref(data);
	cl_buf_dispose(&out);
}

static void test_step_budget(void **state)
{
	struct cl_buf out;
	json_t *data = json_pack("{s:[i,i,i,i,i,i,i,i,i,i]}", "a", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
	/* produces no output at all, but 10^32 iterations */
	char *tmpl = nested("{{#a}}", "{{/a}}", CL_TEMPLATE_MAX_DEPTH, "");

	(void)state;
	cl_buf_init(&out, 1 << 20);
	assert_int_equal(cl_template_render(&out, "bomb", tmpl, strlen(tmpl), data, 0),
		CL_ETOOBIG);
	assert_non_null(strstr(cl_error_last(), "bomb: rendering takes more than"));
	free(tmpl);
	json_decref(data);
	cl_buf_dispose(&out);
}

static void test_binary_safe(void **state)
{
	struct cl_buf out;
	json_t *data = json_pack("{s:s%}", "s", "a\0<", (size_t)3);
	const char tmpl[] = "[{{s}}]\0[{{{s}}}]";

	(void)state;
	cl_buf_init(&out, 0);
	assert_int_equal(cl_template_render(&out, NULL, tmpl, sizeof(tmpl) - 1, data, 0), 0);
	assert_int_equal(out.size, 14);
	assert_memory_equal(out.ptr, "[a\0&lt;]\0[a\0<]", 14);
	cl_buf_clear(&out);
	/* a NUL after the braces is part of the name, not a sigil */
	cl_buf_clear(&out);
	assert_int_equal(cl_template_render(&out, NULL, "{{\0s}}", 6, data, 0), 0);
	assert_int_equal(out.size, 0);
	cl_buf_clear(&out);
	/* without a name, messages still say where */
	assert_int_equal(cl_template_render(&out, NULL, "{{#x}}", 6, data, 0), CL_EINVALID);
	assert_string_equal(cl_error_last(), "template:1: unclosed section '{{#x}}'");
	json_decref(data);
	cl_buf_dispose(&out);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_find(void **state)
{
	char dir[] = "/tmp/cl-template-XXXXXX";
	char path[256];
	struct cl_buf holder = CL_BUF_INIT;
	const char *text = NULL;
	size_t len = 0;

	(void)state;
	unsetenv("CLEARANCE_TEMPLATE_DIR");
	assert_int_equal(cl_template_find(&text, &len, &holder, "report.txt"), 0);
	assert_non_null(text);
	assert_true(len > 0);
	assert_int_equal(strlen(text), len);
	assert_int_equal(cl_template_find(&text, &len, &holder, "nope.txt"), CL_ENOTFOUND);
	assert_non_null(strstr(cl_error_last(), "nope.txt"));

	assert_int_equal(cl_template_find(&text, &len, &holder, "../report.txt"), CL_EINVALID);
	assert_int_equal(cl_template_find(&text, &len, &holder, "a/report.txt"), CL_EINVALID);
	assert_int_equal(cl_template_find(&text, &len, &holder, ".."), CL_EINVALID);
	assert_int_equal(cl_template_find(&text, &len, &holder, ""), CL_EINVALID);

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report.txt", dir);
	write_file(path, "override {{x}}\n");
	setenv("CLEARANCE_TEMPLATE_DIR", dir, 1);
	assert_int_equal(cl_template_find(&text, &len, &holder, "report.txt"), 0);
	assert_string_equal(text, "override {{x}}\n");
	assert_int_equal(len, 15);
	assert_ptr_equal(text, holder.ptr);
	/* found again: the holder is reused, not leaked */
	assert_int_equal(cl_template_find(&text, &len, &holder, "report.txt"), 0);
	assert_string_equal(text, "override {{x}}\n");
	/* not in the directory: the built-in copy */
	assert_int_equal(cl_template_find(&text, &len, &holder, "no-such.txt"), CL_ENOTFOUND);
	/* the directory does not open the door to other paths */
	assert_int_equal(cl_template_find(&text, &len, &holder, "../etc/passwd"), CL_EINVALID);
	remove(path);
	assert_int_equal(cl_template_find(&text, &len, &holder, "report.txt"), 0);
	assert_true(strncmp(text, "override", 8) != 0);
	unsetenv("CLEARANCE_TEMPLATE_DIR");
	rmdir(dir);
	cl_buf_dispose(&holder);
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), i;
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_uncapped_output_still_bounded),
		cmocka_unit_test(test_step_budget),
		cmocka_unit_test(test_binary_safe),
		cmocka_unit_test(test_find),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	struct CMUnitTest *tests = calloc(n + nfixed, sizeof(*tests));
	int failed;

	if (!tests)
		return 1;
	/* one cmocka test per table row, so a failure names its row */
	for (i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = test_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	memcpy(tests + n, fixed, sizeof(fixed));
	failed = _cmocka_run_group_tests("template", tests, n + nfixed, NULL, NULL);
	free(tests);
	return failed;
}
