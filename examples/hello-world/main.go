// Command hello-world is a minimal Higress Wasm plugin: it adds a configurable
// header to every response and answers /hello itself, without an upstream.
package main

import (
	"errors"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	defaultHeaderName  = "x-hello"
	defaultHeaderValue = "world"
	helloPath          = "/hello"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[HelloWorldConfig](
		"hello-world",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// HelloWorldConfig is the parsed plugin configuration.
type HelloWorldConfig struct {
	headerName  string
	headerValue string
}

// endregion

// region: parseConfig

// parseConfig runs once per configuration (at start and on every update).
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *HelloWorldConfig) error {
	var ok bool
	config.headerName, ok = stringField(json, "headerName", defaultHeaderName)
	if !ok || config.headerName == "" {
		return errors.New("headerName: must be a non-empty string")
	}
	config.headerValue, ok = stringField(json, "headerValue", defaultHeaderValue)
	if !ok {
		return errors.New("headerValue: must be a string")
	}
	return nil
}

// stringField returns the string at key, or def when the key is absent.
// ok is false when the value is present but not a JSON string: a number is
// rejected rather than silently converted.
func stringField(json gjson.Result, key, def string) (value string, ok bool) {
	v := json.Get(key)
	if !v.Exists() {
		return def, true
	}
	if v.Type != gjson.String {
		return "", false
	}
	return v.Str, true
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders answers /hello locally and lets every other request
// through to the upstream unchanged.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config HelloWorldConfig) types.Action {
	// ctx.Path() is the raw :path, query string included.
	path, _, _ := strings.Cut(ctx.Path(), "?")
	if path != helloPath {
		return types.HeaderContinue
	}
	log.Infof("answering %s with a local reply", path)
	headers := [][2]string{{"content-type", "text/plain"}}
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	err := proxywasm.SendHttpResponse(200, headers, []byte("hello world\n"), -1)
	if err != nil {
		log.Errorf("failed to send local reply: %v", err)
		return types.HeaderContinue
	}
	// The local reply ends the stream. Envoy would force a stop anyway; saying
	// so here keeps the intent obvious. Never resume after a local reply.
	return types.HeaderStopAllIterationAndWatermark
}

// endregion

// region: onHttpResponseHeaders

// onHttpResponseHeaders adds the configured header to every response. In
// Envoy, local replies (like the one for /hello) pass through this callback too.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config HelloWorldConfig) types.Action {
	err := proxywasm.AddHttpResponseHeader(config.headerName, config.headerValue)
	if err != nil {
		log.Warnf("failed to add response header %s: %v", config.headerName, err)
	}
	return types.HeaderContinue
}

// endregion
