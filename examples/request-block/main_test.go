//go:build !wasm

// Unit tests for the request-block plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway and no
// upstream: the test host plays Envoy, and each test hands the plugin the
// request headers and body itself.
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

// exampleConfig is examples/request-block/config.json: case-insensitive.
var exampleConfig = json.RawMessage(`{
  "block_urls": ["/admin", "swagger"],
  "block_exact_urls": ["/.env"],
  "block_regexp_urls": ["/\\.(git|svn)(/|$)"],
  "block_headers": ["sqlmap", "nikto"],
  "block_bodies": ["drop table", "<script"],
  "blocked_code": 403,
  "blocked_message": "Request blocked by the gateway",
  "case_sensitive": false
}`)

// request is a request as Envoy hands it to the plugin, with extra headers.
func request(method, path string, extra ...[2]string) [][2]string {
	headers := [][2]string{{":authority", "example.com"}, {":method", method}, {":path", path}, {":scheme", "http"}}
	return append(headers, extra...)
}

// jsonBody is the content-type header of a POST with a JSON body.
var jsonBody = [2]string{"content-type", "application/json"}

// startPlugin starts the plugin with config and checks that it accepted it.
func startPlugin(t *testing.T, config json.RawMessage) test.TestHost {
	host, status := test.NewTestHost(config)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// requireBlocked checks the plugin's reply to a blocked request and the
// rule it logged.
func requireBlocked(t *testing.T, host test.TestHost, status uint32, message, kind, rule string) {
	t.Helper()
	reply := host.GetLocalResponse()
	require.NotNil(t, reply, rule)
	require.Equal(t, status, reply.StatusCode, rule)
	require.Equal(t, message, string(reply.Data), rule)
	require.Equal(t, "text/plain; charset=utf-8", header(reply.Headers, "content-type"), rule)
	require.Equal(t, "request-block."+kind, reply.StatusCodeDetail, rule)
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "blocked by "+rule)
}

// header returns the value of a header, or "" when it is absent.
func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion

// region: request-block

// TestRequestBlock runs every case in one test.RunTest, so that the wasm
// mode compiles and starts the module once instead of per case.
func TestRequestBlock(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("URL rules block by substring, whole path and regexp", testURLRules)
		t.Run("a header value with a blocked word is blocked", testHeaderRule)
		t.Run("a body with a blocked word is blocked before the upstream sees it", testBodyRule)
		t.Run("the whole body is checked, across chunks", testBodyAcrossChunks)
		t.Run("an allowed POST goes on with its body", testAllowedBody)
		t.Run("a request without a body is not held", testNoBody)
		t.Run("case_sensitive defaults to true, the reply to 403 request blocked", testDefaults)
		t.Run("blocked_code and blocked_message make the reply", testCustomReply)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: url and headers

func testURLRules(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	for path, rule := range map[string]string{
		"/ADMIN/users":      "block_urls /admin", // case_sensitive is false
		"/docs?ui=Swagger":  "block_urls swagger",
		"/.env":             "block_exact_urls /.env",
		"/repo/.git/config": `block_regexp_urls (?i)/\.(git|svn)(/|$)`,
		"/repo/.SVN":        `block_regexp_urls (?i)/\.(git|svn)(/|$)`,
	} {
		action := host.CallOnHttpRequestHeaders(request("GET", path))
		require.Equal(t, types.HeaderStopAllIterationAndWatermark, action, "a blocked request is never resumed")
		requireBlocked(t, host, 403, "Request blocked by the gateway", "url", rule)
		host.CompleteHttp()
	}

	// Exact and regexp rules are exact; block_urls are substrings.
	for path, blocked := range map[string]bool{
		"/.env.example":           false,
		"/.env?x=1":               false, // the query string counts: not the whole path
		"/repo/.github/workflows": false,
		"/administration":         true, // contains /admin
	} {
		host.CallOnHttpRequestHeaders(request("GET", path))
		require.Equal(t, blocked, host.GetLocalResponse() != nil, path)
		host.CompleteHttp()
	}
}

func testHeaderRule(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := host.CallOnHttpRequestHeaders(request("GET", "/get", [2]string{"user-agent", "sqlmap/1.7.2"}))
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, action)
	requireBlocked(t, host, 403, "Request blocked by the gateway", "header", "block_headers sqlmap")
	host.CompleteHttp()

	// Headers are matched as "name: value", and case-insensitively here.
	host.CallOnHttpRequestHeaders(request("GET", "/get", [2]string{"x-scanner", "Nikto"}))
	requireBlocked(t, host, 403, "Request blocked by the gateway", "header", "block_headers nikto")
	host.CompleteHttp()
}

// endregion

// region: body

func testBodyRule(t *testing.T) {
	host := startPlugin(t, exampleConfig)

	// With block_bodies set, the headers are held until the body is checked.
	require.Equal(t, types.HeaderStopIteration, host.CallOnHttpRequestHeaders(request("POST", "/comments", jsonBody)))
	require.Nil(t, host.GetLocalResponse())

	action := host.CallOnHttpRequestBody([]byte(`{"comment":"hi'; DROP TABLE users; --"}`))
	require.Equal(t, types.DataStopIterationNoBuffer, action, "the held headers are never released")
	requireBlocked(t, host, 403, "Request blocked by the gateway", "body", "block_bodies drop table")
	host.CompleteHttp()
}

func testBodyAcrossChunks(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	require.Equal(t, types.HeaderStopIteration, host.CallOnHttpRequestHeaders(request("POST", "/comments", jsonBody)))

	// The wrapper buffers until the last chunk, so a word split between
	// chunks is still found.
	require.Equal(t, types.ActionPause, host.CallOnHttpStreamingRequestBody([]byte(`{"comment":"<scr`), false))
	require.Nil(t, host.GetLocalResponse())
	require.Equal(t, types.DataStopIterationNoBuffer, host.CallOnHttpStreamingRequestBody([]byte(`ipt>alert(1)</script>"}`), true))
	requireBlocked(t, host, 403, "Request blocked by the gateway", "body", "block_bodies <script")
	host.CompleteHttp()
}

func testAllowedBody(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	body := `{"comment":"nice post"}`
	headers := request("POST", "/comments", jsonBody, [2]string{"user-agent", "curl/8.5.0"})
	require.Equal(t, types.HeaderStopIteration, host.CallOnHttpRequestHeaders(headers))

	// Continue releases the held headers together with the body, unchanged.
	require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte(body)))
	require.Nil(t, host.GetLocalResponse())
	require.Equal(t, body, string(host.GetRequestBody()))
	host.CompleteHttp()
}

func testNoBody(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	// test.TestHost always says more is coming after the headers; a GET that
	// ends with its headers needs the emulator's own call.
	id := host.InitializeHttpContext()
	action := host.CallOnRequestHeaders(id, request("GET", "/get"), true)
	require.Equal(t, types.ActionContinue, action, "HeaderStopIteration here would hang the request")
	require.Nil(t, host.GetSentLocalResponse(id))
	host.CompleteHttpContext(id)
}

// endregion

// region: config

func testDefaults(t *testing.T) {
	host := startPlugin(t, json.RawMessage(`{"block_urls":["/admin"]}`))
	require.Equal(t, types.ActionContinue, host.CallOnHttpRequestHeaders(request("GET", "/ADMIN")))
	require.Nil(t, host.GetLocalResponse(), "matching is case-sensitive by default")
	host.CompleteHttp()

	require.Equal(t, types.HeaderStopAllIterationAndWatermark, host.CallOnHttpRequestHeaders(request("GET", "/admin")))
	requireBlocked(t, host, 403, "request blocked", "url", "block_urls /admin")
	host.CompleteHttp()

	// Without block_bodies, a request with a body is not held: the wrapper
	// is told not to read bodies at all.
	require.Equal(t, types.ActionContinue, host.CallOnHttpRequestHeaders(request("POST", "/comments", jsonBody)))
	require.Equal(t, types.ActionContinue, host.CallOnHttpRequestBody([]byte("drop table")))
	require.Nil(t, host.GetLocalResponse())
	host.CompleteHttp()
}

func testCustomReply(t *testing.T) {
	// "name: value" pins one header; Envoy hands the plugin lower-case names.
	host := startPlugin(t, json.RawMessage(`{"block_headers":["x-debug: 1"],"blocked_code":429,"blocked_message":"Slow down"}`))
	host.CallOnHttpRequestHeaders(request("GET", "/get", [2]string{"X-Debug", "1"}))
	requireBlocked(t, host, 429, "Slow down", "header", "block_headers x-debug: 1")
	host.CompleteHttp()

	host.CallOnHttpRequestHeaders(request("GET", "/get", [2]string{"x-debug", "0"}))
	require.Nil(t, host.GetLocalResponse())
	host.CompleteHttp()
}

func testConfigRejected(t *testing.T) {
	for config, message := range map[string]string{
		`{}`:                                                  "no block rule: set at least one of block_urls, block_exact_urls, block_regexp_urls, block_headers or block_bodies",
		`{"block_urls":[]}`:                                   "no block rule",
		`{"block_urls":"/a"}`:                                 "block_urls: must be a list of strings",
		`{"block_urls":[""]}`:                                 `block_urls[0]: "" is not a non-empty string`,
		`{"block_bodies":["x",1]}`:                            "block_bodies[1]: 1 is not a non-empty string",
		`{"block_regexp_urls":["(admin"]}`:                    "block_regexp_urls[0]: error parsing regexp: missing closing ): `(admin`",
		`{"block_urls":["/a"],"blocked_code":700}`:            "blocked_code: 700 is not an HTTP status; use an integer from 200 to 599",
		`{"block_urls":["/a"],"blocked_code":"403"}`:          `blocked_code: "403" is not an HTTP status`,
		`{"block_urls":["/a"],"blocked_message":403}`:         "blocked_message: must be a string",
		`{"block_urls":["/a"],"case_sensitive":"false"}`:      "case_sensitive: must be true or false",
		`{"block_regexp_urls":["\\S+"],"case_sensitive":1}`:   "case_sensitive: must be true or false",
		`{"block_headers":["a"],"block_exact_urls":[null]}`:   "block_exact_urls[0]: null is not a non-empty string",
		`{"block_regexp_urls":["a{2,1}"],"blocked_code":403}`: "block_regexp_urls[0]: error parsing regexp: invalid repeat count",
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
