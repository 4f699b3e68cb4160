// Command peer is the other side of `npm run bench`'s side-by-side: it runs a compiled Higress
// plugin (public/wasm/<name>.wasm, the very file our harness runs) on wazero, through one of two
// hosts, and prints one JSON object: cold start, time inside guest calls per request (p50/p90),
// CPU per request and peak RSS of this process.
//
//   - -host pkgtest: wasm-go's own unit-test host, pkg/test in its wasm mode (proxy-wasm-go-sdk's
//     proxytest emulator on wazero), what a wasm-go user's `go test` runs.
//   - -host wazero: a lean host on the same wazero (wazero_host.go), what the engine itself costs.
//
// Per request both take the steps that bench/cases.ts's hello-world and redis-limiter cases take
// in our harness.
//
// wazero is required at a current version (go.mod): wasm-go's pkg/test pins v1.7.2, whose
// compiler breaks Go >= 1.24 plugins after a couple of thousand requests (the guest's Go runtime
// dies with a "freeIndex" fatal error, tetratelabs/wazero#2375): with v1.7.2, the limiter
// crashes at request 1,943 through either host here, so a 10,000-request run cannot finish.
//
//	go run . -host wazero -wasm ../../public/wasm/hello-world.wasm -config '{"headerName":"x-hello"}'
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/proxytest"
	"github.com/higress-group/proxy-wasm-go-sdk/proxywasm/types"
	"github.com/higress-group/wasm-go/pkg/test"
	"github.com/tidwall/resp"
)

// The request and upstream reply of bench/cases.ts's scenarios: `GET /get` to example.com,
// answered by the mock upstream's default 200 with {"ok":true}.
var (
	requestHeaders  = [][2]string{{":authority", "example.com"}, {":path", "/get"}, {":method", "GET"}, {":scheme", "http"}}
	responseHeaders = [][2]string{{":status", "200"}, {"content-type", "application/json"}}
	responseBody    = []byte(`{"ok":true}`)
)

// peerHost is a started plugin that takes requests one after another.
type peerHost interface {
	// oneRequest runs one request to its end and returns the time spent in guest calls.
	oneRequest(redis *miniRedis) (time.Duration, error)
	close()
}

type result struct {
	Host            string  `json:"host"`
	Wazero          string  `json:"wazero"`
	Requests        int     `json:"requests"`
	Warmup          int     `json:"warmup"`
	ColdStartMs     float64 `json:"coldStartMs"`
	PluginUsP50     float64 `json:"pluginUsP50"`
	PluginUsP90     float64 `json:"pluginUsP90"`
	CPUUsPerRequest float64 `json:"cpuUsPerRequest"`
	// CPU per request over the second half of the requests, and of cold start and all requests.
	SteadyCPUUsPerRequest float64 `json:"steadyCpuUsPerRequest"`
	TotalCPUMs            float64 `json:"totalCpuMs"`
	PeakRssMb             float64 `json:"peakRssMb"`
	Note                  string  `json:"note"`
}

func main() {
	host := flag.String("host", "wazero", "pkgtest (wasm-go's pkg/test) or wazero (the lean host)")
	wasmPath := flag.String("wasm", "", "the plugin's .wasm file")
	config := flag.String("config", "{}", "the plugin configuration (JSON)")
	requests := flag.Int("requests", 10000, "requests to send")
	warmup := flag.Int("warmup", 200, "first requests left out of the plugin-time percentiles")
	flag.Parse()
	if err := run(*host, *wasmPath, *config, *requests, *warmup); err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}

func run(hostName, wasmPath, config string, requests, warmup int) error {
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return err
	}
	start := map[string]func([]byte, string) (peerHost, error){"pkgtest": startPkgTest, "wazero": startWazero}[hostName]
	if start == nil {
		return fmt.Errorf("-host %q: use pkgtest or wazero", hostName)
	}
	// Cold start: compile, instantiate (runs _initialize), create the root context, configure.
	started := time.Now()
	coldCPUBefore := cpuTime()
	host, err := start(wasm, config)
	if err != nil {
		return fmt.Errorf("starting %s: %w", wasmPath, err)
	}
	defer host.close()
	coldStartMs := float64(time.Since(started).Microseconds()) / 1000
	coldStartCPU := cpuTime() - coldCPUBefore

	redis := &miniRedis{counters: map[string]int{}}
	pluginUs := make([]float64, 0, requests)
	cpuBefore := cpuTime()
	var cpuHalfway time.Duration
	for i := 0; i < requests; i++ {
		if i == requests/2 {
			cpuHalfway = cpuTime()
		}
		inGuest, err := host.oneRequest(redis)
		if err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		pluginUs = append(pluginUs, float64(inGuest.Nanoseconds())/1000)
	}
	cpuAfter := cpuTime()
	cpu := cpuAfter - cpuBefore

	var usage syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	counted := pluginUs[min(warmup, len(pluginUs)-1):]
	slices.Sort(counted)
	return json.NewEncoder(os.Stdout).Encode(result{
		Host:            hostName,
		Wazero:          moduleVersion("github.com/tetratelabs/wazero"),
		Requests:        requests,
		Warmup:          warmup,
		ColdStartMs:     coldStartMs,
		PluginUsP50:     percentile(counted, 50),
		PluginUsP90:     percentile(counted, 90),
		CPUUsPerRequest: float64(cpu.Microseconds()) / float64(requests),
		// The second half of the requests alone, as bench/harness-one.ts measures it.
		SteadyCPUUsPerRequest: float64((cpuAfter - cpuHalfway).Microseconds()) / float64(requests-requests/2),
		TotalCPUMs:            float64((coldStartCPU + cpu).Microseconds()) / 1000,
		PeakRssMb:             float64(usage.Maxrss) / 1024, // Linux reports ru_maxrss in KiB
		Note:                  "wasm-go's pkg/test pins wazero v1.7.2, whose compiler crashes Go >= 1.24 plugins after ~2,000 requests (a Go runtime \"freeIndex\" fatal error, wazero#2375); this peer uses a current wazero",
	})
}

// pkgTestHost drives wasm-go's pkg/test TestHost through the proxytest HostEmulator it embeds,
// whose calls take the end-of-stream flags our harness passes (TestHost's own helpers pass false).
type pkgTestHost struct {
	host test.TestHost
	vm   proxytest.WasmVMContext
}

func startPkgTest(wasm []byte, config string) (peerHost, error) {
	// proxytest prints every proxy_log line and every Redis callout through the standard logger;
	// our harness keeps log lines in its outcomes but prints nothing while it runs. With
	// io.Discard the logger returns before formatting; proxytest still keeps the lines.
	log.SetOutput(io.Discard)
	vm, err := proxytest.NewWasmVMContext(wasm)
	if err != nil {
		return nil, err
	}
	// test.RunWasmTest would hand pkg/test the VM through a *testing.T; outside `go test`,
	// NewTestHost takes the process's VM context when it has none of its own, so set that.
	// (NewTestHost configures the plugin without proxy_on_vm_start, as in wasm-go's tests.)
	proxywasm.SetVMContext(vm)
	host, status := test.NewTestHost(json.RawMessage(config))
	if status != types.OnPluginStartStatusOK {
		vm.Close()
		return nil, fmt.Errorf("the plugin rejected its configuration %s", config)
	}
	return &pkgTestHost{host: host, vm: vm}, nil
}

func (p *pkgTestHost) close() { p.vm.Close() }

// oneRequest: context, request headers (a GET: end of stream), Redis replies until none is
// pending, response headers, response body, end of stream. Unlike our harness, proxytest never
// passes proxy_on_done or proxy_on_delete to the guest (CompleteHttpContext calls proxy_on_log,
// then forgets the context on the host side only), and keeps each stream's state all run long.
func (p *pkgTestHost) oneRequest(redis *miniRedis) (time.Duration, error) {
	host := p.host
	var inGuest time.Duration
	timed := func(call func()) {
		t := time.Now()
		call()
		inGuest += time.Since(t)
	}
	var id uint32
	timed(func() { id = host.InitializeHttpContext() })
	timed(func() { host.CallOnRequestHeaders(id, requestHeaders, true) })
	// The limiter holds the request until INCR (and, once per minute, EXPIRE) is answered. The
	// command runs here, between guest calls, as our harness runs it outside the plugin's time.
	for {
		pending := host.GetRedisCalloutAttributesFromContext(id)
		if len(pending) == 0 {
			break
		}
		reply, err := redis.do(pending[0].Query)
		if err != nil {
			return 0, err
		}
		timed(func() { host.CallOnRedisCallResponse(pending[0].CalloutID, 0, reply) })
	}
	if host.GetSentLocalResponse(id) != nil || host.GetCurrentHttpStreamAction(id) != types.ActionContinue {
		return 0, fmt.Errorf("the request did not pass; the bench measures the happy path")
	}
	timed(func() { host.CallOnResponseHeaders(id, responseHeaders, false) })
	timed(func() { host.CallOnResponseBody(id, responseBody, true) })
	timed(func() { host.CompleteHttpContext(id) })
	return inGuest, nil
}

// miniRedis answers the commands the limiter sends (INCR, EXPIRE) from a map, like the embedded
// engine our harness uses; expiry is not enforced, a run lasts well under a minute.
type miniRedis struct{ counters map[string]int }

func (r *miniRedis) do(query []byte) ([]byte, error) {
	value, _, err := resp.NewReader(bytes.NewReader(query)).ReadValue()
	if err != nil {
		return nil, fmt.Errorf("reading a Redis command: %w", err)
	}
	words := value.Array()
	if len(words) < 2 {
		return nil, fmt.Errorf("unexpected Redis command %q", query)
	}
	key := words[1].String()
	switch strings.ToUpper(words[0].String()) {
	case "INCR":
		r.counters[key]++
		return []byte(":" + strconv.Itoa(r.counters[key]) + "\r\n"), nil
	case "EXPIRE":
		return []byte(":1\r\n"), nil
	}
	return nil, fmt.Errorf("the bench's Redis answers INCR and EXPIRE only, not %q", words[0].String())
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// percentile of sorted values, picked as bench/harness.ts picks it.
func percentile(sorted []float64, p int) float64 {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// moduleVersion is the version of a dependency as built into this binary, e.g. "v1.12.0".
func moduleVersion(path string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, m := range info.Deps {
			if m.Path == path {
				if m.Replace != nil {
					return m.Replace.Version
				}
				return m.Version
			}
		}
	}
	return "unknown"
}
