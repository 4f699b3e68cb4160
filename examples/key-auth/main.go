// Command key-auth is a Higress Wasm plugin that authenticates requests by an
// API key taken from a header or a query parameter, and authorizes the
// consumer that owns the key per route or domain. It follows the official
// key-auth plugin: consumers are configured once at the top level, and each
// _rules_ entry only lists the consumers allowed where it matches.
package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
)

const (
	// The header that tells the upstream who the caller is.
	consumerHeader = "x-mse-consumer"
	challenge      = `Key realm="higress-wasm-lab"`
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main(). ParseOverrideConfig takes
// two parsers: one for the top-level config and one for each _rules_ entry,
// which receives the parsed top-level config to inherit from.
func init() {
	wrapper.SetCtx[KeyAuthConfig](
		"key-auth",
		wrapper.ParseOverrideConfig(parseGlobalConfig, parseRuleConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// KeyAuthConfig is the configuration one request runs with: the top-level
// config, or a _rules_ entry that copied it and added allow.
type KeyAuthConfig struct {
	keys     []string // header or query parameter names that may carry the key
	inHeader bool
	inQuery  bool
	// credential → consumer name, shared by the top level and every rule.
	consumers map[string]string
	// Whether a request that matches no rule must still carry a valid key.
	globalAuth bool
	// Consumers allowed where this rule matches; nil in the top-level config.
	allow map[string]bool
}

// endregion

// region: parseGlobalConfig

// parseGlobalConfig parses the top-level keys. The wrapper calls it with the
// whole JSON, _rules_ included, and only when there is some top-level key.
func parseGlobalConfig(json gjson.Result, config *KeyAuthConfig) error {
	if err := parseGlobalFields(json, config); err != nil {
		// Log it: when _rules_ exist, the wrapper does not fail on this error
		// itself; the rules then find no consumers and fail instead.
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	return nil
}

func parseGlobalFields(json gjson.Result, config *KeyAuthConfig) error {
	if json.Get("allow").Exists() {
		return errors.New("allow: only a _rules_ entry can list allowed consumers")
	}
	var err error
	if config.consumers, err = parseConsumers(json.Get("consumers")); err != nil {
		return err
	}
	keys := json.Get("keys")
	if !keys.IsArray() || len(keys.Array()) == 0 {
		return errors.New("keys: required, a list of header or query parameter names")
	}
	for i, key := range keys.Array() {
		if key.Type != gjson.String || key.Str == "" {
			return fmt.Errorf("keys[%d]: %s is not a non-empty string", i, key.Raw)
		}
		config.keys = append(config.keys, key.Str)
	}
	if config.inHeader, err = boolField(json, "in_header", true); err != nil {
		return err
	}
	if config.inQuery, err = boolField(json, "in_query", false); err != nil {
		return err
	}
	if !config.inHeader && !config.inQuery {
		return errors.New("in_header, in_query: at least one must be true, or no key can ever be found")
	}
	// Unset global_auth: authenticate everywhere when there are no rules,
	// and only where a rule matches when there are.
	config.globalAuth, err = boolField(json, "global_auth", !json.Get("_rules_").Exists())
	return err
}

// parseConsumers reads [{name, credential}] into credential → name.
func parseConsumers(v gjson.Result) (map[string]string, error) {
	if !v.IsArray() || len(v.Array()) == 0 {
		return nil, errors.New("consumers: required, a list of {name, credential}")
	}
	consumers := map[string]string{}
	names := map[string]bool{}
	for i, c := range v.Array() {
		name, credential := c.Get("name"), c.Get("credential")
		if name.Type != gjson.String || name.Str == "" {
			return nil, fmt.Errorf("consumers[%d].name: required, a non-empty string", i)
		}
		if credential.Type != gjson.String || credential.Str == "" {
			return nil, fmt.Errorf("consumers[%d].credential: required, a non-empty string", i)
		}
		if names[name.Str] {
			return nil, fmt.Errorf("consumers[%d].name: %q is already used by another consumer", i, name.Str)
		}
		if _, taken := consumers[credential.Str]; taken {
			return nil, fmt.Errorf("consumers[%d].credential: already used by another consumer", i)
		}
		names[name.Str] = true
		consumers[credential.Str] = name.Str
	}
	return consumers, nil
}

// boolField returns the boolean at key, or def when the key is absent.
func boolField(json gjson.Result, key string, def bool) (bool, error) {
	v := json.Get(key)
	if !v.Exists() {
		return def, nil
	}
	if !v.IsBool() {
		return false, fmt.Errorf("%s: must be true or false", key)
	}
	return v.Bool(), nil
}

// endregion

// region: parseRuleConfig

// parseRuleConfig parses one _rules_ entry. global is the parsed top-level
// config: the rule inherits its keys and consumers and adds allow.
func parseRuleConfig(json gjson.Result, global KeyAuthConfig, config *KeyAuthConfig) error {
	if err := parseRuleFields(json, global, config); err != nil {
		log.Errorf("invalid rule %s: %v", json.Raw, err)
		return err
	}
	return nil
}

func parseRuleFields(json gjson.Result, global KeyAuthConfig, config *KeyAuthConfig) error {
	if len(global.consumers) == 0 {
		return errors.New("consumers: the top-level configuration has no valid consumers for this rule to allow")
	}
	*config = global
	allow := json.Get("allow")
	if !allow.IsArray() || len(allow.Array()) == 0 {
		return errors.New("allow: required in a rule, a list of consumer names")
	}
	known := map[string]bool{}
	for _, name := range global.consumers {
		known[name] = true
	}
	config.allow = map[string]bool{}
	for i, name := range allow.Array() {
		if name.Type != gjson.String || !known[name.Str] {
			return fmt.Errorf("allow[%d]: %s is not the name of a consumer", i, name.Raw)
		}
		config.allow[name.Str] = true
	}
	return nil
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders runs with the config of the first matching rule, or
// the top-level config when no rule matches.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config KeyAuthConfig) types.Action {
	// Only this plugin may say who the consumer is: drop what the client sent.
	if err := proxywasm.RemoveHttpRequestHeader(consumerHeader); err != nil {
		log.Warnf("failed to remove %s: %v", consumerHeader, err)
	}
	isRule := config.allow != nil
	if !isRule && !config.globalAuth {
		// No rule matched and global_auth is false: no authentication here.
		return types.HeaderContinue
	}
	keys := findKeys(ctx, config)
	switch {
	case len(keys) == 0:
		return deny(401, "no_key", "No API key found in the request\n")
	case len(keys) > 1:
		return deny(401, "multiple_keys", "More than one API key found in the request\n")
	}
	consumer, ok := config.consumers[keys[0]]
	if !ok {
		return deny(401, "invalid_key", "Invalid API key\n")
	}
	if isRule && !config.allow[consumer] {
		log.Infof("consumer %s is not allowed here", consumer)
		return deny(403, "unauthorized_consumer", "Consumer not allowed on this route\n")
	}
	if err := proxywasm.ReplaceHttpRequestHeader(consumerHeader, consumer); err != nil {
		log.Warnf("failed to set %s: %v", consumerHeader, err)
	}
	return types.HeaderContinue
}

// findKeys returns every key value the request carries under the configured
// names, from the headers and/or the query string.
func findKeys(ctx wrapper.HttpContext, config KeyAuthConfig) []string {
	var found []string
	if config.inHeader {
		for _, name := range config.keys {
			if v, err := proxywasm.GetHttpRequestHeader(strings.ToLower(name)); err == nil && v != "" {
				found = append(found, v)
			}
		}
	}
	if config.inQuery {
		_, rawQuery, _ := strings.Cut(ctx.Path(), "?")
		query, _ := url.ParseQuery(rawQuery) // keeps what parses; a bad pair is skipped
		for _, name := range config.keys {
			for _, v := range query[name] {
				if v != "" {
					found = append(found, v)
				}
			}
		}
	}
	return found
}

// endregion

// region: deny

// deny answers the request. A 401 carries WWW-Authenticate, which tells the
// client how to authenticate (RFC 9110 §11.6.1); a 403 means the key is valid
// but its consumer may not use this route, so retrying with it cannot help.
func deny(status uint32, detail, message string) types.Action {
	headers := [][2]string{{"content-type", "text/plain; charset=utf-8"}}
	if status == 401 {
		headers = append(headers, [2]string{"www-authenticate", challenge})
	}
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	err := proxywasm.SendHttpResponseWithDetail(status, "key-auth."+detail, headers, []byte(message), -1)
	if err != nil {
		// Still stop: a held request is safer than an unauthenticated one.
		log.Errorf("failed to send the %d reply: %v", status, err)
	}
	// The local reply ends the stream; never resume after it.
	return types.HeaderStopAllIterationAndWatermark
}

// endregion
