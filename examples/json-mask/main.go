// Command json-mask is a Higress Wasm plugin that masks personal data in the
// upstream's JSON responses. It buffers the whole body, and every string or
// number whose key is one of the configured field names, at any depth, keeps
// only its last keepLast characters: "13812345678" becomes "*******5678".
//
// Only the masked values change: everything else, key order and whitespace
// included, leaves the gateway byte for byte as the upstream sent it.
// Responses that are not JSON, or that are compressed, pass through unread.
package main

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	defaultKeepLast = 4
	defaultMaskChar = "*"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main(). Registering a body handler
// (ProcessResponseBody, not the streaming one) makes the wrapper buffer the
// body: it answers Pause to every chunk and calls onHttpResponseBody once,
// with the whole body, at the end of the stream.
func init() {
	wrapper.SetCtx[JSONMaskConfig](
		"json-mask",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessResponseBody(onHttpResponseBody),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// JSONMaskConfig is the parsed plugin configuration.
type JSONMaskConfig struct {
	// Key names whose values are masked, wherever they appear.
	fields map[string]bool
	// How many trailing characters stay visible; a value with no more
	// characters than this is masked completely.
	keepLast int
	// The one character that replaces the hidden ones.
	maskChar string
	// The most response body bytes the gateway may buffer for this plugin;
	// 0 keeps the gateway's default (32 KiB in Higress).
	bufferLimit uint32
}

// endregion

// region: parseConfig

// parseConfig runs once for the top-level configuration and once for each
// entry of _rules_; every rule is a complete configuration of its own.
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *JSONMaskConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	return nil
}

func parseFields(json gjson.Result, config *JSONMaskConfig) error {
	fields := json.Get("fields")
	if !fields.IsArray() || len(fields.Array()) == 0 {
		return errors.New(`fields: required, a non-empty list of key names like ["phone","idCard"]`)
	}
	config.fields = map[string]bool{}
	for i, field := range fields.Array() {
		if field.Type != gjson.String || field.Str == "" {
			return fmt.Errorf("fields[%d]: %s is not a non-empty string", i, field.Raw)
		}
		config.fields[field.Str] = true
	}
	config.keepLast = defaultKeepLast
	if v := json.Get("keepLast"); v.Exists() {
		if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < 0 || v.Num > math.MaxInt32 {
			return fmt.Errorf("keepLast: %s is not a whole number >= 0 (characters left visible)", v.Raw)
		}
		config.keepLast = int(v.Num)
	}
	config.maskChar = defaultMaskChar
	if v := json.Get("maskChar"); v.Exists() {
		if v.Type != gjson.String || !utf8.ValidString(v.Str) || utf8.RuneCountInString(v.Str) != 1 {
			return fmt.Errorf("maskChar: %s is not exactly one character", v.Raw)
		}
		config.maskChar = v.Str
	}
	if v := json.Get("bufferLimit"); v.Exists() {
		if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < 1 || v.Num > math.MaxUint32 {
			return fmt.Errorf("bufferLimit: %s is not a whole number of bytes from 1 to 4294967295", v.Raw)
		}
		config.bufferLimit = uint32(v.Num)
	}
	return nil
}

// endregion

// region: onHttpResponseHeaders

// onHttpResponseHeaders decides whether the body is read at all. The headers
// always go on at once (Continue): only the body is held back.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config JSONMaskConfig) types.Action {
	if !ctx.HasResponseBody() {
		// A 204, a 304 or the answer to a HEAD: there is nothing to mask, and
		// a content-length here describes a body that is not sent, so keep it.
		return types.HeaderContinue
	}
	if reason := passThroughReason(); reason != "" {
		// The wrapper already skips bodies with any content-encoding; saying
		// so here too keeps the decision in one readable place.
		ctx.DontReadResponseBody()
		log.Infof("passed through: %s", reason)
		return types.HeaderContinue
	}
	if config.bufferLimit > 0 {
		// Applies to this response only: the gateway buffers up to this many
		// bytes for us instead of its default.
		ctx.SetResponseBodyBufferLimit(config.bufferLimit)
	}
	// The masked body may be longer or shorter than the original, and these
	// headers leave before the body is even buffered, so the right length
	// cannot be written here. Without content-length Envoy sends the body
	// chunked (HTTP/1.1) or as plain DATA frames (HTTP/2).
	if err := proxywasm.RemoveHttpResponseHeader("content-length"); err != nil {
		log.Warnf("failed to remove content-length: %v", err)
	}
	return types.HeaderContinue
}

// passThroughReason says why this response is not masked, or returns "" when
// it is a JSON document the plugin can read.
func passThroughReason() string {
	encoding, _ := proxywasm.GetHttpResponseHeader("content-encoding")
	if encoding != "" {
		// gzip, br…: the bytes are not JSON text until someone decompresses
		// them. Even "identity" counts: the wrapper skips any encoding.
		return fmt.Sprintf("content-encoding is %s", encoding)
	}
	contentType, err := proxywasm.GetHttpResponseHeader("content-type")
	if err != nil || contentType == "" {
		return "no content-type"
	}
	if !isJSON(contentType) {
		return fmt.Sprintf("content-type %s is not JSON", contentType)
	}
	return ""
}

// isJSON accepts application/json and any type with the +json suffix
// (application/problem+json, application/vnd.api+json…), parameters such as
// "; charset=utf-8" aside. gRPC messages are framed, not plain JSON text, so
// application/grpc+json is left alone (the wrapper skips gRPC bodies anyway).
func isJSON(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	mediaType = strings.ToLower(strings.TrimSpace(mediaType))
	if strings.HasPrefix(mediaType, "application/grpc") {
		return false
	}
	return mediaType == "application/json" || strings.HasSuffix(mediaType, "+json")
}

// endregion

// region: onHttpResponseBody

// onHttpResponseBody runs once, with the whole body, after the last chunk
// arrived; until then the gateway buffered every chunk. What it returns
// releases the body: the client gets it in one piece.
func onHttpResponseBody(ctx wrapper.HttpContext, config JSONMaskConfig, body []byte) types.Action {
	if !gjson.ValidBytes(body) {
		// A JSON content-type is a promise, not a proof; send what we got.
		log.Warn("not JSON, left as is")
		return types.DataContinue
	}
	masked, count := maskJSON(body, config)
	if count > 0 {
		if err := proxywasm.ReplaceHttpResponseBody(masked); err != nil {
			log.Errorf("failed to replace the response body, it leaves unmasked: %v", err)
			return types.DataContinue
		}
	}
	log.Infof("masked %d field(s)", count)
	return types.DataContinue
}

// endregion

// region: mask

// edit replaces body[start:end] (one value's JSON text) with text.
type edit struct {
	start, end int
	text       []byte
}

// maskJSON masks, in a valid JSON document, every string or number whose key
// is in config.fields, at any depth, and returns the new document and how many
// values it masked. An array under such a key has each of its strings and
// numbers masked too ("phone": ["138…", "139…"]); objects are searched, never
// masked as a whole.
//
// It never re-encodes the document: gjson walks it and records where each
// value to mask starts and ends, and only those byte ranges are replaced. Key
// order, whitespace, number formats and escapes elsewhere stay as they were.
func maskJSON(body []byte, config JSONMaskConfig) ([]byte, int) {
	root := gjson.ParseBytes(body)
	if !root.IsObject() && !root.IsArray() {
		return body, 0 // a lone string or number has no key
	}
	// gjson.Parse leaves Index 0 even after leading whitespace; ForEach
	// computes each child's Index from its parent's, so start right.
	root.Index = len(body) - len(root.Raw)
	var edits []edit
	collectEdits(root, false, config, &edits)
	if len(edits) == 0 {
		return body, 0
	}
	// The walk visits values in document order, so the edits are sorted.
	out := make([]byte, 0, len(body))
	last := 0
	for _, e := range edits {
		out = append(out, body[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	out = append(out, body[last:]...)
	return out, len(edits)
}

// collectEdits walks an object or array. inMaskedArray is true for the
// elements of an array whose own key is one of the fields.
func collectEdits(container gjson.Result, inMaskedArray bool, config JSONMaskConfig, edits *[]edit) {
	isObject := container.IsObject()
	container.ForEach(func(key, value gjson.Result) bool {
		// key.Str is the unescaped key; in an array the key is the index.
		named := (isObject && config.fields[key.Str]) || (!isObject && inMaskedArray)
		switch {
		case value.IsObject():
			collectEdits(value, false, config, edits)
		case value.IsArray():
			collectEdits(value, named, config, edits)
		case named && (value.Type == gjson.String || value.Type == gjson.Number):
			// value.Raw is the value's exact text ("…" with its quotes, or
			// the number as written), and value.Index where it starts.
			text := value.Str
			if value.Type == gjson.Number {
				text = value.Raw // the digits as sent, not a float64 round trip
			}
			masked := gjson.AppendJSONString(nil, maskText(text, config.keepLast, config.maskChar))
			*edits = append(*edits, edit{value.Index, value.Index + len(value.Raw), masked})
		}
		return true
	})
}

// maskText replaces all but the last keepLast characters (not bytes: "李雷"
// is two) with maskChar; a text of keepLast characters or fewer is masked
// completely.
func maskText(text string, keepLast int, maskChar string) string {
	length := utf8.RuneCountInString(text)
	if length <= keepLast {
		return strings.Repeat(maskChar, length)
	}
	visible := len(text) // byte offset where the visible tail starts
	for range keepLast {
		_, size := utf8.DecodeLastRuneInString(text[:visible])
		visible -= size
	}
	return strings.Repeat(maskChar, length-keepLast) + text[visible:]
}

// endregion
