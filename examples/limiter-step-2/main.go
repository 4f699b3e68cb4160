// Command limiter-step-2 is the second stage of the Redis rate limiter of the
// Higress WASM Lab guide: stage 1 plus a configuration that is parsed and
// checked with the final plugin's rules. It does not talk to Redis yet.
package main

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	defaultRedisPort  = 6379
	defaultStaticPort = 80 // Higress gives every ".static" service the logical port 80
	defaultTimeoutMs  = 1000

	// Key of the per-request value shared between the two callbacks.
	ctxTimeStamp = "timeStamp"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[LimiterConfig](
		"limiter-step-2",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// LimiterConfig is the parsed plugin configuration.
type LimiterConfig struct {
	serviceName string
	servicePort int
	username    string
	password    string
	timeoutMs   int
	qpm         int
}

// endregion

// region: parseConfig

// parseConfig runs once per configuration (at start and on every update).
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *LimiterConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	log.Infof("redis %s port %d, timeout %d ms, qpm %d",
		config.serviceName, config.servicePort, config.timeoutMs, config.qpm)
	return nil
}

// endregion

// region: parseFields

// parseFields reads and checks every field. Types are checked strictly:
// "qpm": "10" or "qpm": 2.5 is an error, not silently converted.
func parseFields(json gjson.Result, config *LimiterConfig) error {
	name := json.Get("serviceName")
	if name.Type != gjson.String || name.Str == "" {
		return errors.New("serviceName: required, a non-empty string")
	}
	config.serviceName = name.Str

	defaultPort := defaultRedisPort
	if strings.HasSuffix(config.serviceName, ".static") {
		defaultPort = defaultStaticPort
	}
	var ok bool
	if config.servicePort, ok = intField(json, "servicePort", defaultPort, 1, 65535); !ok {
		return errors.New("servicePort: must be an integer between 1 and 65535")
	}
	if config.timeoutMs, ok = intField(json, "timeout", defaultTimeoutMs, 1, math.MaxInt32); !ok {
		return errors.New("timeout: must be an integer >= 1 (milliseconds)")
	}
	// qpm has no default: an absent qpm reads as 0 and fails the minimum.
	if config.qpm, ok = intField(json, "qpm", 0, 1, math.MaxInt32); !ok || config.qpm < 1 {
		return errors.New("qpm: required, an integer >= 1")
	}
	if config.username, ok = stringField(json, "username"); !ok {
		return errors.New("username: must be a string")
	}
	if config.password, ok = stringField(json, "password"); !ok {
		return errors.New("password: must be a string")
	}
	return nil
}

// endregion

// region: fieldHelpers

// intField returns the integer at key, or def when the key is absent.
// ok is false when the value is not a whole JSON number in [lo, hi].
func intField(json gjson.Result, key string, def, lo, hi int) (value int, ok bool) {
	v := json.Get(key)
	if !v.Exists() {
		return def, true
	}
	if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) ||
		v.Num < float64(lo) || v.Num > float64(hi) {
		return 0, false
	}
	return int(v.Num), true
}

// stringField returns the string at key, or "" when the key is absent.
// ok is false when the value is present but not a JSON string.
func stringField(json gjson.Result, key string) (value string, ok bool) {
	v := json.Get(key)
	if !v.Exists() {
		return "", true
	}
	if v.Type != gjson.String {
		return "", false
	}
	return v.Str, true
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders logs the request with the limit it will be held to;
// nothing is counted or enforced yet.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config LimiterConfig) types.Action {
	key := strconv.FormatInt(time.Now().Truncate(time.Minute).Unix(), 10)
	ctx.SetContext(ctxTimeStamp, key)
	log.Infof("%s %s arrived in minute %s; the limit is %d per minute",
		ctx.Method(), ctx.Path(), key, config.qpm)
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
