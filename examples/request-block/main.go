// Command request-block is a Higress Wasm plugin that rejects requests whose
// URL, headers or body contain configured patterns, before they reach the
// upstream. It follows the official request-block plugin, with the URL rules
// independent of each other, regular expressions that fail the config instead
// of panicking, and the request held while its body is inspected.
package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	defaultBlockedCode    = 403
	defaultBlockedMessage = "request blocked"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main(). Registering a body handler
// makes the wrapper buffer the whole request body and call it once.
func init() {
	wrapper.SetCtx[RequestBlockConfig](
		"request-block",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessRequestBody(onHttpRequestBody),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// RequestBlockConfig is the parsed plugin configuration. Unless
// caseSensitive is set, the substrings are stored lower-case and compared
// with lower-cased request data.
type RequestBlockConfig struct {
	blockURLs      []string // substrings of :path (query string included)
	blockExactURLs []string // whole :path
	blockRegexps   []*regexp.Regexp
	blockHeaders   []string // substrings of "name: value"
	blockBodies    []string // substrings of the request body
	blockedCode    uint32
	blockedMessage string
	caseSensitive  bool
}

// endregion

// region: parseConfig

// parseConfig reads and checks the configuration. Returning an error makes
// the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *RequestBlockConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	return nil
}

func parseFields(json gjson.Result, config *RequestBlockConfig) error {
	config.caseSensitive = true
	if v := json.Get("case_sensitive"); v.Exists() {
		if !v.IsBool() {
			return errors.New("case_sensitive: must be true or false")
		}
		config.caseSensitive = v.Bool()
	}
	config.blockedCode = defaultBlockedCode
	if v := json.Get("blocked_code"); v.Exists() {
		if v.Type != gjson.Number || v.Num != float64(int(v.Num)) || v.Num < 200 || v.Num > 599 {
			return fmt.Errorf("blocked_code: %s is not an HTTP status; use an integer from 200 to 599", v.Raw)
		}
		config.blockedCode = uint32(v.Num)
	}
	config.blockedMessage = defaultBlockedMessage
	if v := json.Get("blocked_message"); v.Exists() {
		if v.Type != gjson.String {
			return errors.New("blocked_message: must be a string")
		}
		config.blockedMessage = v.Str
	}

	lists := []struct {
		field  string
		target *[]string
	}{
		{"block_urls", &config.blockURLs},
		{"block_exact_urls", &config.blockExactURLs},
		{"block_headers", &config.blockHeaders},
		{"block_bodies", &config.blockBodies},
	}
	for _, list := range lists {
		items, err := stringList(json, list.field)
		if err != nil {
			return err
		}
		for _, item := range items {
			*list.target = append(*list.target, config.fold(item))
		}
	}
	patterns, err := stringList(json, "block_regexp_urls")
	if err != nil {
		return err
	}
	for i, pattern := range patterns {
		if !config.caseSensitive {
			// Lower-casing the pattern would break escapes like \S; (?i) does not.
			pattern = "(?i)" + pattern
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return fmt.Errorf("block_regexp_urls[%d]: %v", i, err)
		}
		config.blockRegexps = append(config.blockRegexps, re)
	}

	if len(config.blockURLs)+len(config.blockExactURLs)+len(config.blockRegexps)+
		len(config.blockHeaders)+len(config.blockBodies) == 0 {
		return errors.New("no block rule: set at least one of block_urls, block_exact_urls, block_regexp_urls, block_headers or block_bodies")
	}
	return nil
}

// stringList reads an optional list of non-empty strings.
func stringList(json gjson.Result, field string) ([]string, error) {
	v := json.Get(field)
	if !v.Exists() {
		return nil, nil
	}
	if !v.IsArray() {
		return nil, fmt.Errorf("%s: must be a list of strings", field)
	}
	var items []string
	for i, item := range v.Array() {
		if item.Type != gjson.String || item.Str == "" {
			return nil, fmt.Errorf("%s[%d]: %s is not a non-empty string", field, i, item.Raw)
		}
		items = append(items, item.Str)
	}
	return items, nil
}

// fold lower-cases text unless matching is case-sensitive.
func (c RequestBlockConfig) fold(text string) string {
	if c.caseSensitive {
		return text
	}
	return strings.ToLower(text)
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders checks the URL and the headers. When the body has to
// be checked too, it holds the headers until the body has been seen.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config RequestBlockConfig) types.Action {
	rule, kind := config.matchURL(ctx.Path()), "url"
	if rule == "" {
		rule, kind = config.matchHeaders(), "header"
	}
	if rule != "" {
		if !block(config, rule, kind) {
			return types.HeaderContinue
		}
		// The local reply ends the stream; never resume after it.
		return types.HeaderStopAllIterationAndWatermark
	}
	if len(config.blockBodies) == 0 {
		// Spare the gateway from buffering bodies nobody looks at.
		ctx.DontReadRequestBody()
		return types.HeaderContinue
	}
	if !ctx.HasRequestBody() {
		// No body will come: HeaderStopIteration here would hang the request.
		return types.HeaderContinue
	}
	// Hold the headers, but let the body reach onHttpRequestBody: with the
	// 0_2_100 ABI a request HeaderStopIteration still delivers body chunks.
	// The upstream sees nothing until the body callback returns Continue.
	return types.HeaderStopIteration
}

// matchURL returns the rule that :path (query string included) breaks, or "".
func (c RequestBlockConfig) matchURL(path string) string {
	path = c.fold(path)
	for _, exact := range c.blockExactURLs {
		if path == exact {
			return "block_exact_urls " + exact
		}
	}
	for _, part := range c.blockURLs {
		if strings.Contains(path, part) {
			return "block_urls " + part
		}
	}
	for _, re := range c.blockRegexps {
		if re.MatchString(path) {
			return "block_regexp_urls " + re.String()
		}
	}
	return ""
}

// matchHeaders returns the rule that a request header, written as
// "name: value", breaks, or "". Pseudo-headers (:path, :method, ...) are
// left to the URL rules.
func (c RequestBlockConfig) matchHeaders() string {
	if len(c.blockHeaders) == 0 {
		return ""
	}
	headers, err := proxywasm.GetHttpRequestHeaders()
	if err != nil {
		log.Warnf("failed to read the request headers: %v", err)
		return ""
	}
	for _, h := range headers {
		if strings.HasPrefix(h[0], ":") {
			continue
		}
		line := c.fold(h[0] + ": " + h[1])
		for _, part := range c.blockHeaders {
			if strings.Contains(line, part) {
				return "block_headers " + part
			}
		}
	}
	return ""
}

// endregion

// region: onHttpRequestBody

// onHttpRequestBody receives the whole buffered body once (the wrapper keeps
// pausing until the last chunk has arrived).
func onHttpRequestBody(ctx wrapper.HttpContext, config RequestBlockConfig, body []byte) types.Action {
	text := config.fold(string(body))
	for _, part := range config.blockBodies {
		if strings.Contains(text, part) && block(config, "block_bodies "+part, "body") {
			// The reply ends the stream: the held headers are never released.
			return types.DataStopIterationNoBuffer
		}
	}
	// Releases the held headers together with the body.
	return types.DataContinue
}

// endregion

// region: block

// block answers the request with blocked_code and blocked_message, and
// reports whether the reply was sent. The detail shows in Envoy's access log
// as via_wasm::request-block::request-block.<kind>.
func block(config RequestBlockConfig, rule, kind string) bool {
	log.Infof("blocked by %s", rule)
	headers := [][2]string{{"content-type", "text/plain; charset=utf-8"}}
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	err := proxywasm.SendHttpResponseWithDetail(config.blockedCode, "request-block."+kind, headers, []byte(config.blockedMessage), -1)
	if err != nil {
		// The caller lets the request through rather than leave it hanging.
		log.Errorf("failed to send the block reply: %v", err)
		return false
	}
	return true
}

// endregion
