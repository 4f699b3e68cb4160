//go:build !wasm

// Unit tests for the redis-limiter plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway and no
// Redis: the test host plays Envoy, and each test answers the plugin's Redis
// calls itself with CallOnRedisCall.
//
// test.RunTest runs a test body twice: natively ("go"), against the SDK's
// host mocks, and against the plugin compiled to wasm ("wasm"), which the
// framework builds on first use as wasm-unit-test.wasm with
// GOOS=wasip1 GOARCH=wasm -buildmode=c-shared.
//
// The build constraint above keeps this file out of wasm builds: the test
// framework itself only compiles natively, and without it
// `GOOS=wasip1 GOARCH=wasm go vet ./...` would fail on this file.
package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/resp"
)

// region: helpers

// limiterConfig is examples/redis-limiter/config.json with qpm 3.
var limiterConfig = json.RawMessage(`{"serviceName":"redis.static","servicePort":6379,"timeout":1000,"qpm":3}`)

// getRequest is a bodyless GET as Envoy hands it to the plugin.
var getRequest = [][2]string{{":authority", "example.com"}, {":method", "GET"}, {":path", "/get"}, {":scheme", "http"}}

// upstreamReply is the response headers of a 200 from the upstream.
var upstreamReply = [][2]string{{":status", "200"}, {"content-type", "application/json"}}

// startLimiter starts the plugin with limiterConfig and checks that it accepted it.
func startLimiter(t *testing.T) test.TestHost {
	host, status := test.NewTestHost(limiterConfig)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// pendingRedisCommand returns the one Redis call waiting for an answer, as
// its cluster and its words (e.g. "incr", "1735689600").
func pendingRedisCommand(t *testing.T, host test.TestHost) (cluster string, words []string) {
	calls := host.GetRedisCalloutAttributes()
	require.Len(t, calls, 1, "exactly one Redis call should be waiting")
	value, _, err := resp.NewReader(bytes.NewReader(calls[0].Query)).ReadValue()
	require.NoError(t, err)
	for _, word := range value.Array() {
		words = append(words, word.String())
	}
	return calls[0].Upstream, words
}

// header returns the value of a header, or "" when it is absent.
func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion

// region: limiter

// TestLimiter runs every case in one test.RunTest, so that the wasm mode
// compiles and starts the 6 MiB module once (about 3 s) instead of per case.
func TestLimiter(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("first request of a minute sets the expiry and passes", testFirstRequestOfMinute)
		t.Run("request within the quota passes without EXPIRE", testWithinQuota)
		t.Run("request over the quota gets 429", testOverQuota)
		t.Run("Redis error reply lets the request through", func(t *testing.T) {
			testRedisFailure(t, 0, test.CreateRedisRespError("ERR something broke"))
		})
		t.Run("failed Redis call lets the request through", func(t *testing.T) {
			testRedisFailure(t, 1, nil) // a status other than 0: Redis unreachable or timed out
		})
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: allowed

func testFirstRequestOfMinute(t *testing.T) {
	host := startLimiter(t)

	// The plugin holds the request (headers and body) until Redis answers.
	action := host.CallOnHttpRequestHeaders(getRequest)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, action)

	cluster, incr := pendingRedisCommand(t, host)
	require.Equal(t, "outbound|6379||redis.static", cluster)
	require.Equal(t, "incr", incr[0])
	minute := incr[1]
	unix, err := strconv.ParseInt(minute, 10, 64)
	require.NoError(t, err)
	require.Zero(t, unix%60, "the key is the Unix time of the start of a minute")

	// Count 1: the first request of the minute gives the key a TTL first.
	host.CallOnRedisCall(0, test.CreateRedisRespInt(1))
	_, expire := pendingRedisCommand(t, host)
	require.Equal(t, []string{"expire", minute, "60"}, expire)
	host.CallOnRedisCall(0, test.CreateRedisRespInt(1))

	// Resumed, no local reply: the request goes on to the upstream.
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())

	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(upstreamReply))
	response := host.GetResponseHeaders()
	require.Equal(t, minute, header(response, "timeStamp"))
	require.Equal(t, "2", header(response, "callTimeLeft"))
	host.CompleteHttp()
}

func testWithinQuota(t *testing.T) {
	host := startLimiter(t)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(getRequest))

	// Count 3 of qpm 3: the last request this minute that may pass.
	host.CallOnRedisCall(0, test.CreateRedisRespInt(3))
	require.Empty(t, host.GetRedisCalloutAttributes(), "only the first request of a minute sends EXPIRE")
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())

	host.CallOnHttpResponseHeaders(upstreamReply)
	require.Equal(t, "0", header(host.GetResponseHeaders(), "callTimeLeft"))
	host.CompleteHttp()
}

// endregion

// region: rejected

func testOverQuota(t *testing.T) {
	host := startLimiter(t)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(getRequest))
	_, incr := pendingRedisCommand(t, host)

	// Count 4 > qpm 3: the plugin answers itself and never resumes.
	host.CallOnRedisCall(0, test.CreateRedisRespInt(4))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 429, reply.StatusCode)
	require.Equal(t, "Too many requests\n", string(reply.Data))
	require.Equal(t, incr[1], header(reply.Headers, "timeStamp"))
	require.Equal(t, "0", header(reply.Headers, "callTimeLeft"))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.GetHttpStreamAction(), "a rejected request is never resumed")

	// Envoy runs the response callbacks on a local reply too (the test host
	// does not, so the test calls it): the 429 must not get the headers twice.
	local := [][2]string{{":status", "429"}, {"timestamp", incr[1]}, {"calltimeleft", "0"}}
	host.CallOnHttpResponseHeaders(local)
	require.Equal(t, local, host.GetResponseHeaders())
	host.CompleteHttp()
}

// endregion

// region: fail-open

func testRedisFailure(t *testing.T, status int32, reply []byte) {
	host := startLimiter(t)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(getRequest))

	host.CallOnRedisCall(status, reply)
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())
	require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), "letting the request through")

	// No count, so nothing to report to the client.
	host.CallOnHttpResponseHeaders(upstreamReply)
	require.False(t, test.HasHeader(host.GetResponseHeaders(), "callTimeLeft"))
	host.CompleteHttp()
}

// endregion

// region: config

func testConfigRejected(t *testing.T) {
	for config, field := range map[string]string{
		`{"qpm":10}`:                                                 "serviceName",
		`{"serviceName":"redis.static"}`:                             "qpm",
		`{"serviceName":"redis.static","qpm":"10"}`:                  "qpm",
		`{"serviceName":"redis.static","qpm":2.5}`:                   "qpm",
		`{"serviceName":"redis.static","qpm":0}`:                     "qpm",
		`{"serviceName":"redis.static","qpm":1,"servicePort":70000}`: "servicePort",
	} {
		host, status := test.NewTestHost(json.RawMessage(config))
		// A gateway rejects (NACKs) a configuration the plugin fails to start with.
		require.Equal(t, types.OnPluginStartStatusFailed, status, config)
		errors := strings.Join(host.GetErrorLogs(), "\n")
		require.Contains(t, errors, "invalid configuration: "+field, config)
		require.Contains(t, errors, "plugin start failed", config)
		host.Reset()
	}
}

func TestConfigDefaultsThePort(t *testing.T) {
	// GetMatchConfig reads the parsed struct through reflection: Go mode only.
	test.RunGoTest(t, func(t *testing.T) {
		for config, port := range map[string]int{
			`{"serviceName":"redis.static","qpm":10}`: 80, // Higress's logical port for static services
			`{"serviceName":"my-redis.dns","qpm":10}`: 6379,
		} {
			host, status := test.NewTestHost(json.RawMessage(config))
			require.Equal(t, types.OnPluginStartStatusOK, status)
			parsed, err := host.GetMatchConfig()
			require.NoError(t, err)
			require.Equal(t, port, parsed.(*RedisLimiterConfig).servicePort, config)
			require.Equal(t, 1000, parsed.(*RedisLimiterConfig).timeoutMs, config)
			host.Reset()
		}
	})
}

// endregion
