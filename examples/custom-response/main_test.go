//go:build !wasm

// Unit tests for the custom-response plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway and no
// upstream: the test host plays Envoy, and each test hands the plugin the
// upstream's response headers itself.
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

// exampleConfig is examples/custom-response/config.json: upstream 5xx
// replaced by a JSON 503, and the route mock-orders answered by a mock.
var exampleConfig = json.RawMessage(`{
  "enable_on_status": ["5xx"],
  "status_code": 503,
  "headers": ["retry-after=30"],
  "body": "{\"error\":\"the service is busy, please retry in 30 seconds\"}",
  "_rules_": [
    {
      "_match_route_": ["mock-orders"],
      "headers": ["x-mock=custom-response"],
      "body": "{\"orders\":[{\"id\":42,\"state\":\"shipped\"}]}"
    }
  ]
}`)

// getRequest is a bodyless GET of path as Envoy hands it to the plugin.
func getRequest(path string) [][2]string {
	return [][2]string{{":authority", "example.com"}, {":method", "GET"}, {":path", path}, {":scheme", "http"}}
}

// upstreamReply is the response headers of an upstream answer with status.
func upstreamReply(status string) [][2]string {
	return [][2]string{{":status", status}, {"content-type", "text/html"}}
}

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

// region: custom-response

// TestCustomResponse runs every case in one test.RunTest, so that the wasm
// mode compiles and starts the module once instead of per case.
func TestCustomResponse(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("the mock-orders rule answers without the upstream", testMockRoute)
		t.Run("an upstream 200 or 404 passes untouched", testUpstreamPasses)
		t.Run("an upstream 502 is replaced by the JSON 503", testUpstreamErrorReplaced)
		t.Run("status patterns match numbers, 50x in any case and exact strings", testStatusPatterns)
		t.Run("a mock without a body gets no content-type", testMockWithoutBody)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: mock

func testMockRoute(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	require.NoError(t, host.SetRouteName("mock-orders"))

	// No enable_on_status in the rule: the plugin answers the request itself.
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(getRequest("/orders")))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 200, reply.StatusCode, "the rule sets no status_code: 200")
	require.Equal(t, `{"orders":[{"id":42,"state":"shipped"}]}`, string(reply.Data))
	require.Equal(t, "custom-response", header(reply.Headers, "x-mock"))
	require.Equal(t, "application/json; charset=utf-8", header(reply.Headers, "content-type"), "a JSON body is labelled JSON")
	require.False(t, test.HasHeader(reply.Headers, "retry-after"), "a rule inherits nothing from the top level")
	require.Equal(t, "custom-response.mock", reply.StatusCodeDetail)

	// Envoy runs the response callbacks on a local reply too (the test host
	// does not, so the test calls them): the mock passes unchanged.
	local := [][2]string{{":status", "200"}, {"x-mock", "custom-response"}, {"content-type", "application/json; charset=utf-8"}}
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(local))
	require.Equal(t, local, host.GetResponseHeaders())
	host.CompleteHttp()
}

func testMockWithoutBody(t *testing.T) {
	// Header names are lower-cased, values trimmed.
	host := startPlugin(t, json.RawMessage(`{"status_code":204,"headers":["X-Custom= yes"]}`))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(getRequest("/anything")))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 204, reply.StatusCode)
	require.Empty(t, reply.Data)
	require.Equal(t, [][2]string{{"x-custom", "yes"}}, reply.Headers)
	host.CompleteHttp()
}

// endregion

// region: on status

func testUpstreamPasses(t *testing.T) {
	host := startPlugin(t, exampleConfig)

	// The default route uses the top level, whose enable_on_status is ["5xx"].
	for _, status := range []string{"200", "404"} {
		require.Equal(t, types.ActionContinue, host.CallOnHttpRequestHeaders(getRequest("/status/"+status)), status)
		require.Nil(t, host.GetLocalResponse(), status)
		require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(upstreamReply(status)), status)
		require.Nil(t, host.GetLocalResponse(), status)
		require.Equal(t, upstreamReply(status), host.GetResponseHeaders(), status)
		host.CompleteHttp()
	}
}

func testUpstreamErrorReplaced(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	require.Equal(t, types.ActionContinue, host.CallOnHttpRequestHeaders(getRequest("/get")))

	// 502 matches "5xx": the plugin replaces the upstream's error page.
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpResponseHeaders(upstreamReply("502")))
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.EqualValues(t, 503, reply.StatusCode)
	require.Equal(t, `{"error":"the service is busy, please retry in 30 seconds"}`, string(reply.Data))
	require.Equal(t, "30", header(reply.Headers, "retry-after"))
	require.Equal(t, "application/json; charset=utf-8", header(reply.Headers, "content-type"))
	require.Equal(t, "custom-response.on_status_502", reply.StatusCodeDetail)
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "replacing the upstream's 502 response")

	// Envoy runs the response callbacks on the plugin's own 503 as well:
	// it matches "5xx" too, but must not be replaced again.
	local := [][2]string{{":status", "503"}, {"retry-after", "30"}, {"content-type", "application/json; charset=utf-8"}}
	require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders(local))
	require.Equal(t, 1, strings.Count(strings.Join(host.GetInfoLogs(), "\n"), "replacing the upstream's"), "replaced once")
	host.CompleteHttp()
}

func testStatusPatterns(t *testing.T) {
	host := startPlugin(t, json.RawMessage(`{"enable_on_status":[404,"50X","429"],"status_code":502,"body":"upstream trouble"}`))
	for status, replaced := range map[string]bool{
		"404": true, "405": false, "429": true, "500": true, "503": true, "510": false, "200": false,
	} {
		host.CallOnHttpRequestHeaders(getRequest("/status/" + status))
		host.CallOnHttpResponseHeaders(upstreamReply(status))
		reply := host.GetLocalResponse()
		if !replaced {
			require.Nil(t, reply, status)
			host.CompleteHttp()
			continue
		}
		require.NotNil(t, reply, status)
		require.EqualValues(t, 502, reply.StatusCode, status)
		require.Equal(t, "upstream trouble", string(reply.Data), status)
		require.Equal(t, "text/plain; charset=utf-8", header(reply.Headers, "content-type"), "a body that is not JSON is labelled text")
		host.CompleteHttp()
	}
}

// endregion

// region: config

func testConfigRejected(t *testing.T) {
	for config, message := range map[string]string{
		`{"status_code":199}`:                                    "status_code: 199 is not an HTTP status; use an integer from 200 to 599",
		`{"status_code":600}`:                                    "status_code: 600 is not an HTTP status",
		`{"status_code":"200"}`:                                  `status_code: "200" is not an HTTP status`,
		`{"status_code":200.5}`:                                  "status_code: 200.5 is not an HTTP status",
		`{"body":{"a":1}}`:                                       "body: must be a string",
		`{"headers":"x-a=1"}`:                                    `headers: must be a list of "name=value" strings`,
		`{"headers":["x-a"]}`:                                    `headers[0]: "x-a" is not "name=value"`,
		`{"headers":["x-a=1","=2"]}`:                             `headers[1]: "=2" is not "name=value"`,
		`{"headers":["x a=1"]}`:                                  `headers[0]: "x a=1" is not "name=value"`,
		`{"enable_on_status":"5xx"}`:                             `enable_on_status: must be a list of statuses like 404, "40x" or "5xx"`,
		`{"enable_on_status":["4x4"]}`:                           `enable_on_status[0]: "4x4" is not a status like 404, "40x" or "5xx"`,
		`{"enable_on_status":[500,600]}`:                         `enable_on_status[1]: 600 is not a status like 404, "40x" or "5xx"`,
		`{"enable_on_status":[true]}`:                            `enable_on_status[0]: true is not a status like 404, "40x" or "5xx"`,
		`{"_rules_":[{"_match_route_":["r"],"status_code":99}]}`: "status_code: 99 is not an HTTP status",
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
