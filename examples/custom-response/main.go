// Command custom-response is a Higress Wasm plugin that answers with a
// configured status, headers and body. Without enable_on_status it answers
// every request itself (a mock); with it, it lets requests through and
// replaces the upstream's responses whose status is in the list (for example
// every 5xx error page).
package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	defaultStatusCode = 200
	// Set on a stream once the plugin has answered it, so the response
	// callback never replaces the plugin's own reply.
	ctxReplied = "replied"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[CustomResponseConfig](
		"custom-response",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// CustomResponseConfig is the parsed plugin configuration.
type CustomResponseConfig struct {
	statusCode uint32
	headers    [][2]string
	body       []byte
	// Status patterns such as "404", "40x" or "5xx". Empty: answer every
	// request without asking the upstream.
	enableOnStatus []string
}

// endregion

// region: parseConfig

// parseConfig runs once for the top-level configuration and once for each
// entry of _rules_; every rule is a complete configuration of its own.
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *CustomResponseConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	return nil
}

func parseFields(json gjson.Result, config *CustomResponseConfig) error {
	config.statusCode = defaultStatusCode
	if v := json.Get("status_code"); v.Exists() {
		// 1xx are not final responses, so they cannot be a reply.
		if v.Type != gjson.Number || v.Num != float64(int(v.Num)) || v.Num < 200 || v.Num > 599 {
			return fmt.Errorf("status_code: %s is not an HTTP status; use an integer from 200 to 599", v.Raw)
		}
		config.statusCode = uint32(v.Num)
	}
	if v := json.Get("body"); v.Exists() {
		if v.Type != gjson.String {
			return errors.New("body: must be a string")
		}
		config.body = []byte(v.Str)
	}
	var err error
	if config.headers, err = parseHeaders(json.Get("headers")); err != nil {
		return err
	}
	if !hasHeader(config.headers, "content-type") && len(config.body) > 0 {
		config.headers = append(config.headers, [2]string{"content-type", guessContentType(config.body)})
	}
	config.enableOnStatus, err = parseStatusPatterns(json.Get("enable_on_status"))
	return err
}

// parseHeaders reads a list of "name=value" strings. Names are lower-cased,
// as Envoy sends them.
func parseHeaders(v gjson.Result) ([][2]string, error) {
	if !v.Exists() {
		return nil, nil
	}
	if !v.IsArray() {
		return nil, errors.New(`headers: must be a list of "name=value" strings`)
	}
	var headers [][2]string
	for i, item := range v.Array() {
		name, value, found := strings.Cut(item.Str, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if item.Type != gjson.String || !found || name == "" || strings.ContainsAny(name, " \t:") {
			return nil, fmt.Errorf(`headers[%d]: %s is not "name=value"`, i, item.Raw)
		}
		headers = append(headers, [2]string{name, strings.TrimSpace(value)})
	}
	return headers, nil
}

func hasHeader(headers [][2]string, name string) bool {
	for _, h := range headers {
		if h[0] == name {
			return true
		}
	}
	return false
}

// guessContentType labels a body that parses as JSON as JSON, anything else
// as text, so a client can read the reply without a content-type in the config.
func guessContentType(body []byte) string {
	if gjson.ValidBytes(body) {
		return "application/json; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

// parseStatusPatterns reads enable_on_status: statuses as numbers (404) or
// strings ("404"), where trailing x's match any digit ("40x", "5xx").
func parseStatusPatterns(v gjson.Result) ([]string, error) {
	if !v.Exists() {
		return nil, nil
	}
	if !v.IsArray() {
		return nil, errors.New(`enable_on_status: must be a list of statuses like 404, "40x" or "5xx"`)
	}
	var patterns []string
	for i, item := range v.Array() {
		pattern := strings.ToLower(item.String())
		if (item.Type != gjson.String && item.Type != gjson.Number) || !isStatusPattern(pattern) {
			return nil, fmt.Errorf(`enable_on_status[%d]: %s is not a status like 404, "40x" or "5xx"`, i, item.Raw)
		}
		patterns = append(patterns, pattern)
	}
	return patterns, nil
}

// isStatusPattern accepts three characters: a digit 1-5, then digits, where
// an x may replace the last one or the last two ("404", "40x", "4xx").
func isStatusPattern(p string) bool {
	if len(p) != 3 || p[0] < '1' || p[0] > '5' {
		return false
	}
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	switch {
	case isDigit(p[1]) && isDigit(p[2]), isDigit(p[1]) && p[2] == 'x', p[1] == 'x' && p[2] == 'x':
		return true
	}
	return false
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders answers the request itself when no enable_on_status is
// configured; otherwise it lets the request go to the upstream.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config CustomResponseConfig) types.Action {
	if len(config.enableOnStatus) > 0 {
		return types.HeaderContinue
	}
	// Mark first: Envoy runs this plugin's response callback on its own reply.
	ctx.SetContext(ctxReplied, true)
	if err := reply(config, "mock"); err != nil {
		log.Errorf("failed to send the custom response: %v", err)
		return types.HeaderContinue
	}
	// The local reply ends the stream; never resume after it.
	return types.HeaderStopAllIterationAndWatermark
}

// reply sends the configured response. The detail shows in Envoy's access
// log as the response code details via_wasm::custom-response::<detail>.
func reply(config CustomResponseConfig, detail string) error {
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	return proxywasm.SendHttpResponseWithDetail(config.statusCode, "custom-response."+detail, config.headers, config.body, -1)
}

// endregion

// region: onHttpResponseHeaders

// onHttpResponseHeaders replaces an upstream response whose status matches
// enable_on_status. The upstream's body is dropped with it.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config CustomResponseConfig) types.Action {
	if len(config.enableOnStatus) == 0 || ctx.GetBoolContext(ctxReplied, false) {
		return types.HeaderContinue
	}
	status, err := proxywasm.GetHttpResponseHeader(":status")
	if err != nil || !matchesAny(config.enableOnStatus, status) {
		return types.HeaderContinue
	}
	log.Infof("replacing the upstream's %s response", status)
	ctx.SetContext(ctxReplied, true)
	// A local reply sent while encoding replaces the response headers that
	// have not yet left the gateway; it goes straight to the client.
	if err := reply(config, "on_status_"+status); err != nil {
		log.Errorf("failed to replace the %s response: %v", status, err)
		return types.HeaderContinue
	}
	return types.HeaderStopAllIterationAndWatermark
}

// matchesAny reports whether a status such as "502" matches one of the
// patterns, where an x matches any digit.
func matchesAny(patterns []string, status string) bool {
	for _, p := range patterns {
		if len(status) == len(p) && matches(p, status) {
			return true
		}
	}
	return false
}

func matches(pattern, status string) bool {
	for i := range len(pattern) {
		if pattern[i] != 'x' && pattern[i] != status[i] {
			return false
		}
	}
	return true
}

// endregion
