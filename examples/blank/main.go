// Command blank is the smallest useful Higress Wasm plugin: a place to start
// your own. It reads one optional setting, logs every request and lets it
// through, and adds one response header so you can see it ran. Replace the
// bodies of the callbacks with your plugin's logic.
package main

import (
	"errors"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[PluginConfig](
		"blank",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

func main() {}

// PluginConfig holds the parsed configuration (config.json).
type PluginConfig struct {
	// tag is the value of the x-plugin response header.
	tag string
}

// parseConfig runs once per configuration. Returning an error makes the
// gateway reject the configuration, so check every field you read.
func parseConfig(json gjson.Result, config *PluginConfig) error {
	config.tag = "blank"
	if tag := json.Get("tag"); tag.Exists() {
		if tag.Type != gjson.String {
			return errors.New("tag: must be a string")
		}
		config.tag = tag.Str
	}
	return nil
}

// onHttpRequestHeaders runs when the request headers arrive. Return
// HeaderContinue to pass the request on; to answer it yourself, call
// proxywasm.SendHttpResponse and return HeaderStopAllIterationAndWatermark.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config PluginConfig) types.Action {
	log.Infof("request %s %s", ctx.Method(), ctx.Path())
	return types.HeaderContinue
}

// onHttpResponseHeaders runs when the response headers arrive, from the
// upstream or from a local reply.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config PluginConfig) types.Action {
	if err := proxywasm.AddHttpResponseHeader("x-plugin", config.tag); err != nil {
		log.Warnf("failed to add x-plugin: %v", err)
	}
	return types.HeaderContinue
}
