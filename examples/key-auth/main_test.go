//go:build !wasm

// Unit tests for the key-auth plugin, written with the wasm-go test
// framework (github.com/higress-group/wasm-go/pkg/test). No gateway: the
// test host plays Envoy, and each test sets the route name and :authority
// the wrapper matches _rules_ entries against.
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

// The credentials of config.json's two consumers.
const (
	key1 = "2bda943c-ba2b-11ec-ba07-00163e1250b5" // consumer1
	key2 = "c8c8e9ca-558e-4a2d-bb62-e700dcc40e35" // consumer2
)

// consumers is config.json's top level without _rules_.
const consumers = `"consumers":[{"name":"consumer1","credential":"` + key1 + `"},{"name":"consumer2","credential":"` + key2 + `"}]`

// exampleConfig is examples/key-auth/config.json: route-a allows consumer1,
// route-b both, *.partner.example.com consumer2; other requests need no key.
var exampleConfig = json.RawMessage(`{` + consumers + `,
  "keys": ["x-api-key", "apikey"],
  "in_header": true,
  "in_query": true,
  "global_auth": false,
  "_rules_": [
    { "_match_route_": ["default/route-a"], "allow": ["consumer1"] },
    { "_match_route_": ["default/route-b"], "allow": ["consumer1", "consumer2"] },
    { "_match_domain_": ["*.partner.example.com"], "allow": ["consumer2"] }
  ]
}`)

// noRoute is a route name that no _rules_ entry lists.
const noRoute = "default/public"

// request is a bodyless GET as Envoy hands it to the plugin, with extra headers.
func request(authority, path string, extra ...[2]string) [][2]string {
	headers := [][2]string{{":authority", authority}, {":method", "GET"}, {":path", path}, {":scheme", "http"}}
	return append(headers, extra...)
}

// startPlugin starts the plugin with config and checks that it accepted it.
func startPlugin(t *testing.T, config json.RawMessage) test.TestHost {
	host, status := test.NewTestHost(config)
	t.Cleanup(host.Reset)
	require.Equal(t, types.OnPluginStartStatusOK, status)
	return host
}

// send runs the request headers through the plugin on route and returns
// the action; the stream stays open for the caller to inspect.
func send(t *testing.T, host test.TestHost, route string, headers [][2]string) types.Action {
	require.NoError(t, host.SetRouteName(route))
	return host.CallOnHttpRequestHeaders(headers)
}

// requirePassed checks that the request went on as consumer (none: "").
func requirePassed(t *testing.T, host test.TestHost, action types.Action, consumer string) {
	t.Helper()
	require.Equal(t, types.ActionContinue, action)
	require.Nil(t, host.GetLocalResponse())
	got, found := test.GetHeaderValue(host.GetRequestHeaders(), "x-mse-consumer")
	require.Equal(t, consumer != "", found, "x-mse-consumer present")
	require.Equal(t, consumer, got)
}

// requireDenied checks that the plugin answered the request itself.
func requireDenied(t *testing.T, host test.TestHost, action types.Action, status uint32, body, detail string) {
	t.Helper()
	require.Equal(t, types.HeaderStopAllIterationAndWatermark, action, "a denied request is never resumed")
	reply := host.GetLocalResponse()
	require.NotNil(t, reply)
	require.Equal(t, status, reply.StatusCode)
	require.Equal(t, body, string(reply.Data))
	require.Equal(t, "key-auth."+detail, reply.StatusCodeDetail)
	require.Equal(t, "text/plain; charset=utf-8", header(reply.Headers, "content-type"))
	// Only a 401 tells the client how to authenticate; retrying a 403 with the same key cannot help.
	challenge, found := test.GetHeaderValue(reply.Headers, "www-authenticate")
	require.Equal(t, status == 401, found, "www-authenticate present")
	if found {
		require.Equal(t, `Key realm="higress-wasm-lab"`, challenge)
	}
}

// header returns the value of a header, or "" when it is absent.
func header(headers [][2]string, name string) string {
	value, _ := test.GetHeaderValue(headers, name)
	return value
}

// endregion

// region: key-auth

// TestKeyAuth runs every case in one test.RunTest, so that the wasm mode
// compiles and starts the module once instead of per case.
func TestKeyAuth(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("route-a without a key gets 401", testNoKey)
		t.Run("route-a with an unknown key gets 401", testInvalidKey)
		t.Run("route-a with two keys gets 401", testMultipleKeys)
		t.Run("route-a lets consumer1 through", testAllowedConsumer)
		t.Run("route-a refuses consumer2 with 403", testRefusedConsumer)
		t.Run("route-b takes the key from the query string", testKeyInQuery)
		t.Run("the partner domain rule allows consumer2 only", testDomainRule)
		t.Run("the first matching rule wins", testFirstRuleWins)
		t.Run("no matching rule and global_auth false: no key needed", testNoRuleMatches)
		t.Run("without rules every request needs a key", testGlobalAuthByDefault)
		t.Run("invalid config is rejected", testConfigRejected)
	})
}

// endregion

// region: 401

func testNoKey(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := send(t, host, "default/route-a", request("example.com", "/orders"))
	requireDenied(t, host, action, 401, "No API key found in the request\n", "no_key")
	host.CompleteHttp()
}

func testInvalidKey(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := send(t, host, "default/route-a", request("example.com", "/orders", [2]string{"x-api-key", "not-a-real-key"}))
	requireDenied(t, host, action, 401, "Invalid API key\n", "invalid_key")
	host.CompleteHttp()
}

func testMultipleKeys(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	// One key in a header and one in the query string: which one counts is
	// ambiguous, so neither does, even when both are valid.
	action := send(t, host, "default/route-a", request("example.com", "/orders?apikey="+key1, [2]string{"x-api-key", key1}))
	requireDenied(t, host, action, 401, "More than one API key found in the request\n", "multiple_keys")
	host.CompleteHttp()
}

// endregion

// region: allowed

func testAllowedConsumer(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	// Only this plugin may name the consumer: a forged one is replaced.
	action := send(t, host, "default/route-a", request("example.com", "/orders", [2]string{"x-api-key", key1}, [2]string{"x-mse-consumer", "admin"}))
	requirePassed(t, host, action, "consumer1")
	host.CompleteHttp()
}

func testKeyInQuery(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := send(t, host, "default/route-b", request("example.com", "/orders?apikey="+key2))
	requirePassed(t, host, action, "consumer2")
	host.CompleteHttp()
}

func testNoRuleMatches(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := send(t, host, noRoute, request("example.com", "/public", [2]string{"x-mse-consumer", "admin"}))
	requirePassed(t, host, action, "") // and the forged consumer header is dropped
	host.CompleteHttp()
}

// endregion

// region: 403

func testRefusedConsumer(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := send(t, host, "default/route-a", request("example.com", "/orders", [2]string{"x-api-key", key2}))
	requireDenied(t, host, action, 403, "Consumer not allowed on this route\n", "unauthorized_consumer")
	require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "consumer consumer2 is not allowed here")
	host.CompleteHttp()
}

func testDomainRule(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	action := send(t, host, noRoute, request("api.partner.example.com", "/reports", [2]string{"x-api-key", key2}))
	requirePassed(t, host, action, "consumer2")
	host.CompleteHttp()

	action = send(t, host, noRoute, request("api.partner.example.com", "/reports", [2]string{"x-api-key", key1}))
	requireDenied(t, host, action, 403, "Consumer not allowed on this route\n", "unauthorized_consumer")
	host.CompleteHttp()
}

func testFirstRuleWins(t *testing.T) {
	host := startPlugin(t, exampleConfig)
	// route-a (consumer1 only) and the partner domain (consumer2) both
	// match; route-a's rule comes first, so consumer2 is refused.
	action := send(t, host, "default/route-a", request("api.partner.example.com", "/orders", [2]string{"x-api-key", key2}))
	requireDenied(t, host, action, 403, "Consumer not allowed on this route\n", "unauthorized_consumer")
	host.CompleteHttp()
}

// endregion

// region: global_auth

func testGlobalAuthByDefault(t *testing.T) {
	// No _rules_ and no global_auth: authenticate everywhere, any consumer.
	host := startPlugin(t, json.RawMessage(`{`+consumers+`,"keys":["X-Api-Key"]}`))
	requireDenied(t, host, send(t, host, noRoute, request("example.com", "/public")), 401, "No API key found in the request\n", "no_key")
	host.CompleteHttp()

	// Header names match in any case; in_query defaults to false.
	requirePassed(t, host, send(t, host, noRoute, request("example.com", "/public", [2]string{"x-api-key", key2})), "consumer2")
	host.CompleteHttp()
	requireDenied(t, host, send(t, host, noRoute, request("example.com", "/public?X-Api-Key="+key2)), 401, "No API key found in the request\n", "no_key")
	host.CompleteHttp()
}

// endregion

// region: config

// unknownConsumerRule allows a consumer the top level does not define.
const unknownConsumerRule = `{"_match_route_":["r"],"allow":["consumer3"]}`

func testConfigRejected(t *testing.T) {
	for config, message := range map[string]string{
		`{"keys":["x-api-key"]}`:                                 "invalid configuration: consumers: required, a list of {name, credential}",
		`{` + consumers + `}`:                                    "invalid configuration: keys: required, a list of header or query parameter names",
		`{` + consumers + `,"keys":[""]}`:                        `invalid configuration: keys[0]: "" is not a non-empty string`,
		`{` + consumers + `,"keys":["k"],"in_header":false}`:     "invalid configuration: in_header, in_query: at least one must be true",
		`{` + consumers + `,"keys":["k"],"in_query":"yes"}`:      "invalid configuration: in_query: must be true or false",
		`{` + consumers + `,"keys":["k"],"allow":["consumer1"]}`: "invalid configuration: allow: only a _rules_ entry can list allowed consumers",
		`{"consumers":[{"name":"a","credential":"k1"},{"name":"a","credential":"k2"}],"keys":["k"]}`: `invalid configuration: consumers[1].name: "a" is already used by another consumer`,
		`{"consumers":[{"name":"a","credential":"k1"},{"name":"b","credential":"k1"}],"keys":["k"]}`: "invalid configuration: consumers[1].credential: already used by another consumer",
		`{"consumers":[{"name":"a"}],"keys":["k"]}`:                                                  "invalid configuration: consumers[0].credential: required, a non-empty string",
		// A rule may only allow consumers defined at the top level (a bad
		// rule names itself in the log, as the README shows)...
		`{` + consumers + `,"keys":["k"],"_rules_":[` + unknownConsumerRule + `]}`: `invalid rule ` + unknownConsumerRule + `: allow[0]: "consumer3" is not the name of a consumer`,
		`{` + consumers + `,"keys":["k"],"_rules_":[{"_match_route_":["r"]}]}`:     "allow: required in a rule, a list of consumer names",
		// ...and with an invalid top level, the rules have none to allow.
		`{"keys":["k"],"_rules_":[{"_match_route_":["r"],"allow":["consumer1"]}]}`: "consumers: the top-level configuration has no valid consumers for this rule to allow",
	} {
		host, status := test.NewTestHost(json.RawMessage(config))
		// A gateway rejects (NACKs) a configuration the plugin fails to start with.
		require.Equal(t, types.OnPluginStartStatusFailed, status, config)
		errors := strings.Join(host.GetErrorLogs(), "\n")
		require.Contains(t, errors, message, config)
		require.Contains(t, errors, "plugin start failed", config)
		host.Reset()
	}
}

// endregion
