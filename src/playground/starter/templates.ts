/**
 * Text templates for a starter project's local gateway (docker-compose.yaml, envoy.yaml), Makefile
 * and README.md. The gateway setup follows reference/higress-sdk.md §10 and examples/redis-limiter/;
 * the deploy files (image, WasmPlugin, local Higress) are in higress.ts.
 */
import { ALL_IN_ONE_VERSION, imageFor, localPluginPath, LOCAL_ROUTE, type ServiceSource } from './higress.ts';

/** The gateway image tag; 2.1.5 is the first Higress gateway that loads Go 1.24 wasip1 plugins (higress-sdk.md §11). */
export const GATEWAY_VERSION = 'v2.1.5';

/** Higress's Envoy, as the Higress docs' local-debugging setup runs it (higress-sdk.md §10.1). */
export const GATEWAY_IMAGE = `higress-registry.cn-hangzhou.cr.aliyuncs.com/higress/gateway:${GATEWAY_VERSION}`;

/**
 * Redis's fixed address on the compose network. The cluster in envoy.yaml is STATIC because the
 * plugin's client starts while DNS may not be ready yet (higress-sdk.md §10.5).
 */
export const REDIS_IP = '172.20.0.100';

/** The Envoy cluster a plugin reaches Redis through, as FQDNCluster names it. */
export interface RedisCluster {
  /** The full Envoy cluster name, e.g. `outbound|6379||redis.static`. */
  name: string;
  /** The service name from the config, e.g. `redis.static`. */
  fqdn: string;
  /** The port in the cluster name. */
  port: number;
}

/** What the compose and Envoy templates need to know about the plugin. */
export interface GatewayTemplateInput {
  /** The plugin's name: the example folder, used as the filter name. */
  example: string;
  /** The plugin configuration as one line of JSON. */
  configJson: string;
  /** The Redis cluster the config names, if any; adds a Redis service and a STATIC cluster. */
  redis?: RedisCluster | undefined;
}

/** Renders docker-compose.yaml: the gateway, httpbin as the upstream, and Redis when the config names one. */
export function renderDockerCompose(input: GatewayTemplateInput): string {
  const { example, redis } = input;
  const lines = [
    `# Local gateway for the ${example} plugin: Higress's Envoy (≥ 2.1.5 loads Go 1.24 plugins)${redis ? ',' : ' and'}`,
    redis ? '# Redis at a fixed address for the static cluster in envoy.yaml, and httpbin as the upstream.' : '# httpbin as the upstream.',
    '# Build main.wasm first: make build',
    'services:',
    '  envoy:',
    `    image: ${GATEWAY_IMAGE}`,
    '    entrypoint: /usr/local/bin/envoy',
    '    command: -c /etc/envoy/envoy.yaml --component-log-level wasm:debug',
    `    depends_on: [${redis ? 'httpbin, redis' : 'httpbin'}]`,
    '    networks: [wasmtest]',
    '    ports:',
    '      - "10000:10000"',
    '      - "9901:9901"',
    '    volumes:',
    '      - ./envoy.yaml:/etc/envoy/envoy.yaml',
    '      - ./main.wasm:/etc/envoy/main.wasm',
    '  httpbin:',
    '    image: kennethreitz/httpbin:latest',
    '    networks: [wasmtest]',
    '    ports:',
    '      - "12345:80"',
  ];
  if (redis) {
    lines.push(
      '  redis:',
      '    image: redis:7-alpine',
      '    networks:',
      '      wasmtest:',
      `        ipv4_address: ${REDIS_IP}`,
      'networks:',
      '  wasmtest:',
      '    ipam:',
      '      config:',
      `        - subnet: ${REDIS_IP.replace(/\.\d+$/, '.0')}/24`,
    );
  } else {
    lines.push('networks:', '  wasmtest: {}');
  }
  return `${lines.join('\n')}\n`;
}

/** Renders envoy.yaml: one listener on :10000 through the wasm filter (loading /etc/envoy/main.wasm) to httpbin. */
export function renderEnvoyYaml(input: GatewayTemplateInput): string {
  const { example, configJson, redis } = input;
  const header = redis
    ? [
        `# Envoy configuration for docker-compose.yaml. The Redis cluster's name must be exactly what the`,
        `# plugin computes from its config: FQDNCluster{FQDN: "${redis.fqdn}", Port: ${redis.port}} → ${redis.name}.`,
      ]
    : [
        `# Envoy configuration for docker-compose.yaml: every request goes through the ${example} plugin`,
        '# to httpbin. The plugin configuration is config.json, as one line of JSON.',
      ];
  const body = `admin:
  address:
    socket_address: { address: 0.0.0.0, port_value: 9901 }
static_resources:
  listeners:
    - name: listener_0
      address:
        socket_address: { address: 0.0.0.0, port_value: 10000 }
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_http
                route_config:
                  name: local_route
                  virtual_hosts:
                    - name: local_service
                      domains: ["*"]
                      routes:
                        - name: httpbin-route
                          match: { prefix: "/" }
                          route: { cluster: httpbin }
                http_filters:
                  - name: ${yamlName(example)}
                    typed_config:
                      "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                      type_url: type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
                      value:
                        config:
                          name: ${yamlName(example)}
                          vm_config:
                            runtime: envoy.wasm.runtime.v8
                            code:
                              local:
                                filename: /etc/envoy/main.wasm
                          configuration:
                            "@type": type.googleapis.com/google.protobuf.StringValue
                            value: ${yamlSingleQuoted(configJson)}
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
  clusters:
    - name: httpbin
      connect_timeout: 30s
      type: LOGICAL_DNS
      dns_lookup_family: V4_ONLY
      lb_policy: ROUND_ROBIN
      load_assignment:
        cluster_name: httpbin
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: httpbin, port_value: 80 }
`;
  const redisCluster = redis
    ? `    - name: ${yamlName(redis.name)}
      connect_timeout: 5s
      type: STATIC
      lb_policy: ROUND_ROBIN
      load_assignment:
        cluster_name: ${yamlName(redis.name)}
        endpoints:
          - lb_endpoints:
              - endpoint:
                  address:
                    socket_address: { address: ${REDIS_IP}, port_value: 6379 }
`
    : '';
  return `${header.join('\n')}\n${body}${redisCluster}`;
}

/** The media type of the layer the gateway takes plugin.wasm from in an oras-pushed image (deploy.md §1.3). */
export const OCI_LAYER_MEDIA_TYPE = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** The media type Higress's image spec gives a plugin's README.md. */
export const README_MEDIA_TYPE = 'application/vnd.module.wasm.doc.v1+markdown';

/**
 * Renders the Makefile. Recipes are tab-indented, as make requires. `build` is the Go ≥ 1.24
 * wasip1 reactor build (higress-sdk.md §3.1); WASM_LAB can point at a local checkout of the Lab.
 * `image`/`push` package main.wasm as deploy.md §1.2 does (recipe A), `push-oras` as Higress's own
 * pipeline does (§1.3: the tarball last), and `higress` starts the local Higress in higress/.
 */
export function renderMakefile(example: string, image: string): string {
  return `# Starter project for the ${example} Higress Wasm plugin, from Higress WASM Lab.
#   make build      compile main.go to main.wasm (Go >= 1.24)
#   make test       check scenario.yaml with wasm-lab
#   make run        start a local Envoy gateway on http://localhost:10000 (docker compose up)
#   make higress    start a real Higress with the plugin on http://localhost:8080 (higress/)
#   make image      build the plugin's OCI image $(IMAGE) with Docker
#   make push       build and push it; make push-oras pushes it with oras instead of Docker
#   make clean      remove main.wasm and the files push-oras makes

WASM_LAB ?= npx wasm-lab
# The image the gateway pulls: your registry, the plugin's name, and a new tag for every release.
# wasmplugin.yaml's url is oci://$(IMAGE): change both together.
IMAGE ?= ${image}

.PHONY: build test run higress image push push-oras clean check-go

build: check-go
\tGOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm .

test: build
\t$(WASM_LAB) test scenario.yaml

run: build
\tdocker compose up

higress: build
\tdocker compose -f higress/docker-compose.yaml up

# One platform and no attestations: the image stays a single manifest, which the gateway's fetcher
# reads whatever machine built it.
image: build
\tdocker build --platform linux/amd64 --provenance=false -t $(IMAGE) .

push: image
\tdocker push $(IMAGE)

# The layout of Higress's own plugin images: plugin.wasm in a tar.gz pushed as an OCI layer. The
# gateway takes the LAST layer, so plugin.tar.gz comes after README.md.
push-oras: build
\tcp main.wasm plugin.wasm
\ttar czf plugin.tar.gz plugin.wasm
\toras push $(IMAGE) ./README.md:${README_MEDIA_TYPE} ./plugin.tar.gz:${OCI_LAYER_MEDIA_TYPE}

clean:
\trm -f main.wasm plugin.wasm plugin.tar.gz

# Go 1.24 added -buildmode=c-shared for wasip1, which Higress plugins need.
check-go:
\t@command -v go >/dev/null 2>&1 || { echo "Go is not installed; install Go 1.24 or newer from https://go.dev/dl/ and run make again." >&2; exit 1; }
\t@v="$$(go env GOVERSION)"; case "$$v" in \\
\t  go1.2[4-9]*|go1.[3-9][0-9]*|go[2-9]*|devel*) ;; \\
\t  *) echo "$$v is too old: building a Higress plugin needs Go 1.24 or newer (wasip1 -buildmode=c-shared); install it from https://go.dev/dl/." >&2; exit 1 ;; \\
\tesac
`;
}

/** What the README needs to describe the project. */
export interface ReadmeInput {
  example: string;
  /** The Redis cluster envoy.yaml declares, if any. */
  redis?: RedisCluster | undefined;
  /** The service the plugin calls and how higress/ registers it, if any. */
  service?: ServiceSource | undefined;
  /** Where the project came from: the playground's download (the reader's edits) or `wasm-lab init` (the example as it is). */
  origin?: 'playground' | 'init';
}

/** Renders the project's README.md: what is inside, the make targets, and deploying to Higress. */
export function renderReadme(input: ReadmeInput): string {
  const { example, redis, service, origin = 'playground' } = input;
  const services = redis ? 'Higress gateway, httpbin and Redis' : 'Higress gateway and httpbin';
  const fromInit = origin === 'init';
  const image = imageFor(example);
  const intro = fromInit
    ? `A plugin project made by \`wasm-lab init\` from the Higress WASM Lab example \`${example}\`: build it,
test it, then make it yours.`
    : `A starter project for the \`${example}\` Higress Wasm plugin, downloaded from the Higress WASM Lab
playground with the configuration and scenario you last ran there.`;
  return `# ${example}

${intro}

| File | What it is |
|---|---|
| \`main.go\`, \`go.mod\`, \`go.sum\` | The plugin |${fromInit ? '\n| `main_test.go` | Unit tests with the wasm-go test framework (`go test ./...`) |' : ''}
| \`config.json\` | Its configuration${fromInit ? '' : ', as edited in the playground'} |
| \`scenario.yaml\` | ${fromInit ? 'Requests with the outcomes they must have' : 'The playground scenario'}, run against \`./main.wasm\` with a copy of \`config.json\` under \`config\` |
| \`docker-compose.yaml\`, \`envoy.yaml\` | A local ${services}; envoy.yaml carries \`config.json\` as one line |
| \`Dockerfile\`, \`.dockerignore\` | The plugin as an OCI image Higress can pull: \`plugin.wasm\` in its only layer |
| \`wasmplugin.yaml\` | The WasmPlugin resource that deploys it, generated from \`config.json\` |
| \`higress/\` | A real Higress (all-in-one ${ALL_IN_ONE_VERSION}) with the plugin${service?.backend === 'redis' ? ', Redis' : ''} and httpbin, configured by the files in \`higress/data/\` |
| \`Makefile\` | \`build\`, \`test\`, \`run\`, \`higress\`, \`image\`, \`push\`, \`push-oras\`, \`clean\` |

## Requirements

- Go 1.24 or newer: \`-buildmode=c-shared\` for \`wasip1\` arrived in Go 1.24.
- Docker with Compose, for \`make run\`, \`make higress\` and \`make image\`. The gateway image is Higress
  ${GATEWAY_VERSION}, the all-in-one image ${ALL_IN_ONE_VERSION}; Go 1.24 plugins need Higress 2.1.5 or newer.
- Node.js 22.12 or newer and the \`wasm-lab\` package, for \`make test\`: install it in this folder as
  the Lab's wasm-lab reference page says (\`npm i -D wasm-lab\` once it is on npm).
- For \`make push\`, a registry you can push to (\`docker login\` first); for \`make push-oras\`, the
  [oras](https://oras.land) CLI.

## Commands

\`\`\`sh
make build   # GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm .
make test    # wasm-lab test scenario.yaml
make run     # docker compose up: the gateway listens on http://localhost:10000
\`\`\`

With the gateway up, \`curl -i http://localhost:10000/get\` goes through the plugin to httpbin.
Plugin logs appear in the envoy container's output (\`--component-log-level wasm:debug\`).

In CI, \`npx wasm-lab test scenario.yaml --reporter junit --output wasm-lab.xml\` also writes a JUnit
file for the CI's test report. \`make test\` runs \`npx wasm-lab\`; to use a clone of the Lab instead, run
\`make test WASM_LAB="node --experimental-strip-types /path/to/higress-wasm-lab/src/cli/wasm-lab.ts"\`.

When you change \`config.json\`, change \`config\` in scenario.yaml and the \`configuration\` value in
envoy.yaml to match${redis ? `. If you change \`serviceName\` or \`servicePort\`, rename the Redis cluster in
envoy.yaml too: the plugin calls \`${redis.name}\`, and Envoy must have a cluster of exactly that name` : ''}.

## A real Higress on your machine

\`\`\`sh
make higress   # docker compose -f higress/docker-compose.yaml up
\`\`\`

The all-in-one image runs Higress's controller, gateway and console in one container; it reads the
files this project put in \`higress/data/\`: the route \`ingresses/${LOCAL_ROUTE}.yaml\` (every path to httpbin),
the service sources \`mcpbridges/default.yaml\`${service?.type ? ` (which registers \`${service.cluster.fqdn}\` with port ${service.cluster.port}, so the
plugin's cluster \`${service.cluster.name}\` exists)` : ''}, and the plugin \`wasmplugins/${example}.yaml\`, a copy of
\`wasmplugin.yaml\` whose \`url\` is the mounted \`main.wasm\`
(\`file://${localPluginPath(example)}\`). When the gateway is up (give it a minute),
\`curl -i http://localhost:8080/get\` goes through the plugin; the console is on http://localhost:8001.
Plugin logs, at debug level here, are in the container's \`/var/log/higress/gateway.log\`:

\`\`\`sh
docker compose -f higress/docker-compose.yaml exec higress tail -f /var/log/higress/gateway.log
\`\`\`

After \`make build\`, restart the container (\`docker compose -f higress/docker-compose.yaml restart higress\`)
to load the new \`main.wasm\`. Higress writes its own files into \`higress/data/\` as root; delete the
folder's other contents with \`sudo\` to start afresh.

## Deploy to your Higress

\`\`\`sh
make push IMAGE=${image}   # your registry and tag; or make push-oras IMAGE=…
kubectl apply -f wasmplugin.yaml
\`\`\`

\`make image\` builds \`${image}\` from the Dockerfile (\`FROM scratch\`, \`main.wasm\` copied in as
\`plugin.wasm\`); \`make push\` pushes it. \`make push-oras\` pushes the same \`plugin.wasm\` as Higress's own
plugin images are pushed: in \`plugin.tar.gz\`, the last layer, of type \`${OCI_LAYER_MEDIA_TYPE}\`.
Set \`url\` in \`wasmplugin.yaml\` to \`oci://\` and the image you pushed, and use a new tag for every release:
with \`imagePullPolicy: IfNotPresent\` a gateway never pulls a tag it already has again.
\`wasmplugin.yaml\` was generated from \`config.json\` when this project was made: its \`defaultConfig\` is
\`config.json\` without \`_rules_\`, and each \`_rules_\` entry is a \`matchRules\` rule
(\`_match_route_\` → \`ingress\`, \`_match_domain_\` → \`domain\`, \`_match_service_\` → \`service\`). Edit both
when you change the configuration.${service?.type === 'static' && service.cluster.port !== 80 ? `

On a real Higress, register the service the plugin calls before applying: \`${service.cluster.fqdn}\` with port ${service.cluster.port}
gives the cluster \`${service.cluster.name}\`. The console saves static service sources with port 80, so
with one made there, set the port in the configuration to 80.` : ''}
`;
}

/** A YAML single-quoted scalar: the only escape is '' for '. The text must be one line. */
export function yamlSingleQuoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A name as a plain scalar when YAML reads it back as the same string (redis-limiter,
 * outbound|6379||redis.static), else single-quoted.
 */
export function yamlName(text: string): string {
  const isPlainSafe = /^[A-Za-z0-9][A-Za-z0-9._|-]*$/.test(text)
    && !/^(?:true|false|null|yes|no|on|off|\d[\d_]*(?:\.[\d_]*)?(?:e[-+]?\d+)?|0x[\da-f_]+|0o[0-7_]+|0b[01_]+)$/i.test(text);
  return isPlainSafe ? text : yamlSingleQuoted(text);
}
