package main

// A lean proxy-wasm host on wazero: just what hello-world and redis-limiter call, with host
// functions on wazero's stack-based api.GoModuleFunc. It is here because pkg/test's emulator
// measures mostly itself: its host functions go through reflection, every copy into the guest
// looks proxy_on_memory_allocate up again (a new call engine each time), and the guest never
// gets proxy_on_delete, so its heap (and wazero's memory copy on every grow) keeps growing.
// This host shows what the engine costs; pkg/test shows what a wasm-go user's tests cost.

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// proxy-wasm values this host uses (spec ABI 0.2.1; buffer 9 is Higress's Redis reply).
const (
	rootID              = 1
	statusOK            = 0
	statusNotFound      = 1
	statusUnimplemented = 12
	mapRequestHeaders   = 0
	mapResponseHeaders  = 2
	bufferResponseBody  = 1
	bufferVMConfig      = 6
	bufferPluginConfig  = 7
	bufferRedisReply    = 9
	logInfo             = 2 // bench/cases.ts runs at logLevel info: lower levels are dropped
)

type stream struct {
	id                        uint64
	request, response         [][2]string
	isContinued, isLocalReply bool
}

type redisCall struct {
	id    uint32
	query []byte
}

type wazeroHost struct {
	ctx      context.Context
	runtime  wazero.Runtime
	mod      api.Module
	exports  map[string]api.Function
	stack    []uint64 // reused for every guest call: CallWithStack does not allocate
	config   []byte
	stream   *stream // the one request in flight (requests run one after another)
	nextID   uint64
	buffer   []byte // the buffer the current callback may read (redis reply, response body)
	pending  []redisCall
	nextCall uint32
	logLines int
}

// startWazero compiles and instantiates the plugin, then runs vm_start and configure as our
// harness does (vm.ts).
func startWazero(wasm []byte, config string) (peerHost, error) {
	ctx := context.Background()
	h := &wazeroHost{ctx: ctx, runtime: wazero.NewRuntime(ctx), exports: map[string]api.Function{}, stack: make([]uint64, 8), config: []byte(config), nextID: rootID + 1, nextCall: 1}
	wasi_snapshot_preview1.MustInstantiate(ctx, h.runtime)
	compiled, err := h.runtime.CompileModule(ctx, wasm)
	if err != nil {
		return nil, err
	}
	env := h.runtime.NewHostModuleBuilder("env")
	implemented := h.hostFunctions()
	for _, def := range compiled.ImportedFunctions() {
		if module, name, _ := def.Import(); module == "env" {
			fn, ok := implemented[name]
			if !ok {
				fn = func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = statusUnimplemented }
			}
			env.NewFunctionBuilder().WithGoModuleFunction(fn, def.ParamTypes(), def.ResultTypes()).Export(name)
		}
	}
	if _, err := env.Instantiate(ctx); err != nil {
		return nil, err
	}
	h.mod, err = h.runtime.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithStartFunctions("_initialize").WithStderr(os.Stderr))
	if err != nil {
		return nil, err
	}
	for name := range h.mod.ExportedFunctionDefinitions() {
		h.exports[name] = h.mod.ExportedFunction(name)
	}
	if _, err := h.call("proxy_on_context_create", rootID, 0); err != nil {
		return nil, err
	}
	if ok, err := h.call("proxy_on_vm_start", rootID, 0); err != nil || ok == 0 {
		return nil, fmt.Errorf("proxy_on_vm_start failed: %v", err)
	}
	if ok, err := h.call("proxy_on_configure", rootID, uint64(len(h.config))); err != nil || ok == 0 {
		return nil, fmt.Errorf("the plugin rejected its configuration %s (%v)", config, err)
	}
	return h, nil
}

func (h *wazeroHost) close() { _ = h.runtime.Close(h.ctx) }

// call runs one guest export and returns its first result (0 when it has none).
func (h *wazeroHost) call(name string, args ...uint64) (uint64, error) {
	copy(h.stack, args)
	if err := h.exports[name].CallWithStack(h.ctx, h.stack); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return h.stack[0], nil
}

// oneRequest: the steps of a request through our harness's Gateway (stream.ts), in its order.
func (h *wazeroHost) oneRequest(redis *miniRedis) (time.Duration, error) {
	s := &stream{id: h.nextID, request: append([][2]string(nil), requestHeaders...)}
	h.nextID++
	h.stream = s
	var inGuest time.Duration
	var err error
	timed := func(name string, args ...uint64) uint64 {
		if err != nil {
			return 0
		}
		t := time.Now()
		var result uint64
		result, err = h.call(name, args...)
		inGuest += time.Since(t)
		return result
	}
	timed("proxy_on_context_create", s.id, rootID)
	if timed("proxy_on_request_headers", s.id, uint64(len(s.request)), 1) == 0 {
		s.isContinued = true
	}
	for err == nil && len(h.pending) > 0 {
		next := h.pending[0]
		h.pending = h.pending[1:]
		if h.buffer, err = redis.do(next.query); err == nil {
			timed("proxy_on_redis_call_response", rootID, uint64(next.id), 0, uint64(len(h.buffer)))
		}
	}
	if err == nil && (!s.isContinued || s.isLocalReply) {
		err = fmt.Errorf("the request did not pass; the bench measures the happy path")
	}
	s.response = append([][2]string(nil), responseHeaders...)
	h.buffer = responseBody
	timed("proxy_on_response_headers", s.id, uint64(len(s.response)), 0)
	timed("proxy_on_response_body", s.id, uint64(len(responseBody)), 1)
	timed("proxy_on_log", s.id)
	timed("proxy_on_done", s.id)
	timed("proxy_on_delete", s.id)
	h.buffer = nil
	return inGuest, err
}

// hostFunctions: the proxy-wasm imports the two plugins use; any other import answers Unimplemented.
func (h *wazeroHost) hostFunctions() map[string]api.GoModuleFunc {
	u32 := func(stack []uint64, i int) uint32 { return uint32(stack[i]) }
	read := func(m api.Module, ptr, size uint32) []byte {
		b, _ := m.Memory().Read(ptr, size)
		return b
	}
	return map[string]api.GoModuleFunc{
		"proxy_log": func(_ context.Context, m api.Module, stack []uint64) {
			if u32(stack, 0) >= logInfo {
				h.logLines++ // our harness keeps the line in the outcome; counting stands in for that
			}
			stack[0] = statusOK
		},
		"proxy_get_property": func(_ context.Context, m api.Module, stack []uint64) {
			value, ok := h.property(string(read(m, u32(stack, 0), u32(stack, 1))))
			stack[0] = h.reply(m, value, ok, u32(stack, 2), u32(stack, 3))
		},
		"proxy_set_property": func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = statusOK },
		"proxy_get_buffer_bytes": func(_ context.Context, m api.Module, stack []uint64) {
			var buf []byte
			switch u32(stack, 0) {
			case bufferPluginConfig:
				buf = h.config
			case bufferRedisReply, bufferResponseBody:
				buf = h.buffer
			case bufferVMConfig:
			default:
				stack[0] = statusNotFound
				return
			}
			start, limit := min(u32(stack, 1), uint32(len(buf))), u32(stack, 2)
			buf = buf[start:]
			buf = buf[:min(uint32(len(buf)), limit)]
			stack[0] = h.reply(m, buf, len(buf) > 0, u32(stack, 3), u32(stack, 4))
		},
		"proxy_get_header_map_pairs": func(_ context.Context, m api.Module, stack []uint64) {
			pairs, ok := h.headerMap(u32(stack, 0))
			stack[0] = h.reply(m, serializePairs(*pairs), ok, u32(stack, 1), u32(stack, 2))
		},
		"proxy_get_header_map_value": func(_ context.Context, m api.Module, stack []uint64) {
			pairs, _ := h.headerMap(u32(stack, 0))
			key := strings.ToLower(string(read(m, u32(stack, 1), u32(stack, 2))))
			for _, p := range *pairs {
				if p[0] == key {
					stack[0] = h.reply(m, []byte(p[1]), true, u32(stack, 3), u32(stack, 4))
					return
				}
			}
			stack[0] = statusNotFound
		},
		"proxy_add_header_map_value": func(_ context.Context, m api.Module, stack []uint64) {
			pairs, _ := h.headerMap(u32(stack, 0))
			*pairs = append(*pairs, [2]string{strings.ToLower(string(read(m, u32(stack, 1), u32(stack, 2)))), string(read(m, u32(stack, 3), u32(stack, 4)))})
			stack[0] = statusOK
		},
		"proxy_replace_header_map_value": func(_ context.Context, m api.Module, stack []uint64) {
			pairs, _ := h.headerMap(u32(stack, 0))
			key, value := strings.ToLower(string(read(m, u32(stack, 1), u32(stack, 2)))), string(read(m, u32(stack, 3), u32(stack, 4)))
			*pairs = removePair(*pairs, key)
			*pairs = append(*pairs, [2]string{key, value})
			stack[0] = statusOK
		},
		"proxy_remove_header_map_value": func(_ context.Context, m api.Module, stack []uint64) {
			pairs, _ := h.headerMap(u32(stack, 0))
			*pairs = removePair(*pairs, strings.ToLower(string(read(m, u32(stack, 1), u32(stack, 2)))))
			stack[0] = statusOK
		},
		"proxy_continue_stream": func(_ context.Context, _ api.Module, stack []uint64) {
			h.stream.isContinued = true
			stack[0] = statusOK
		},
		"proxy_send_local_response": func(_ context.Context, _ api.Module, stack []uint64) {
			h.stream.isLocalReply = true
			stack[0] = statusOK
		},
		"proxy_redis_init": func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = statusOK },
		"proxy_redis_call": func(_ context.Context, m api.Module, stack []uint64) {
			id := h.nextCall
			h.nextCall++
			h.pending = append(h.pending, redisCall{id: id, query: append([]byte(nil), read(m, u32(stack, 2), u32(stack, 3))...)})
			m.Memory().WriteUint32Le(u32(stack, 4), id)
			stack[0] = statusOK
		},
		"proxy_set_effective_context":        func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = statusOK },
		"proxy_set_tick_period_milliseconds": func(_ context.Context, _ api.Module, stack []uint64) { stack[0] = statusOK },
	}
}

// property: what our harness answers for the paths these plugins read (run.ts, scenario.ts
// defaults); wasm-go reads route_name and cluster_name on every request.
func (h *wazeroHost) property(path string) ([]byte, bool) {
	switch path {
	case "route_name":
		return []byte("default-route"), true
	case "cluster_name":
		return []byte("outbound|80||httpbin.default.svc.cluster.local"), true
	case "plugin_name":
		return []byte("plugin"), true
	}
	return nil, false
}

func (h *wazeroHost) headerMap(mapType uint32) (*[][2]string, bool) {
	switch mapType {
	case mapRequestHeaders:
		return &h.stream.request, true
	case mapResponseHeaders:
		return &h.stream.response, true
	}
	empty := [][2]string{}
	return &empty, false
}

// reply copies a value into guest memory it allocates (proxy_on_memory_allocate) and writes its
// address and size where the guest asked; an empty value is written as (0, 0).
func (h *wazeroHost) reply(m api.Module, value []byte, ok bool, ptrOut, sizeOut uint32) uint64 {
	if !ok {
		return statusNotFound
	}
	var ptr uint32
	if len(value) > 0 {
		// A separate stack: the caller's is the host function's, still in use.
		stack := []uint64{uint64(len(value))}
		if err := h.exports["proxy_on_memory_allocate"].CallWithStack(h.ctx, stack); err != nil {
			panic(err)
		}
		ptr = uint32(stack[0])
		m.Memory().Write(ptr, value)
	}
	m.Memory().WriteUint32Le(ptrOut, ptr)
	m.Memory().WriteUint32Le(sizeOut, uint32(len(value)))
	return statusOK
}

// serializePairs: proxy-wasm's map encoding (count, then key and value sizes, then each
// NUL-terminated key and value).
func serializePairs(pairs [][2]string) []byte {
	size := 4
	for _, p := range pairs {
		size += 8 + len(p[0]) + len(p[1]) + 2
	}
	out := make([]byte, 4, size)
	binary.LittleEndian.PutUint32(out, uint32(len(pairs)))
	for _, p := range pairs {
		out = binary.LittleEndian.AppendUint32(out, uint32(len(p[0])))
		out = binary.LittleEndian.AppendUint32(out, uint32(len(p[1])))
	}
	for _, p := range pairs {
		out = append(append(append(append(out, p[0]...), 0), p[1]...), 0)
	}
	return out
}

func removePair(pairs [][2]string, key string) [][2]string {
	out := pairs[:0]
	for _, p := range pairs {
		if p[0] != key {
			out = append(out, p)
		}
	}
	return out
}
