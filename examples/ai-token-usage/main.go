// Command ai-token-usage is a Higress Wasm plugin that counts the tokens of
// OpenAI-compatible chat completions passing through the gateway and keeps a
// token budget per consumer per minute in Redis.
//
// Before a request goes upstream the plugin reads what the consumer has spent
// this minute and answers 429 once the budget is used up. When the response
// ends it reads the "usage" object the model reports (the last SSE event of a
// stream, or the whole JSON body of a non-streamed reply), logs it, returns it
// to the client as the trailer x-token-usage, and charges it with INCRBY.
//
// A stream's chunks do not follow its SSE events: an event can be split across
// two chunks. This plugin keeps the unfinished tail of each chunk and reads
// only complete events; examples/ai-token-usage-naive shows what happens
// without that.
package main

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/log"
	"github.com/higress-group/wasm-go/pkg/wrapper"
	"github.com/tidwall/gjson"
	"github.com/tidwall/resp"
)

const (
	defaultRedisPort      = 6379
	defaultTimeoutMs      = 1000
	defaultConsumerHeader = "x-mse-consumer"
	anonymous             = "anonymous" // the consumer of a request without the consumer header
	windowSeconds         = 60

	// Every key starts with the plugin's name, so it cannot collide with
	// other users of the same Redis.
	keyPrefix = "ai-token-usage:"

	// The response trailer that tells the client what the request cost.
	usageTrailer = "x-token-usage"

	// Keys for per-request values shared between callbacks.
	ctxConsumer = "consumer"
	ctxKey      = "budgetKey"
	ctxUsage    = "usage"
	ctxLimited  = "limited"
)

// region: registration

// Registration happens in init(): a wasip1 c-shared (reactor) module runs
// init() from _initialize, but never calls main(). Registering a streaming
// response handler makes every response body stream through it, unless
// onHttpResponseHeaders asks for the whole body with BufferResponseBody.
func init() {
	wrapper.SetCtx[TokenUsageConfig](
		"ai-token-usage",
		wrapper.ParseConfig(parseConfig),
		wrapper.ProcessRequestHeaders(onHttpRequestHeaders),
		wrapper.ProcessResponseHeaders(onHttpResponseHeaders),
		wrapper.ProcessStreamingResponseBody(onStreamingResponseBody),
		wrapper.ProcessResponseBody(onResponseBody),
	)
}

// main must exist because this is package main, but it is never called.
func main() {}

// endregion

// region: config

// TokenUsageConfig is the parsed plugin configuration.
type TokenUsageConfig struct {
	redisServiceName string
	redisPort        int
	username         string
	password         string
	timeoutMs        int
	tokensPerMinute  int
	consumerHeader   string
	client           wrapper.RedisClient
}

// endregion

// region: parseConfig

// parseConfig validates the configuration and sets up the Redis client.
// Returning an error makes the plugin fail to start with this config.
func parseConfig(json gjson.Result, config *TokenUsageConfig) error {
	if err := parseFields(json, config); err != nil {
		log.Errorf("invalid configuration: %v", err)
		return err
	}
	cluster := wrapper.FQDNCluster{FQDN: config.redisServiceName, Port: int64(config.redisPort)}
	config.client = wrapper.NewRedisClusterClient(cluster)
	// The cluster name must match an upstream cluster of the gateway exactly.
	log.Infof("using redis cluster %s, %d tokens per minute per consumer (header %s)",
		cluster.ClusterName(), config.tokensPerMinute, config.consumerHeader)
	// If the host rejects the cluster, Init only logs a warning and returns
	// nil; the client retries before each command.
	return config.client.Init(config.username, config.password, int64(config.timeoutMs))
}

// parseFields reads and checks every field. Types are checked strictly:
// "tokensPerMinute": "100" or 2.5 is an error, not silently converted.
func parseFields(json gjson.Result, config *TokenUsageConfig) error {
	name := json.Get("redisServiceName")
	if name.Type != gjson.String || name.Str == "" {
		return errors.New(`redisServiceName: required, a non-empty string like "redis.static"`)
	}
	config.redisServiceName = name.Str

	var ok bool
	if config.redisPort, ok = intField(json, "redisPort", defaultRedisPort, 1, 65535); !ok {
		return errors.New("redisPort: must be an integer between 1 and 65535")
	}
	if config.timeoutMs, ok = intField(json, "timeout", defaultTimeoutMs, 1, math.MaxInt32); !ok {
		return errors.New("timeout: must be an integer >= 1 (milliseconds)")
	}
	// No default: an absent tokensPerMinute reads as 0 and fails the minimum.
	if config.tokensPerMinute, ok = intField(json, "tokensPerMinute", 0, 1, math.MaxInt32); !ok || config.tokensPerMinute < 1 {
		return errors.New("tokensPerMinute: required, an integer >= 1")
	}
	if config.username, ok = stringField(json, "username"); !ok {
		return errors.New("username: must be a string")
	}
	if config.password, ok = stringField(json, "password"); !ok {
		return errors.New("password: must be a string")
	}
	config.consumerHeader = defaultConsumerHeader
	if header := json.Get("consumerHeader"); header.Exists() {
		if header.Type != gjson.String || strings.TrimSpace(header.Str) == "" {
			return errors.New("consumerHeader: must be a non-empty string (a request header name)")
		}
		// Envoy hands the plugin lower-case header names.
		config.consumerHeader = strings.ToLower(strings.TrimSpace(header.Str))
	}
	return nil
}

// intField returns the integer at key, or def when the key is absent.
// ok is false when the value is not a whole JSON number in [lo, hi].
func intField(json gjson.Result, key string, def, lo, hi int) (value int, ok bool) {
	v := json.Get(key)
	if !v.Exists() {
		return def, true
	}
	if v.Type != gjson.Number || v.Num != math.Trunc(v.Num) ||
		v.Num < float64(lo) || v.Num > float64(hi) {
		return 0, false
	}
	return int(v.Num), true
}

// stringField returns the string at key, or "" when the key is absent.
// ok is false when the value is present but not a JSON string.
func stringField(json gjson.Result, key string) (value string, ok bool) {
	v := json.Get(key)
	if !v.Exists() {
		return "", true
	}
	if v.Type != gjson.String {
		return "", false
	}
	return v.Str, true
}

// endregion

// region: onHttpRequestHeaders

// onHttpRequestHeaders reads what the consumer has spent this minute and
// holds the request until Redis answers.
func onHttpRequestHeaders(ctx wrapper.HttpContext, config TokenUsageConfig) types.Action {
	consumer, err := proxywasm.GetHttpRequestHeader(config.consumerHeader)
	if err != nil || consumer == "" {
		consumer = anonymous
	}
	// One counter per consumer per minute; <unix minute> is Unix time / 60.
	// The response is charged to this key too, even if it ends a minute later.
	key := keyPrefix + consumer + ":" + strconv.FormatInt(time.Now().Unix()/windowSeconds, 10)
	ctx.SetContext(ctxConsumer, consumer)
	ctx.SetContext(ctxKey, key)

	err = config.client.Get(key, func(response resp.Value) {
		onBudgetReply(ctx, config, consumer, response)
	})
	if err != nil {
		// Fail open: a broken Redis should not take the API down.
		log.Warnf("redis get %s failed, letting the request through: %v", key, err)
		return types.HeaderContinue
	}
	// Hold headers AND body (the chat request is a POST) until the callback
	// resumes or rejects.
	return types.HeaderStopAllIterationAndWatermark
}

// endregion

// region: onBudgetReply

// onBudgetReply lets the request go on while the consumer has tokens left
// this minute, and answers 429 itself once they are spent.
func onBudgetReply(ctx wrapper.HttpContext, config TokenUsageConfig, consumer string, response resp.Value) {
	if err := response.Error(); err != nil {
		log.Warnf("redis get error, letting the request through: %v", err)
		resumeRequest()
		return
	}
	// A missing key (nil) is a minute with nothing spent yet: 0.
	spent := response.Integer()
	if spent < config.tokensPerMinute {
		resumeRequest()
		return
	}
	log.Infof("consumer %s has spent %d of %d tokens this minute", consumer, spent, config.tokensPerMinute)
	// Mark the stream first: our own 429 also passes through the response
	// callbacks, and it has no usage to count.
	ctx.SetContext(ctxLimited, true)
	headers := [][2]string{{"content-type", "application/json"}}
	// -1: no explicit gRPC status; this is a plain HTTP reply.
	if err := proxywasm.SendHttpResponse(429, headers, budgetSpentBody(consumer, config.tokensPerMinute), -1); err != nil {
		// Never leave a held request hanging.
		log.Errorf("failed to send 429, letting the request through: %v", err)
		ctx.SetContext(ctxLimited, false)
		resumeRequest()
	}
}

// budgetSpentBody is the JSON body of the 429, e.g.
// {"error":"token budget spent","consumer":"alice","limit":100}.
func budgetSpentBody(consumer string, limit int) []byte {
	body, _ := json.Marshal(struct {
		Error    string `json:"error"`
		Consumer string `json:"consumer"`
		Limit    int    `json:"limit"`
	}{"token budget spent", consumer, limit})
	return body
}

// resumeRequest releases a request held by onHttpRequestHeaders.
func resumeRequest() {
	if err := proxywasm.ResumeHttpRequest(); err != nil {
		log.Warnf("failed to resume request: %v", err)
	}
}

// endregion

// region: onHttpResponseHeaders

// onHttpResponseHeaders picks how the body is read: a stream of server-sent
// events chunk by chunk, anything else as one whole body.
func onHttpResponseHeaders(ctx wrapper.HttpContext, config TokenUsageConfig) types.Action {
	if ctx.GetBoolContext(ctxLimited, false) {
		// Our own 429: nothing was spent, nothing to read.
		ctx.DontReadResponseBody()
		return types.HeaderContinue
	}
	if encoding, _ := proxywasm.GetHttpResponseHeader("content-encoding"); encoding != "" {
		// The wrapper does not hand a compressed body to the plugin: say so
		// rather than count nothing in silence.
		log.Warnf("reply is %s-encoded, so its token usage is not read; remove accept-encoding from AI requests to count it", encoding)
		return types.HeaderContinue
	}
	contentType, _ := proxywasm.GetHttpResponseHeader("content-type")
	if !strings.Contains(strings.ToLower(contentType), "text/event-stream") {
		// A non-streamed completion: the usage is in the JSON body, which
		// onResponseBody gets whole once the response has ended.
		ctx.BufferResponseBody()
	}
	// Streaming is the default, as a streaming handler is registered.
	return types.HeaderContinue
}

// endregion

// region: streaming

const (
	// ctxPending holds the text after the last complete event of the chunks
	// seen so far: the start of an event the next chunk finishes.
	ctxPending = "ssePending"
	// maxPendingBytes bounds that text, in case the body never ends an event.
	maxPendingBytes = 1 << 20
)

// onStreamingResponseBody reads the SSE events of a streamed completion as
// they pass, and reports the usage when the stream ends. The client gets
// every chunk unchanged and at once.
func onStreamingResponseBody(ctx wrapper.HttpContext, config TokenUsageConfig, chunk []byte, isLastChunk bool) []byte {
	pending, _ := ctx.GetContext(ctxPending).(string)
	events, pending := splitEvents(pending, chunk, isLastChunk)
	if len(pending) > maxPendingBytes {
		log.Warnf("dropping %d bytes that end no SSE event", len(pending))
		pending = ""
	}
	ctx.SetContext(ctxPending, pending)
	for _, event := range events {
		if usage, ok := usageOfEvent(event); ok {
			ctx.SetContext(ctxUsage, usage)
		}
	}
	if isLastChunk {
		reportUsage(ctx, config)
	}
	return chunk
}

// splitEvents appends chunk to the text pending from earlier chunks and cuts
// it into complete events, which end with a blank line ("\n\n"). It returns
// them and the unfinished rest, to be kept for the next chunk. At the end of
// the stream the rest is an event too, even without its blank line.
func splitEvents(pending string, chunk []byte, atEnd bool) (events []string, rest string) {
	text := strings.ReplaceAll(pending+string(chunk), "\r\n", "\n")
	events = strings.Split(text, "\n\n")
	rest = events[len(events)-1]
	events = events[:len(events)-1]
	if atEnd && strings.TrimSpace(rest) != "" {
		events = append(events, rest)
		rest = ""
	}
	return events, rest
}

// endregion

// region: usage

// tokenUsage is the "usage" object of an OpenAI-compatible completion.
type tokenUsage struct {
	prompt, completion, total int
}

// usageOfEvent reads one SSE event. Its data lines, joined, are a JSON chunk
// of the completion, or [DONE] after the last one. ok is true for the chunk
// that carries "usage", sent last when the request asks for
// stream_options.include_usage.
func usageOfEvent(event string) (usage tokenUsage, ok bool) {
	var data []string
	for _, line := range strings.Split(event, "\n") {
		if value, found := strings.CutPrefix(line, "data:"); found {
			data = append(data, strings.TrimPrefix(value, " "))
		}
	}
	if len(data) == 0 {
		return tokenUsage{}, false // a comment, or an event with no data
	}
	payload := strings.Join(data, "\n")
	if payload == "[DONE]" {
		return tokenUsage{}, false
	}
	if !gjson.Valid(payload) {
		log.Warnf("skipping SSE data that is not JSON: %.80q", payload)
		return tokenUsage{}, false
	}
	return usageOf(gjson.Parse(payload))
}

// usageOf reads the "usage" object of a completion or of a streamed chunk.
func usageOf(completion gjson.Result) (tokenUsage, bool) {
	usage := completion.Get("usage")
	if !usage.IsObject() {
		return tokenUsage{}, false // absent, or null in the chunks before the last
	}
	u := tokenUsage{
		prompt:     int(usage.Get("prompt_tokens").Int()),
		completion: int(usage.Get("completion_tokens").Int()),
		total:      int(usage.Get("total_tokens").Int()),
	}
	if !usage.Get("total_tokens").Exists() {
		u.total = u.prompt + u.completion
	}
	return u, true
}

// endregion

// region: buffered

// onResponseBody reads the usage of a non-streamed completion from its whole
// JSON body, which the wrapper collects before calling it.
func onResponseBody(ctx wrapper.HttpContext, config TokenUsageConfig, body []byte) types.Action {
	if gjson.ValidBytes(body) {
		if usage, ok := usageOf(gjson.ParseBytes(body)); ok {
			ctx.SetContext(ctxUsage, usage)
		}
	} else {
		log.Warnf("response body is not JSON, counting no tokens")
	}
	reportUsage(ctx, config)
	return types.ActionContinue
}

// endregion

// region: report

// reportUsage runs once, at the end of the response: it logs the usage, adds
// it as a response trailer and charges it to the consumer's budget. A
// response without usage counts 0 tokens.
func reportUsage(ctx wrapper.HttpContext, config TokenUsageConfig) {
	usage, _ := ctx.GetContext(ctxUsage).(tokenUsage)
	consumer := ctx.GetStringContext(ctxConsumer, anonymous)
	log.Infof("token usage: consumer=%s prompt=%d completion=%d total=%d",
		consumer, usage.prompt, usage.completion, usage.total)
	// Trailers can only be added while the last body chunk passes, which is now.
	if err := proxywasm.AddHttpResponseTrailer(usageTrailer, strconv.Itoa(usage.total)); err != nil {
		log.Warnf("failed to add response trailer %s: %v", usageTrailer, err)
	}
	charge(config, ctx.GetStringContext(ctxKey, ""), usage.total)
}

// endregion

// region: charge

// charge adds tokens to the consumer's counter for the minute and keeps the
// key for windowSeconds. Fire and forget: the response does not wait, and a
// failure is only logged. Both commands are sent at once, in order, so they
// run in order; the EXPIRE is repeated on every charge of the minute.
func charge(config TokenUsageConfig, key string, tokens int) {
	if key == "" || tokens <= 0 {
		return
	}
	err := config.client.IncrBy(key, tokens, func(response resp.Value) {
		if err := response.Error(); err != nil {
			log.Warnf("redis incrby %s error, %d tokens not charged: %v", key, tokens, err)
		}
	})
	if err != nil {
		log.Warnf("redis incrby %s failed, %d tokens not charged: %v", key, tokens, err)
		return
	}
	err = config.client.Expire(key, windowSeconds, func(response resp.Value) {
		if err := response.Error(); err != nil {
			log.Warnf("redis expire %s error: %v", key, err)
		}
	})
	if err != nil {
		log.Warnf("redis expire %s failed: %v", key, err)
	}
}

// endregion
