// Command limiter-step-3 is the third stage of the Redis rate limiter of the
// Higress WASM Lab guide: stage 2 plus a Redis client. Every request runs one
// INCR on the current minute's key; the reply is logged and the request
// continues. Nothing is enforced yet.
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
	"github.com/tidwall/resp"
)

const (
	defaultRedisPort  = 6379
	defaultStaticPort = 80 // Higress gives every ".static" service the logical port 80
	defaultTimeoutMs  = 1000
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main().
func init() {
	wrapper.SetCtx[LimiterConfig](
		"limiter-step-3",
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
	// region: redisClient
	cluster := wrapper.FQDNCluster{FQDN: config.serviceName, Port: int64(config.servicePort)}
	config.client = wrapper.NewRedisClusterClient(cluster)
	// The cluster name must match an upstream cluster of the gateway exactly.
	log.Infof("using redis cluster %s, qpm %d", cluster.ClusterName(), config.qpm)
	// If the host rejects the cluster (e.g. it is unknown), Init only logs a
	// warning and returns nil; the client retries before each command.
	return config.client.Init(config.username, config.password, int64(config.timeoutMs))
	// endregion
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

// onHttpRequestHeaders counts the request in Redis, logs the count and lets
// the request continue once Redis has answered.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config LimiterConfig) types.Action {
	key := strconv.FormatInt(time.Now().Truncate(time.Minute).Unix(), 10)
	// Incr only sends the command; the callback runs when the reply arrives,
	// after this function has returned.
	err := config.client.Incr(key, func(response resp.Value) {
		if err := response.Error(); err != nil {
			log.Warnf("redis incr %s error: %v", key, err)
		} else {
			log.Infof("redis INCR %s replied %d", key, response.Integer())
		}
		// Release the request held below.
		if err := proxywasm.ResumeHttpRequest(); err != nil {
			log.Warnf("failed to resume request: %v", err)
		}
	})
	if err != nil {
		// The command was not even sent (e.g. an unknown cluster): go on.
		log.Warnf("redis incr failed, letting the request through: %v", err)
		return types.HeaderContinue
	}
	// Hold the request until the callback resumes it (stage 4 explains why
	// not HeaderStopIteration).
	return types.HeaderStopAllIterationAndWatermark
}

// endregion
