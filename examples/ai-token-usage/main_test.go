//go:build !wasm

// Unit tests for the ai-token-usage plugin. The SSE event splitter and the
// usage reader are plain functions, tested directly. The plugin as a whole is
// tested with the wasm-go test framework (github.com/higress-group/wasm-go/pkg/test):
// no gateway and no Redis, the test host plays Envoy, and each test answers
// the plugin's Redis calls itself with CallOnRedisCall.
//
// test.RunTest runs a test body twice: natively ("go"), against the SDK's
// host mocks, and against the plugin compiled to wasm ("wasm"), which the
// framework builds on first use as wasm-unit-test.wasm with
// GOOS=wasip1 GOARCH=wasm -buildmode=c-shared.
//
// The build constraint above keeps this file out of wasm builds: the test
// framework itself only compiles natively, and without it
// `GOOS=wasip1 GOARCH=wasm go vet ./...` would fail on this file.
//
// Run it: go test ./...
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

// region: splitter

// feed runs chunks through splitEvents as the streaming handler does, the
// last one as the end of the stream, and returns every event it cut.
func feed(chunks ...string) []string {
	var all []string
	pending := ""
	for i, chunk := range chunks {
		var events []string
		events, pending = splitEvents(pending, []byte(chunk), i == len(chunks)-1)
		all = append(all, events...)
	}
	return all
}

const (
	hel   = `data: {"id":"c1","choices":[{"delta":{"content":"Hel"}}]}`
	lo    = `data: {"id":"c1","choices":[{"delta":{"content":"lo"}}]}`
	usage = `data: {"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}}`
	done  = `data: [DONE]`
)

func TestSplitEvents(t *testing.T) {
	for _, c := range []struct {
		name   string
		chunks []string
		want   []string
	}{
		{"whole events, one per chunk",
			[]string{hel + "\n\n", lo + "\n\n", usage + "\n\n", done + "\n\n"},
			[]string{hel, lo, usage, done}},
		{"an event split across two chunks",
			[]string{hel + "\n\n", usage[:40], usage[40:] + "\n\n", done + "\n\n"},
			[]string{hel, usage, done}},
		{"an event split across three chunks",
			[]string{usage[:10], usage[10:70], usage[70:] + "\n\n" + done + "\n\n"},
			[]string{usage, done}},
		{"the blank line split between two chunks",
			[]string{usage + "\n", "\n" + done + "\n\n"},
			[]string{usage, done}},
		{"several events in one chunk",
			[]string{hel + "\n\n" + lo + "\n\n" + usage + "\n\n" + done + "\n\n"},
			[]string{hel, lo, usage, done}},
		{"a chunk that ends one event and starts the next",
			[]string{hel + "\n\n" + usage[:25], usage[25:] + "\n\n", done + "\n\n"},
			[]string{hel, usage, done}},
		{"[DONE] without its blank line at the end of the stream",
			[]string{usage + "\n\n", done},
			[]string{usage, done}},
		{"an empty last chunk (end of stream on its own)",
			[]string{usage + "\n\n" + done + "\n\n", ""},
			[]string{usage, done}},
		{"CRLF line endings, split inside the blank line",
			[]string{usage + "\r\n\r", "\n" + done + "\r\n\r\n"},
			[]string{usage, done}},
	} {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, feed(c.chunks...))
		})
	}
}

func TestSplitEventsKeepsTheUnfinishedEvent(t *testing.T) {
	events, rest := splitEvents("", []byte(hel+"\n\n"+usage[:40]), false)
	require.Equal(t, []string{hel}, events)
	require.Equal(t, usage[:40], rest, "the start of the usage event waits for the next chunk")

	events, rest = splitEvents(rest, []byte(usage[40:]+"\n\n"), false)
	require.Equal(t, []string{usage}, events)
	require.Empty(t, rest)
}

func TestUsageOfEvent(t *testing.T) {
	got, ok := usageOfEvent(usage)
	require.True(t, ok)
	require.Equal(t, tokenUsage{prompt: 12, completion: 30, total: 42}, got)

	for _, event := range []string{
		hel,  // a content chunk: no usage
		done, // the end marker
		`data: {"id":"c1","choices":[{"delta":{}}],"usage":null}`, // usage null before the last chunk
		": keep-alive comment",
		"",
	} {
		_, ok := usageOfEvent(event)
		require.False(t, ok, event)
	}

	// An event with an event name and id; data split over two data lines.
	got, ok = usageOfEvent("event: message\nid: 7\ndata: {\"usage\":\ndata: {\"prompt_tokens\":1,\"completion_tokens\":2}}")
	require.True(t, ok)
	require.Equal(t, tokenUsage{prompt: 1, completion: 2, total: 3}, got, "total defaults to prompt + completion")
}

// TestSplitUsageEventIsRead is the bug the naive plugin has: each half of the
// usage event alone is no usage, but splitEvents joins them.
func TestSplitUsageEventIsRead(t *testing.T) {
	var found []tokenUsage
	for _, event := range feed(hel+"\n\n", usage[:40], usage[40:]+"\n\n", done+"\n\n") {
		if u, ok := usageOfEvent(event); ok {
			found = append(found, u)
		}
	}
	require.Equal(t, []tokenUsage{{12, 30, 42}}, found)
}

// endregion

// region: helpers

// pluginConfig is examples/ai-token-usage/config.json with a budget of 100.
var pluginConfig = json.RawMessage(`{"redisServiceName":"redis.static","redisPort":6379,"timeout":1000,"tokensPerMinute":100}`)

// chatRequest is a chat completion request from consumer alice.
var chatRequest = [][2]string{
	{":authority", "example.com"}, {":method", "POST"}, {":path", "/v1/chat/completions"}, {":scheme", "http"},
	{"content-type", "application/json"}, {"x-mse-consumer", "alice"},
}

var (
	sseReply  = [][2]string{{":status", "200"}, {"content-type", "text/event-stream"}}
	jsonReply = [][2]string{{":status", "200"}, {"content-type", "application/json"}}
)

func startPlugin(t *testing.T) test.TestHost {
	host, status := test.NewTestHost(pluginConfig)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// redisCommands returns the words of every Redis call waiting for an answer,
// e.g. [["incrby", "ai-token-usage:alice:28928160", "42"]].
func redisCommands(t *testing.T, host test.TestHost) [][]string {
	var commands [][]string
	for _, call := range host.GetRedisCalloutAttributes() {
		require.Equal(t, "outbound|6379||redis.static", call.Upstream)
		value, _, err := resp.NewReader(bytes.NewReader(call.Query)).ReadValue()
		require.NoError(t, err)
		var words []string
		for _, word := range value.Array() {
			words = append(words, word.String())
		}
		commands = append(commands, words)
	}
	return commands
}

// admit sends chatRequest and answers the plugin's GET with spent tokens.
// It returns the budget key the plugin read.
func admit(t *testing.T, host test.TestHost, spent []byte) string {
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(chatRequest))
	commands := redisCommands(t, host)
	require.Len(t, commands, 1)
	require.Equal(t, "get", commands[0][0])
	key := commands[0][1]
	host.CallOnRedisCall(0, spent)
	return key
}

func infoLogs(host test.TestHost) string { return strings.Join(host.GetInfoLogs(), "\n") }

// endregion

// region: plugin

// TestPlugin runs every case in one test.RunTest, so that the wasm mode
// compiles and starts the module once instead of per case.
func TestPlugin(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("stream with the usage event split across chunks is charged", testSplitStream)
		t.Run("non-streamed JSON reply is read whole and charged", testBufferedReply)
		t.Run("spent budget gets a JSON 429", testBudgetSpent)
		t.Run("Redis error lets the request through", testRedisFailure)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

func testSplitStream(t *testing.T) {
	host := startPlugin(t)
	key := admit(t, host, test.CreateRedisRespNull())
	minute, found := strings.CutPrefix(key, "ai-token-usage:alice:")
	require.True(t, found, key)
	// The Unix minute; not compared with time.Now(): wazero gives the wasm
	// module a fake clock.
	_, err := strconv.ParseUint(minute, 10, 64)
	require.NoError(t, err, "the key ends with the Unix minute")
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction(), "a fresh budget lets the request go on")
	require.Nil(t, host.GetLocalResponse())

	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(sseReply))
	for i, chunk := range []string{hel + "\n\n", usage[:40], usage[40:] + "\n\n", done + "\n\n"} {
		last := i == 3
		require.Equal(t, types.ActionContinue, host.CallOnHttpStreamingResponseBody([]byte(chunk), last))
		require.Equal(t, chunk, string(host.GetResponseBody()), "chunks pass unchanged")
		if !last {
			require.Empty(t, redisCommands(t, host), "nothing is charged before the end")
		}
	}
	require.Contains(t, infoLogs(host), "token usage: consumer=alice prompt=12 completion=30 total=42")
	require.Equal(t, [][]string{{"incrby", key, "42"}, {"expire", key, "60"}}, redisCommands(t, host))
	require.Empty(t, host.GetWarnLogs())
	host.CompleteHttp()
}

func testBufferedReply(t *testing.T) {
	host := startPlugin(t)
	key := admit(t, host, test.CreateRedisRespString("58"))
	require.Nil(t, host.GetLocalResponse(), "58 of 100 spent: the request goes on")

	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(jsonReply))
	body := `{"choices":[{"message":{"content":"Hello!"}}],"usage":{"prompt_tokens":12,"completion_tokens":18,"total_tokens":30}}`
	// The wrapper holds the body until its end, then hands it over whole.
	require.Equal(t, types.ActionPause, host.CallOnHttpStreamingResponseBody([]byte(body[:50]), false))
	require.NotContains(t, infoLogs(host), "token usage")
	require.Equal(t, types.ActionContinue, host.CallOnHttpStreamingResponseBody([]byte(body[50:]), true))
	require.Contains(t, infoLogs(host), "token usage: consumer=alice prompt=12 completion=18 total=30")
	require.Equal(t, [][]string{{"incrby", key, "30"}, {"expire", key, "60"}}, redisCommands(t, host))
	host.CompleteHttp()
}

func testBudgetSpent(t *testing.T) {
	host := startPlugin(t)
	admit(t, host, test.CreateRedisRespString("126"))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 429, reply.StatusCode)
	require.JSONEq(t, `{"error":"token budget spent","consumer":"alice","limit":100}`, string(reply.Data))
	require.Equal(t, "application/json", header(reply.Headers, "content-type"))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.GetHttpStreamAction(), "a rejected request is never resumed")
	require.Contains(t, infoLogs(host), "consumer alice has spent 126 of 100 tokens this minute")

	// Envoy runs the response callbacks on a local reply too (the test host
	// does not, so the test calls them): the 429 is not read or charged.
	local := [][2]string{{":status", "429"}, {"content-type", "application/json"}}
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(local))
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseBody(reply.Data))
	require.NotContains(t, infoLogs(host), "token usage")
	require.Empty(t, redisCommands(t, host))
	host.CompleteHttp()
}

func testRedisFailure(t *testing.T) {
	host := startPlugin(t)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(chatRequest))
	host.CallOnRedisCall(1, nil) // a status other than 0: Redis unreachable or timed out
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())
	require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), "letting the request through")
	host.CompleteHttp()
}

func testConfigRejected(t *testing.T) {
	for config, field := range map[string]string{
		`{"tokensPerMinute":100}`:                                                     "redisServiceName",
		`{"redisServiceName":"redis.static"}`:                                         "tokensPerMinute",
		`{"redisServiceName":"redis.static","tokensPerMinute":0}`:                     "tokensPerMinute",
		`{"redisServiceName":"redis.static","tokensPerMinute":"100"}`:                 "tokensPerMinute",
		`{"redisServiceName":"redis.static","tokensPerMinute":1,"redisPort":0}`:       "redisPort",
		`{"redisServiceName":"redis.static","tokensPerMinute":1,"timeout":-5}`:        "timeout",
		`{"redisServiceName":"redis.static","tokensPerMinute":1,"consumerHeader":""}`: "consumerHeader",
	} {
		host, status := test.NewTestHost(json.RawMessage(config))
		require.Equal(t, types.OnPluginStartStatusFailed, status, config)
		require.Contains(t, strings.Join(host.GetErrorLogs(), "\n"), "invalid configuration: "+field, config)
		host.Reset()
	}
}

func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion
