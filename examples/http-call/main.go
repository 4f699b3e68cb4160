// Command http-call is a Higress Wasm plugin that asks an auth service about
// every request before letting it through. It forwards the request's
// authorization header to the service; a 2xx answer lets the request go on
// with the user id the service returned, any other answer gets a 403, and a
// service that cannot answer gets a 503 (fail closed) unless failOpen is set.
package main

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	defaultServicePort = 80 // Higress gives every ".static" service the logical port 80
	defaultPath        = "/"
	defaultTimeoutMs   = 500 // the wasm-go HTTP client's own default
	defaultUserHeader  = "x-user-id"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[HttpCallConfig](
		"http-call",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// HttpCallConfig is the parsed plugin configuration.
type HttpCallConfig struct {
	client     wrapper.HttpClient
	path       string
	timeoutMs  uint32
	userHeader string // copied from the service's reply into the request
	failOpen   bool   // let requests through when the service cannot answer
}

// endregion

// region: parseConfig

// parseConfig validates the configuration and builds the HTTP client.
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *HttpCallConfig) error {
	cluster, err := parseFields(json, config)
	if err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	// The cluster name must match an upstream cluster of the gateway exactly,
	// or every call fails with "bad argument".
	config.client = wrapper.NewClusterClient(cluster)
	log.Infof("asking %s%s for every request", cluster.ClusterName(), config.path)
	return nil
}

func parseFields(json gjson.Result, config *HttpCallConfig) (wrapper.FQDNCluster, error) {
	name := json.Get("serviceName")
	if name.Type != gjson.String || name.Str == "" {
		return wrapper.FQDNCluster{}, errors.New(`serviceName: required, a service name with its source suffix, such as "auth.static"`)
	}
	port, err := intField(json, "servicePort", defaultServicePort, 1, 65535)
	if err != nil {
		return wrapper.FQDNCluster{}, err
	}
	timeout, err := intField(json, "timeout", defaultTimeoutMs, 1, math.MaxInt32)
	if err != nil {
		return wrapper.FQDNCluster{}, err
	}
	config.timeoutMs = uint32(timeout)
	if config.path, err = stringField(json, "path", defaultPath); err != nil {
		return wrapper.FQDNCluster{}, err
	}
	if !strings.HasPrefix(config.path, "/") {
		return wrapper.FQDNCluster{}, fmt.Errorf("path: %q must start with /", config.path)
	}
	if config.userHeader, err = stringField(json, "userHeader", defaultUserHeader); err != nil || config.userHeader == "" {
		return wrapper.FQDNCluster{}, errors.New("userHeader: must be a non-empty header name")
	}
	config.userHeader = strings.ToLower(config.userHeader)
	if v := json.Get("failOpen"); v.Exists() {
		if !v.IsBool() {
			return wrapper.FQDNCluster{}, errors.New("failOpen: must be true or false")
		}
		config.failOpen = v.Bool()
	}
	return wrapper.FQDNCluster{FQDN: name.Str, Port: int64(port)}, nil
}

// intField returns the whole number at key, or def when the key is absent.
func intField(json gjson.Result, key string, def, lo, hi int) (int, error) {
	v := json.Get(key)
	if !v.Exists() {
		return def, nil
	}
	if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) || v.Num < float64(lo) || v.Num > float64(hi) {
		return 0, fmt.Errorf("%s: %s is not an integer from %d to %d", key, v.Raw, lo, hi)
	}
	return int(v.Num), nil
}

// stringField returns the string at key, or def when the key is absent.
func stringField(json gjson.Result, key, def string) (string, error) {
	v := json.Get(key)
	if !v.Exists() {
		return def, nil
	}
	if v.Type != gjson.String {
		return "", fmt.Errorf("%s: must be a string", key)
	}
	return v.Str, nil
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders sends the request's credentials to the auth service
// and holds the request until the answer arrives.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config HttpCallConfig) types.Action {
	// The upstream trusts userHeader, so only the auth service may set it.
	if err := proxywasm.RemoveHttpRequestHeader(config.userHeader); err != nil {
		log.Warnf("failed to remove %s: %v", config.userHeader, err)
	}
	var headers [][2]string
	if auth, err := proxywasm.GetHttpRequestHeader("authorization"); err == nil {
		headers = append(headers, [2]string{"authorization", auth})
	}
	err := config.client.Get(config.path, headers, func(status int, reply http.Header, _ []byte) {
		onAuthResponse(config, status, reply)
	}, config.timeoutMs)
	if err != nil {
		// The call never left: usually an unknown cluster ("bad argument").
		if onUnavailable(config, fmt.Sprintf("failed to call %s: %v", config.client.ClusterName(), err)) {
			return types.HeaderContinue
		}
		return types.HeaderStopAllIterationAndWatermark
	}
	// Hold headers AND body until the callback resumes or rejects. Not
	// HeaderStopIteration: with the 0_2_100 ABI a request body (a POST)
	// would still flow on to the upstream before the answer is in.
	return types.HeaderStopAllIterationAndWatermark
}

// endregion

// region: onAuthResponse

// onAuthResponse decides from the auth service's answer. It runs in the root
// context, but the SDK has set the effective context back to this request,
// so the request-side host calls below act on it.
func onAuthResponse(config HttpCallConfig, status int, reply http.Header) {
	// No :status means the call failed (reset); the wrapper then reports 502.
	// A timeout or an unreachable service arrives as Envoy's own 504 or 503.
	if _, answered := reply[":status"]; !answered || status >= 500 {
		if onUnavailable(config, fmt.Sprintf("auth service unavailable (status %d)", status)) {
			resume()
		}
		return
	}
	if status < 200 || status >= 300 {
		log.Infof("auth service denied the request with %d", status)
		// A 403 whatever the service said; its status goes in the body.
		reject(403, "denied", fmt.Sprintf("denied by the auth service (status %d)\n", status))
		return
	}
	if user := reply.Get(config.userHeader); user != "" {
		if err := proxywasm.ReplaceHttpRequestHeader(config.userHeader, user); err != nil {
			log.Warnf("failed to set %s: %v", config.userHeader, err)
		}
	}
	resume()
}

// endregion

// region: onUnavailable

// onUnavailable handles an auth service that could not answer, and reports
// whether the request may go on. Fail closed (the default): answer 503, since
// an unchecked request might be one the service would have refused. Fail
// open: let it through unchecked, trading safety for availability.
func onUnavailable(config HttpCallConfig, reason string) bool {
	if config.failOpen {
		log.Warnf("%s; failOpen: letting the request through unchecked", reason)
		return true
	}
	log.Warnf("%s; failing closed with 503", reason)
	reject(503, "unavailable", "auth service unavailable\n")
	return false
}

// reject answers the request itself. Never resume after it: the reply ends
// the stream. The detail shows in Envoy's access log as
// via_wasm::http-call::http-call.<detail>.
func reject(status uint32, detail, message string) {
	headers := [][2]string{{"content-type", "text/plain; charset=utf-8"}}
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	err := proxywasm.SendHttpResponseWithDetail(status, "http-call."+detail, headers, []byte(message), -1)
	if err != nil {
		log.Errorf("failed to send %d: %v", status, err)
	}
}

// resume releases a request held by onHttpRequestHeaders.
func resume() {
	if err := proxywasm.ResumeHttpRequest(); err != nil {
		log.Warnf("failed to resume the request: %v", err)
	}
}

// endregion
