// Command limiter-step-5 is the "going further" stage of the Redis rate
// limiter of the Higress WASM Lab guide: stage 4 with one counter per client
// and minute instead of one shared counter per minute. A client is its
// x-api-key header when the request has one, else its IP address.
package main

import (
	"errors"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
	"github.com/tidwall/resp"
)

const (
	defaultRedisPort  = 6379
	defaultStaticPort = 80 // Higress gives every ".static" service the logical port 80
	defaultTimeoutMs  = 1000
	windowSeconds     = 60

	// Every key starts with the plugin's name, so it cannot collide with
	// other users of the same Redis.
	keyPrefix = "redis-limiter:"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[LimiterConfig](
		"limiter-step-5",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
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
	client      wrapper.RedisClient
}

// endregion

// region: parseConfig

// parseConfig validates the configuration and sets up the Redis client.
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *LimiterConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	cluster := wrapper.FQDNCluster{FQDN: config.serviceName, Port: int64(config.servicePort)}
	config.client = wrapper.NewRedisClusterClient(cluster)
	// The cluster name must match an upstream cluster of the gateway exactly.
	log.Infof("using redis cluster %s, qpm %d", cluster.ClusterName(), config.qpm)
	// If the host rejects the cluster (e.g. it is unknown), Init only logs a
	// warning and returns nil; the client retries before each command.
	return config.client.Init(config.username, config.password, int64(config.timeoutMs))
}

// endregion

// parseFields reads and checks every field, exactly as in stage 2.
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

// region: onHttpRequestHeaders

// onHttpRequestHeaders counts the request in Redis and holds it until the
// reply decides whether it may pass.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config LimiterConfig) types.Action {
	// region: perClientKey
	// One counter per client and minute, e.g.
	// "redis-limiter:key:alice:1735689600" or "redis-limiter:ip:10.0.0.7:1735689600".
	minute := strconv.FormatInt(time.Now().Truncate(time.Minute).Unix(), 10)
	key := keyPrefix + clientID() + ":" + minute
	// endregion
	err := config.client.Incr(key, func(response resp.Value) {
		onIncrResponse(config, key, response)
	})
	if err != nil {
		// Fail open: a broken Redis should not take the API down.
		log.Warnf("redis incr failed, letting the request through: %v", err)
		return types.HeaderContinue
	}
	// Hold headers AND body until the callback resumes or rejects. Not
	// HeaderStopIteration: with the 0_2_100 ABI that is a real StopIteration,
	// which still lets a request body (a POST) flow on to the upstream before
	// the limit is decided.
	return types.HeaderStopAllIterationAndWatermark
}

// endregion

// region: clientID

// clientID names the client a request is counted for: its x-api-key header
// when it has one, else the IP address it connects from. Use a header that
// clients cannot choose freely (one set by an authentication plugin) in
// production: a client that changes its key on every request escapes the limit.
func clientID() string {
	if apiKey, err := proxywasm.GetHttpRequestHeader("x-api-key"); err == nil && apiKey != "" {
		return "key:" + apiKey
	}
	address, err := proxywasm.GetProperty([]string{"source", "address"})
	if err != nil {
		log.Warnf("failed to read source.address, counting the request as unknown: %v", err)
		return "unknown"
	}
	// source.address is "ip:port"; the port changes with every connection.
	if host, _, err := net.SplitHostPort(string(address)); err == nil {
		return "ip:" + host
	}
	return "ip:" + string(address)
}

// endregion

// region: onIncrResponse

// onIncrResponse handles the INCR reply: count is this request's position in
// the current minute.
func onIncrResponse(config LimiterConfig, key string, response resp.Value) {
	if err := response.Error(); err != nil {
		log.Warnf("redis incr error, letting the request through: %v", err)
		resumeRequest()
		return
	}
	count := response.Integer()
	if count == 1 {
		// The first request of the minute created the key: give it a TTL.
		expireWindow(config, key, count)
		return
	}
	enforceLimit(config, key, count)
}

// endregion

// region: expireWindow

// expireWindow sets the TTL of a new minute's counter, then decides. A failed
// EXPIRE is only logged: the request is still counted and judged.
func expireWindow(config LimiterConfig, key string, count int) {
	err := config.client.Expire(key, windowSeconds, func(response resp.Value) {
		if err := response.Error(); err != nil {
			log.Warnf("redis expire %s error: %v", key, err)
		}
		enforceLimit(config, key, count)
	})
	if err != nil {
		log.Warnf("redis expire %s failed: %v", key, err)
		enforceLimit(config, key, count)
	}
}

// endregion

// region: enforceLimit

// enforceLimit rejects the request with 429 once the minute's budget is used
// up, and lets it continue otherwise.
func enforceLimit(config LimiterConfig, key string, count int) {
	if count <= config.qpm {
		resumeRequest()
		return
	}
	log.Infof("request %d of %s is over the limit of %d", count, key, config.qpm)
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	err := proxywasm.SendHttpResponse(429, nil, []byte("Too many requests\n"), -1)
	if err != nil {
		// Never leave a held request hanging.
		log.Errorf("failed to send 429, letting the request through: %v", err)
		resumeRequest()
	}
	// After a local reply, never resume: the reply ends the stream.
}

// resumeRequest releases a request held by onHttpRequestHeaders.
func resumeRequest() {
	if err := proxywasm.ResumeHttpRequest(); err != nil {
		log.Warnf("failed to resume request: %v", err)
	}
}

// endregion
