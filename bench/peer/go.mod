module github.com/higress-wasm-lab/bench/peer

go 1.25.0

require (
	github.com/higress-group/proxy-wasm-go-sdk v0.0.0-20250822030947-8345453fddd0
	github.com/higress-group/wasm-go v1.0.6-0.20251103065747-41d65dbb2f9e
	github.com/tetratelabs/wazero v1.12.0
	github.com/tidwall/resp v0.1.1
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/stretchr/testify v1.9.0 // indirect
	golang.org/x/sys v0.44.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
