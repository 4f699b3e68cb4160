//go:build !wasm

// Unit tests for the blank plugin with the wasm-go test framework
// (github.com/higress-group/wasm-go/pkg/test): the test host plays Envoy.
// test.RunTest runs each body natively and against the plugin built to wasm.
package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/stretchr/testify/require"
)

func TestBlank(t *testing.T) {
	test.RunTest(t, func(t *testing.T) {
		t.Run("requests pass and responses get x-plugin", func(t *testing.T) {
			host, status := test.NewTestHost(json.RawMessage(`{"tag":"mine"}`))
			defer host.Reset()
			require.Equal(t, types.OnPluginStartStatusOK, status)

			action := host.CallOnHttpRequestHeaders([][2]string{{":authority", "example.com"}, {":method", "GET"}, {":path", "/get"}, {":scheme", "http"}})
			require.Equal(t, types.ActionContinue, action)
			require.Contains(t, strings.Join(host.GetInfoLogs(), "\n"), "request GET /get")

			require.Equal(t, types.ActionContinue, host.CallOnHttpResponseHeaders([][2]string{{":status", "200"}}))
			value, _ := test.GetHeaderValue(host.GetResponseHeaders(), "x-plugin")
			require.Equal(t, "mine", value)
			host.CompleteHttp()
		})
		t.Run("a tag that is not a string is rejected", func(t *testing.T) {
			host, status := test.NewTestHost(json.RawMessage(`{"tag":1}`))
			defer host.Reset()
			require.Equal(t, types.OnPluginStartStatusFailed, status)
			require.Contains(t, strings.Join(host.GetWarnLogs(), "\n"), "tag: must be a string")
		})
	})
}
