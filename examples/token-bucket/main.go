// Command token-bucket is a Higress Wasm plugin that rate-limits each client
// with a token bucket kept in Redis. One EVAL of a Lua script reads the
// bucket, refills it for the time passed, takes a token and writes it back,
// so two gateways sharing the Redis can never both take the last token.
//
// A client is its x-api-key header when the request has one, else its IP
// address. Each client may burst up to capacity requests, then gets
// refillPerSecond requests per second; the others get 429.
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

	// Every key starts with the plugin's name, so it cannot collide with
	// other users of the same Redis.
	keyPrefix = "token-bucket:"

	// The response header that tells the client how many requests it has left.
	remainingHeader = "x-ratelimit-remaining"
	ctxRemaining    = "remaining"
)

// region: script

// takeToken runs inside Redis, atomically. KEYS[1] is the client's bucket, a
// hash {tokens, ts}; ARGV is capacity, tokens added per second, and the
// gateway's clock in milliseconds. It returns {1 if a token was taken else 0,
// whole tokens left}.
const takeToken = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(bucket[1]) or capacity
local last = tonumber(bucket[2]) or now
-- Refill for the time since the last request, never above capacity.
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate / 1000)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', now)
-- An idle bucket is full again after capacity / rate seconds: drop it then.
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate))
return {allowed, math.floor(tokens)}
`

// endregion

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[BucketConfig](
		"token-bucket",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// BucketConfig is the parsed plugin configuration.
type BucketConfig struct {
	serviceName     string
	servicePort     int
	username        string
	password        string
	timeoutMs       int
	capacity        int
	refillPerSecond float64
	failOpen        bool
	client          wrapper.RedisClient
}

// parseConfig validates the configuration and sets up the Redis client.
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *BucketConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	cluster := wrapper.FQDNCluster{FQDN: config.serviceName, Port: int64(config.servicePort)}
	config.client = wrapper.NewRedisClusterClient(cluster)
	log.Infof("using redis cluster %s, capacity %d, refill %g/s", cluster.ClusterName(), config.capacity, config.refillPerSecond)
	return config.client.Init(config.username, config.password, int64(config.timeoutMs))
}

// endregion

// parseFields reads and checks every field.
func parseFields(json gjson.Result, config *BucketConfig) error {
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
	if config.capacity, ok = intField(json, "capacity", 0, 1, math.MaxInt32); !ok || config.capacity < 1 {
		return errors.New("capacity: required, an integer >= 1 (the largest burst)")
	}
	rate := json.Get("refillPerSecond")
	if rate.Type != gjson.Number || rate.Num <= 0 {
		return errors.New("refillPerSecond: required, a number > 0 (tokens added per second)")
	}
	config.refillPerSecond = rate.Num
	config.failOpen = true
	if v := json.Get("failOpen"); v.Exists() {
		if !v.IsBool() {
			return errors.New("failOpen: must be true or false")
		}
		config.failOpen = v.Bool()
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

// onHttpRequestHeaders asks Redis for a token and holds the request until the
// reply decides.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config BucketConfig) types.Action {
	key := keyPrefix + clientID()
	keys := []interface{}{key}
	args := []interface{}{config.capacity, config.refillPerSecond, time.Now().UnixMilli()}
	err := config.client.Eval(takeToken, 1, keys, args, func(response resp.Value) {
		onTokenReply(ctx, config, key, response)
	})
	if err != nil {
		return onRedisFailure(config, err)
	}
	// Hold headers and body until the callback resumes or rejects.
	return types.HeaderStopAllIterationAndWatermark
}

// endregion

// region: onTokenReply

// onTokenReply reads {allowed, remaining} from the script.
func onTokenReply(ctx wrapper.HttpContext, config BucketConfig, key string, response resp.Value) {
	reply := response.Array()
	if response.Error() != nil || len(reply) != 2 {
		err := response.Error()
		if err == nil {
			err = errors.New("unexpected reply " + response.String())
		}
		if onRedisFailure(config, err) == types.HeaderContinue {
			resumeRequest()
		}
		return
	}
	allowed, remaining := reply[0].Integer(), reply[1].Integer()
	ctx.SetContext(ctxRemaining, remaining)
	if allowed == 1 {
		resumeRequest()
		return
	}
	log.Infof("%s has no token left", key)
	headers := [][2]string{{remainingHeader, "0"}, {"retry-after", retryAfter(config)}}
	if err := proxywasm.SendHttpResponse(429, headers, []byte("Too many requests\n"), -1); err != nil {
		log.Errorf("failed to send 429, letting the request through: %v", err)
		resumeRequest()
	}
}

// endregion

// region: onRedisFailure

// onRedisFailure decides what a request gets when Redis cannot answer: with
// failOpen it passes (a broken Redis does not take the API down), otherwise
// it gets 503.
func onRedisFailure(config BucketConfig, err error) types.Action {
	if config.failOpen {
		log.Warnf("redis failed, letting the request through (failOpen): %v", err)
		return types.HeaderContinue
	}
	log.Errorf("redis failed, rejecting the request (failOpen is false): %v", err)
	if sendErr := proxywasm.SendHttpResponse(503, nil, []byte("Rate limiter unavailable\n"), -1); sendErr != nil {
		log.Errorf("failed to send 503: %v", sendErr)
		return types.HeaderContinue
	}
	return types.HeaderStopAllIterationAndWatermark
}

// endregion

// region: onHttpResponseHeaders

// onHttpResponseHeaders tells a client that got through how many requests it
// has left right now.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config BucketConfig) types.Action {
	if remaining, ok := ctx.GetContext(ctxRemaining).(int); ok {
		if err := proxywasm.ReplaceHttpResponseHeader(remainingHeader, strconv.Itoa(remaining)); err != nil {
			log.Warnf("failed to set %s: %v", remainingHeader, err)
		}
	}
	return types.HeaderContinue
}

// endregion

// retryAfter is the whole number of seconds until the next token.
func retryAfter(config BucketConfig) string {
	return strconv.Itoa(int(math.Ceil(1 / config.refillPerSecond)))
}

// clientID names the client a request is counted for: its x-api-key header
// when it has one, else the IP address it connects from.
func clientID() string {
	if apiKey, err := proxywasm.GetHttpRequestHeader("x-api-key"); err == nil && apiKey != "" {
		return "key:" + apiKey
	}
	address, err := proxywasm.GetProperty([]string{"source", "address"})
	if err != nil {
		log.Warnf("failed to read source.address, counting the request as unknown: %v", err)
		return "unknown"
	}
	if host, _, err := net.SplitHostPort(string(address)); err == nil {
		return "ip:" + host
	}
	return "ip:" + string(address)
}

// resumeRequest releases a request held by onHttpRequestHeaders.
func resumeRequest() {
	if err := proxywasm.ResumeHttpRequest(); err != nil {
		log.Warnf("failed to resume request: %v", err)
	}
}
