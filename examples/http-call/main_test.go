//go:build !wasm

// Unit tests for the http-call plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway and no
// auth service: the test host plays Envoy, and each test answers the
// plugin's call to the auth service itself with CallOnHttpCall.
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

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/proxytest"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

// region: helpers

// authConfig is examples/http-call/config.json: fail closed.
var authConfig = json.RawMessage(`{"serviceName":"auth.static","servicePort":80,"path":"/verify","timeout":500,"userHeader":"x-user-id","failOpen":false}`)

// failOpenConfig is authConfig with failOpen: true.
var failOpenConfig = json.RawMessage(`{"serviceName":"auth.static","servicePort":80,"path":"/verify","timeout":500,"userHeader":"x-user-id","failOpen":true}`)

// ordersRequest is a GET /orders with a good token and a forged x-user-id,
// as Envoy hands it to the plugin.
var ordersRequest = [][2]string{
	{":authority", "example.com"}, {":method", "GET"}, {":path", "/orders"}, {":scheme", "http"},
	{"authorization", "Bearer good-token"}, {"x-user-id", "admin"},
}

// startPlugin starts the plugin with config and checks that it accepted it.
func startPlugin(t *testing.T, config json.RawMessage) test.TestHost {
	host, status := test.NewTestHost(config)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// askAuthService sends ordersRequest and returns the one call to the auth
// service waiting for an answer.
func askAuthService(t *testing.T, host test.TestHost) proxytest.HttpCalloutAttribute {
	// The plugin holds the request (headers and body) until the service answers.
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(ordersRequest))
	calls := host.GetHttpCalloutAttributes()
	require.Len(t, calls, 1, "exactly one call to the auth service should be waiting")
	return calls[0]
}

// header returns the value of a header, or "" when it is absent.
func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion

// region: http-call

// TestHttpCall runs every case in one test.RunTest, so that the wasm mode
// compiles and starts the module once instead of per case.
func TestHttpCall(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("the call carries the request's authorization", testCallToAuthService)
		t.Run("2xx resumes the request with the service's user header", testAllowed)
		t.Run("401 from the service gets 403", testDenied)
		t.Run("Envoy's 504 for a slow service gets 503", func(t *testing.T) {
			testUnavailable(t, [][2]string{{":status", "504"}}, "status 504")
		})
		t.Run("a failed call (no :status) gets 503", func(t *testing.T) {
			testUnavailable(t, nil, "status 502") // the wrapper reports a call without :status as 502
		})
		t.Run("failOpen lets the request through unchecked", testFailOpen)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: call

func testCallToAuthService(t *testing.T) {
	host := startPlugin(t, authConfig)
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "asking outbound|80||auth.static/verify for every request")

	call := askAuthService(t, host)
	require.Equal(t, "outbound|80||auth.static", call.Upstream)
	require.Equal(t, "GET", header(call.Headers, ":method"))
	require.Equal(t, "/verify", header(call.Headers, ":path"))
	require.Equal(t, "auth.static", header(call.Headers, ":authority"))
	require.Equal(t, "Bearer good-token", header(call.Headers, "authorization"))
	require.False(t, test.HasHeader(call.Headers, "x-user-id"), "the client's x-user-id is not sent to the service")

	// Only the auth service may set x-user-id: the forged one is gone
	// before the service has answered.
	require.False(t, test.HasHeader(host.GetRequestHeaders(), "x-user-id"))
	require.Nil(t, host.GetLocalResponse())
	host.CompleteHttp()
}

// endregion

// region: allowed

func testAllowed(t *testing.T) {
	host := startPlugin(t, authConfig)
	askAuthService(t, host)

	host.CallOnHttpCall([][2]string{{":status", "200"}, {"x-user-id", "u-42"}}, []byte(`{"ok":true}`))
	// Resumed, no local reply: the request goes on to the upstream.
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())
	request := host.GetRequestHeaders()
	require.Equal(t, "u-42", header(request, "x-user-id"))
	require.Equal(t, "Bearer good-token", header(request, "authorization"))
	host.CompleteHttp()
}

// endregion

// region: rejected

func testDenied(t *testing.T) {
	host := startPlugin(t, authConfig)
	askAuthService(t, host)

	host.CallOnHttpCall([][2]string{{":status", "401"}}, []byte("invalid token"))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	// A 403 whatever the service said; its status goes in the body.
	require.EqualValues(t, 403, reply.StatusCode)
	require.Equal(t, "denied by the auth service (status 401)\n", string(reply.Data))
	require.Equal(t, "text/plain; charset=utf-8", header(reply.Headers, "content-type"))
	require.Equal(t, "http-call.denied", reply.StatusCodeDetail)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.GetHttpStreamAction(), "a rejected request is never resumed")
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "auth service denied the request with 401")
	host.CompleteHttp()
}

func testUnavailable(t *testing.T, answer [][2]string, status string) {
	host := startPlugin(t, authConfig)
	askAuthService(t, host)

	host.CallOnHttpCall(answer, nil)
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 503, reply.StatusCode)
	require.Equal(t, "auth service unavailable\n", string(reply.Data))
	require.Equal(t, "http-call.unavailable", reply.StatusCodeDetail)
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.GetHttpStreamAction(), "a rejected request is never resumed")
	require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), "auth service unavailable ("+status+"); failing closed with 503")
	host.CompleteHttp()
}

// endregion

// region: fail-open

func testFailOpen(t *testing.T) {
	host := startPlugin(t, failOpenConfig)
	askAuthService(t, host)

	host.CallOnHttpCall([][2]string{{":status", "503"}}, nil)
	require.Equal(t, types.ActionContinue, host.GetHttpStreamAction())
	require.Nil(t, host.GetLocalResponse())
	require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), "auth service unavailable (status 503); failOpen: letting the request through unchecked")
	// Unchecked: no user id, and the forged one stays removed.
	require.False(t, test.HasHeader(host.GetRequestHeaders(), "x-user-id"))
	host.CompleteHttp()
}

// endregion

// region: config

func testConfigRejected(t *testing.T) {
	for config, message := range map[string]string{
		`{"path":"/verify"}`:                                 "serviceName: required",
		`{"serviceName":""}`:                                 "serviceName: required",
		`{"serviceName":"auth.static","servicePort":0}`:      "servicePort: 0 is not an integer from 1 to 65535",
		`{"serviceName":"auth.static","servicePort":"80"}`:   `servicePort: "80" is not an integer from 1 to 65535`,
		`{"serviceName":"auth.static","timeout":1.5}`:        "timeout: 1.5 is not an integer from 1 to 2147483647",
		`{"serviceName":"auth.static","path":"verify"}`:      `path: "verify" must start with /`,
		`{"serviceName":"auth.static","path":7}`:             "path: must be a string",
		`{"serviceName":"auth.static","userHeader":""}`:      "userHeader: must be a non-empty header name",
		`{"serviceName":"auth.static","failOpen":"true"}`:    "failOpen: must be true or false",
		`{"serviceName":"auth.static","userHeader":["x-a"]}`: "userHeader: must be a non-empty header name",
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
