// Judges documents with gojsonschema (draft-07), the way a Go service would call it: the
// document's bytes go to gojsonschema.NewBytesLoader as they are.
//
//	runner SCHEMA LIST
//
// Once the schema is compiled it prints "ready"; then, for each file LIST names (one a
// line), in order, one line: "valid", "invalid", "not-json" (the loader refused the bytes)
// or "error<TAB>message" (a panic). Each line is flushed, so a crash loses no verdict.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

func compile(path string) (*gojsonschema.Schema, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	loader := gojsonschema.NewSchemaLoader()
	loader.Draft = gojsonschema.Draft7
	loader.AutoDetect = false
	loader.Validate = true // the schema itself is checked against the draft-07 meta-schema
	return loader.Compile(gojsonschema.NewBytesLoader(text))
}

func judge(schema *gojsonschema.Schema, path string) (verdict string) {
	defer func() {
		if caught := recover(); caught != nil {
			verdict = fmt.Sprintf("error\tpanic: %v", caught)
		}
	}()
	document, err := os.ReadFile(path)
	if err != nil {
		return "error\t" + err.Error()
	}
	result, err := schema.Validate(gojsonschema.NewBytesLoader(document))
	switch {
	case err != nil:
		return "not-json"
	case result.Valid():
		return "valid"
	default:
		return "invalid"
	}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: runner SCHEMA LIST")
		os.Exit(2)
	}
	schema, err := compile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "schema:", err)
		os.Exit(2)
	}
	list, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "ready")
	out.Flush()
	for _, path := range strings.Split(strings.TrimRight(string(list), "\n"), "\n") {
		fmt.Fprintln(out, judge(schema, path))
		out.Flush()
	}
}
