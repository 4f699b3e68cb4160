//go:build !wasm

// Unit tests for the token-bucket plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway and no
// Redis: the test host plays Envoy, and each test answers the plugin's EVAL
// itself with CallOnRedisCall, as the Lua script would have.
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

// bucketConfig is examples/token-bucket/config.json: 3 tokens, 1 a second, fail open.
var bucketConfig = json.RawMessage(`{"serviceName":"redis.static","servicePort":6379,"timeout":1000,"capacity":3,"refillPerSecond":1,"failOpen":true}`)

// failClosedConfig is the config of fail-closed.yaml.
var failClosedConfig = json.RawMessage(`{"serviceName":"redis.static","servicePort":6379,"capacity":3,"refillPerSecond":1,"failOpen":false}`)

// request is a bodyless GET as Envoy hands it to the plugin, with extra headers.
func request(extra ...[2]string) [][2]string {
	headers := [][2]string{{":authority", "example.com"}, {":method", "GET"}, {":path", "/get"}, {":scheme", "http"}}
	return append(headers, extra...)
}

// alice is the x-api-key header of the client alice.
var alice = [2]string{"x-api-key", "alice"}

// upstreamReply is the response headers of a 200 from the upstream.
var upstreamReply = [][2]string{{":status", "200"}, {"content-type", "application/json"}}

// startPlugin starts the plugin with config and checks that it accepted it.
func startPlugin(t *testing.T, config json.RawMessage) test.TestHost {
	host, status := test.NewTestHost(config)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// pendingRedisCommand returns the one Redis call waiting for an answer, as
// its cluster and its words (e.g. "eval", the script, "1", the key, ...).
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

// askForToken sends a request with the extra headers, checks that the
// plugin holds it for one EVAL of takeToken, and returns the bucket's key.
func askForToken(t *testing.T, host test.TestHost, extra ...[2]string) string {
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(request(extra...)))
	_, eval := pendingRedisCommand(t, host)
	require.Len(t, eval, 7, "eval, script, 1 key, capacity, rate, now")
	require.Equal(t, "eval", eval[0])
	require.Equal(t, takeToken, eval[1])
	require.Equal(t, "1", eval[2])
	return eval[3]
}

// tokenReply is the script's answer {allowed, whole tokens left}.
func tokenReply(allowed, remaining int) []byte {
	return test.CreateRedisRespArray([]interface{}{allowed, remaining})
}

// header returns the value of a header, or "" when it is absent.
func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion

// region: token-bucket

// TestTokenBucket runs every case in one test.RunTest, so that the wasm mode
// compiles and starts the module once instead of per case.
func TestTokenBucket(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("the EVAL carries the bucket's key, capacity, rate and clock", testEval)
		t.Run("a taken token lets the request through with the tokens left", testTokenTaken)
		t.Run("an empty bucket gets 429 with retry-after", testBucketEmpty)
		t.Run("retry-after is the whole seconds until the next token", testRetryAfter)
		t.Run("without x-api-key the client is its IP address", testClientByAddress)
		t.Run("Redis error reply lets the request through", func(t *testing.T) {
			testFailOpen(t, test.CreateRedisRespError("ERR something broke"), "ERR something broke")
		})
		t.Run("unexpected reply lets the request through", func(t *testing.T) {
			testFailOpen(t, test.CreateRedisRespInt(1), "unexpected reply")
		})
		t.Run("unreachable Redis with failOpen false gets 503", testFailClosed)
		t.Run("servicePort defaults to 80 for .static, else 6379", testDefaultPort)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: allowed

func testEval(t *testing.T) {
	host := startPlugin(t, bucketConfig)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(request(alice)))
	cluster, eval := pendingRedisCommand(t, host)
	require.Equal(t, "outbound|6379||redis.static", cluster)
	require.Equal(t, []string{"eval", takeToken, "1", "token-bucket:key:alice", "3", "1"}, eval[:6])
	// The gateway's clock in milliseconds; not compared with time.Now():
	// wazero gives the wasm module a fake clock.
	now, err := strconv.ParseInt(eval[6], 10, 64)
	require.NoError(t, err)
	require.Positive(t, now)
	host.CallOnRedisCall(0, tokenReply(1, 2))
	host.CompleteHttp()
}

func testTokenTaken(t *testing.T) {
	host := startPlugin(t, bucketConfig)
	// A full bucket of 3: the first request leaves 2.
	askForToken(t, host, alice)
	host.CallOnRedisCall(0, tokenReply(1, 2))

	// Resumed, no local reply: the request goes on to the upstream.
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(upstreamReply))
	require.Equal(t, "2", header(host.GetResponseHeaders(), "x-ratelimit-remaining"))
	host.CompleteHttp()

	// The last token: 0 left, and still through.
	askForToken(t, host, alice)
	host.CallOnRedisCall(0, tokenReply(1, 0))
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	host.CallOnHttpResponseHeaders(upstreamReply)
	require.Equal(t, "0", header(host.GetResponseHeaders(), "x-ratelimit-remaining"))
	host.CompleteHttp()
}

func testClientByAddress(t *testing.T) {
	host := startPlugin(t, bucketConfig)
	// No address at all: every such request shares one bucket.
	require.Equal(t, "token-bucket:unknown", askForToken(t, host))
	require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), "failed to read source.address, counting the request as unknown")
	host.CallOnRedisCall(0, tokenReply(1, 2))
	host.CompleteHttp()

	for address, key := range map[string]string{
		"10.1.2.3:54321": "token-bucket:ip:10.1.2.3",
		"[::1]:8080":     "token-bucket:ip:::1",
	} {
		require.NoError(t, host.SetProperty([]string{"source", "address"}, []byte(address)))
		require.Equal(t, key, askForToken(t, host), address)
		host.CallOnRedisCall(0, tokenReply(1, 2))
		host.CompleteHttp()
	}
	// The x-api-key wins over the address.
	require.Equal(t, "token-bucket:key:alice", askForToken(t, host, alice))
	host.CallOnRedisCall(0, tokenReply(1, 2))
	host.CompleteHttp()
}

// endregion

// region: rejected

func testBucketEmpty(t *testing.T) {
	host := startPlugin(t, bucketConfig)
	askForToken(t, host, alice)

	// No token taken: the plugin answers itself and never resumes.
	host.CallOnRedisCall(0, tokenReply(0, 0))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 429, reply.StatusCode)
	require.Equal(t, "Too many requests\n", string(reply.Data))
	require.Equal(t, "0", header(reply.Headers, "x-ratelimit-remaining"))
	require.Equal(t, "1", header(reply.Headers, "retry-after"))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.GetHttpStreamAction(), "a rejected request is never resumed")
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "token-bucket:key:alice has no token left")

	// Envoy runs the response callbacks on a local reply too (the test host
	// does not, so the test calls them): the 429 keeps its headers.
	local := [][2]string{{":status", "429"}, {"x-ratelimit-remaining", "0"}, {"retry-after", "1"}}
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(local))
	require.Equal(t, local, host.GetResponseHeaders())
	host.CompleteHttp()
}

func testRetryAfter(t *testing.T) {
	for rate, retryAfter := range map[string]string{"0.25": "4", "0.3": "4", "1": "1", "10": "1"} {
		t.Run(rate, func(t *testing.T) {
			host := startPlugin(t, json.RawMessage(`{"serviceName":"redis.static","capacity":3,"refillPerSecond":`+rate+`}`))
			askForToken(t, host, alice)
			host.CallOnRedisCall(0, tokenReply(0, 0))
			reply := host.GetLocalResponse()
			require.NotNil(t, reply)
			require.Equal(t, retryAfter, header(reply.Headers, "retry-after"))
			host.CompleteHttp()
		})
	}
}

// endregion

// region: Redis failures

func testFailOpen(t *testing.T, reply []byte, reason string) {
	host := startPlugin(t, bucketConfig)
	askForToken(t, host, alice)

	host.CallOnRedisCall(0, reply)
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())
	warnings := strings.Join(host.GetWarnLogs(), "\n")
	require.Contains(t, warnings, "redis failed, letting the request through (failOpen)")
	require.Contains(t, warnings, reason)

	// No count, so nothing to report to the client.
	host.CallOnHttpResponseHeaders(upstreamReply)
	require.False(t, test.HasHeader(host.GetResponseHeaders(), "x-ratelimit-remaining"))
	host.CompleteHttp()
}

func testFailClosed(t *testing.T) {
	host := startPlugin(t, failClosedConfig)
	askForToken(t, host)

	host.CallOnRedisCall(1, nil) // a status other than 0: Redis unreachable or timed out
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 503, reply.StatusCode)
	require.Equal(t, "Rate limiter unavailable\n", string(reply.Data))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.GetHttpStreamAction(), "a rejected request is never resumed")
	require.Contains(t, strings.Join(host.GetErrorLogs(), "\n"), "redis failed, rejecting the request (failOpen is false): cannot connect to redis cluster")
	host.CompleteHttp()
}

// endregion

// region: config

func testDefaultPort(t *testing.T) {
	for config, cluster := range map[string]string{
		`{"serviceName":"redis.static","capacity":3,"refillPerSecond":1}`: "outbound|80||redis.static", // Higress's logical port for static services
		`{"serviceName":"my-redis.dns","capacity":3,"refillPerSecond":1}`: "outbound|6379||my-redis.dns",
	} {
		t.Run(cluster, func(t *testing.T) {
			host := startPlugin(t, json.RawMessage(config))
			require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(request(alice)))
			called, _ := pendingRedisCommand(t, host)
			require.Equal(t, cluster, called)
			host.CallOnRedisCall(0, tokenReply(1, 2))
			host.CompleteHttp()
		})
	}
}

func testConfigRejected(t *testing.T) {
	const valid = `"serviceName":"redis.static","capacity":3,"refillPerSecond":1`
	for config, message := range map[string]string{
		`{"capacity":3,"refillPerSecond":1}`:                                "serviceName: required, a non-empty string",
		`{"serviceName":"","capacity":3,"refillPerSecond":1}`:               "serviceName: required, a non-empty string",
		`{"serviceName":"redis.static","refillPerSecond":1}`:                "capacity: required, an integer >= 1 (the largest burst)",
		`{"serviceName":"redis.static","capacity":0,"refillPerSecond":1}`:   "capacity: required, an integer >= 1",
		`{"serviceName":"redis.static","capacity":"3","refillPerSecond":1}`: "capacity: required, an integer >= 1",
		`{"serviceName":"redis.static","capacity":2.5,"refillPerSecond":1}`: "capacity: required, an integer >= 1",
		`{"serviceName":"redis.static","capacity":3}`:                       "refillPerSecond: required, a number > 0 (tokens added per second)",
		`{"serviceName":"redis.static","capacity":3,"refillPerSecond":0}`:   "refillPerSecond: required, a number > 0",
		`{` + valid + `,"servicePort":70000}`:                               "servicePort: must be an integer between 1 and 65535",
		`{` + valid + `,"timeout":0}`:                                       "timeout: must be an integer >= 1 (milliseconds)",
		`{` + valid + `,"failOpen":"false"}`:                                "failOpen: must be true or false",
		`{` + valid + `,"username":1}`:                                      "username: must be a string",
		`{` + valid + `,"password":null}`:                                   "password: must be a string",
	} {
		host, status := test.NewTestHost(json.RawMessage(config))
		// A gateway rejects (NACKs) a configuration the plugin fails to start with.
		require.Equal(t, types.OnPluginStartStatusFailed, status, config)
		errors := strings.Join(host.GetErrorLogs(), "\n")
		require.Contains(t, errors, "invalid configuration: "+message, config)
		require.Contains(t, errors, "plugin start failed", config)
		host.Reset()
	}
}

// endregion
