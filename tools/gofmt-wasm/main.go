// Command gofmt-wasm formats one Go source file with go/format, exactly as gofmt does, for the
// playground's Format button. tools/build-go-toolchain.ts builds it for js/wasm and publishes it
// beside the compiler and linker; the page runs it through wasm_exec.js with an in-memory file
// system, like them (src/gobuild/go-tool.ts).
//
// Usage: gofmt-wasm <file>. It prints one JSON object on stdout: {"text": "<formatted source>"}, or
// {"error": {"line": 3, "col": 9, "message": "expected ..."}} for the first syntax error (line and
// column 1-based, the column counted in bytes), and exits 0; it exits 1 only when the file cannot
// be read.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"go/scanner"
	"os"
)

type syntaxError struct {
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
}

type result struct {
	// A pointer, so that formatting an empty file still answers with "text".
	Text  *string      `json:"text,omitempty"`
	Error *syntaxError `json:"error,omitempty"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gofmt-wasm <file>")
		os.Exit(2)
	}
	src, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var r result
	if out, err := format.Source(src); err == nil {
		text := string(out)
		r.Text = &text
	} else {
		r.Error = describe(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// describe turns a go/format error into its first syntax error. The parser reports a list sorted
// by position; an error without one (not expected from go/format) keeps line and column 0.
func describe(err error) *syntaxError {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		first := list[0]
		return &syntaxError{Line: first.Pos.Line, Col: first.Pos.Column, Message: first.Msg}
	}
	return &syntaxError{Message: err.Error()}
}
