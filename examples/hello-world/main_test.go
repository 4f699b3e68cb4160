//go:build !wasm

// Unit tests for the hello-world plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway and no
// upstream: the test host plays Envoy, and each test hands the plugin the
// request and response headers Envoy would.
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
	"encoding/json"
	"strings"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

// region: helpers

// helloConfig is examples/hello-world/config.json.
var helloConfig = json.RawMessage(`{"headerName":"x-hello","headerValue":"world"}`)

// getRequest is a bodyless GET of path as Envoy hands it to the plugin.
func getRequest(path string) [][2]string {
	return [][2]string{{":authority", "example.com"}, {":method", "GET"}, {":path", path}, {":scheme", "http"}}
}

// upstreamReply is the response headers of a 200 from the upstream.
var upstreamReply = [][2]string{{":status", "200"}, {"content-type", "application/json"}}

// startPlugin starts the plugin with config and checks that it accepted it.
func startPlugin(t *testing.T, config json.RawMessage) test.TestHost {
	host, status := test.NewTestHost(config)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// header returns the value of a header, or "" when it is absent.
func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion

// region: hello-world

// TestHelloWorld runs every case in one test.RunTest, so that the wasm mode
// compiles and starts the module once instead of per case.
func TestHelloWorld(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("the hello path is answered by the plugin, with the header", testHelloAnswered)
		t.Run("other paths reach the upstream and get the header", testOtherPathsProxied)
		t.Run("the header name and value come from the config", testConfiguredHeader)
		t.Run("an empty config uses x-hello: world", testDefaults)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: local reply

func testHelloAnswered(t *testing.T) {
	host := startPlugin(t, helloConfig)

	// The query string is ignored when matching /hello.
	action := host.CallOnHttpRequestHeaders(getRequest("/hello?name=me"))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, action, "a local reply is never resumed")
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 200, reply.StatusCode)
	require.Equal(t, "hello world\n", string(reply.Data))
	require.Equal(t, "text/plain", header(reply.Headers, "content-type"))
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "answering /hello with a local reply")

	// Envoy runs the response callbacks on a local reply too (the test host
	// does not, so the test calls them): that is how /hello gets x-hello.
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}, {"content-type", "text/plain"}}))
	require.Equal(t, "world", header(host.GetResponseHeaders(), "x-hello"))
	host.CompleteHttp()
}

// endregion

// region: upstream

func testOtherPathsProxied(t *testing.T) {
	host := startPlugin(t, helloConfig)
	// Only the path /hello itself is answered: /hello/ and /hello2 are proxied.
	for _, path := range []string{"/get", "/hello/", "/hello2", "/anything?x=/hello"} {
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestHeaders(getRequest(path)), path)
		require.Nil(t, host.GetLocalResponse(), path)

		require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(upstreamReply), path)
		response := host.GetResponseHeaders()
		require.Equal(t, "world", header(response, "x-hello"), path)
		require.Equal(t, "application/json", header(response, "content-type"), "the upstream's headers stay")
		host.CompleteHttp()
	}
}

// endregion

// region: config

func testConfiguredHeader(t *testing.T) {
	host := startPlugin(t, json.RawMessage(`{"headerName":"x-greeting","headerValue":"hi"}`))
	host.CallOnHttpRequestHeaders(getRequest("/get"))
	host.CallOnHttpResponseHeaders(upstreamReply)
	response := host.GetResponseHeaders()
	require.Equal(t, "hi", header(response, "x-greeting"))
	require.False(t, test.HasHeader(response, "x-hello"), "the configured name replaces x-hello")
	host.CompleteHttp()
}

func testDefaults(t *testing.T) {
	host := startPlugin(t, json.RawMessage(`{}`))
	host.CallOnHttpRequestHeaders(getRequest("/get"))
	host.CallOnHttpResponseHeaders(upstreamReply)
	require.Equal(t, "world", header(host.GetResponseHeaders(), "x-hello"))
	host.CompleteHttp()
}

func testConfigRejected(t *testing.T) {
	for config, message := range map[string]string{
		`{"headerName":1}`:   "headerName: must be a non-empty string",
		`{"headerName":""}`:  "headerName: must be a non-empty string",
		`{"headerValue":2}`:  "headerValue: must be a string",
		`{"headerValue":[]}`: "headerValue: must be a string",
	} {
		host, status := test.NewTestHost(json.RawMessage(config))
		// A gateway rejects (NACKs) a configuration the plugin fails to start with.
		require.Equal(t, types.OnPluginStartStatusFailed, status, config)
		// parseConfig only returns the error; the wrapper logs it as a warning.
		require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), message, config)
		require.Contains(t, strings.Join(host.GetErrorLogs(), "\n"), "plugin start failed", config)
		host.Reset()
	}
}

// endregion
