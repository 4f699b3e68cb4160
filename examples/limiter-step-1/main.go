// Command limiter-step-1 is the first stage of the Redis rate limiter of the
// Higress WASM Lab guide: a plugin that logs every request and adds one
// header to every response. It has no configuration and no Redis yet.
package main

import (
	"strconv"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
)

// Key of the per-request value shared between the two callbacks.
const ctxTimeStamp = "timeStamp"

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	// An empty config struct needs no ParseConfig option.
	wrapper.SetCtx[LimiterConfig](
		"limiter-step-1",
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// LimiterConfig is empty for now: this stage reads no configuration.
type LimiterConfig struct{}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders logs the request and the minute it falls in, and keeps
// that minute for the response.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config LimiterConfig) types.Action {
	// The Unix time of the start of the current minute: the limiter's key later.
	key := strconv.FormatInt(time.Now().Truncate(time.Minute).Unix(), 10)
	ctx.SetContext(ctxTimeStamp, key)
	log.Infof("%s %s arrived in minute %s", ctx.Method(), ctx.Path(), key)
	return types.HeaderContinue
}

// endregion

// region: onHttpResponseHeaders

// onHttpResponseHeaders tells the client which minute its request counted in.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config LimiterConfig) types.Action {
	key := ctx.GetStringContext(ctxTimeStamp, "")
	if key == "" {
		return types.HeaderContinue
	}
	if err := proxywasm.AddHttpResponseHeader("timeStamp", key); err != nil {
		log.Warnf("failed to add response header timeStamp: %v", err)
	}
	return types.HeaderContinue
}

// endregion
