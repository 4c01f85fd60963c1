#!/usr/bin/env bash
# lipflow's one build script.
#   ./build.sh               build the native runner (bin/) and the site (www/)
#   ./build.sh serve [-port N]   build, then serve www/ on 127.0.0.1 (default port 8080)
#   ./build.sh test          every test: formatting, vet, staticcheck, Go tests natively and as wasm
#   ./build.sh bench         the engine's benchmarks: natively (one core, then every core against
#                            PyTorch if python3-torch is installed), as wasm under Node, in Chromium,
#                            and the pages' loading times
#   ./build.sh dist          a deployable folder in dist/ (with .gz copies), and dist/lipflow.html: the lab in one file
set -euo pipefail
cd "$(dirname "$0")"

STATICCHECK_VERSION=v0.8.2 # release 2026.2.2; the module proxy serves it by its module version
GOROOT_WASM="$(go env GOROOT)/lib/wasm"

# The product is built with Go 1.27.3 and its experimental SIMD package (flow/kernel32_simd.go:
# WebAssembly 128-bit SIMD in the browser, AVX natively), which the go command fetches from the
# module proxy. The code also builds and passes its tests with the machine's Go 1.26 (plain
# loops, flow/kernel32_plain.go); without the 1.27.3 toolchain the build falls back to that.
SIMD_GO=go1.27.3
simd() { GOTOOLCHAIN=$SIMD_GO GOEXPERIMENT=simd "$@"; }
have_simd() { simd go version >/dev/null 2>&1; }

build() {
	local gorun=(env)
	if have_simd; then
		gorun=(env GOTOOLCHAIN=$SIMD_GO GOEXPERIMENT=simd)
	else
		echo "build.sh: Go $SIMD_GO unavailable: building with $(go version | cut -d' ' -f3), no SIMD" >&2
	fi
	mkdir -p bin
	"${gorun[@]}" go build -o bin/lipflow ./flow/cmd/lipflow
	# The pages' copy of flow's settings table (tools/settingsjs; its test checks it is current).
	go run ./tools/settingsjs -o www/settings.js
	# wasm_exec.js must come from the Go that builds the wasm.
	cp "$("${gorun[@]}" go env GOROOT)/lib/wasm/wasm_exec.js" www/
	# The data sets the pages fetch: each assets/<name>/data/ folder is served as www/data/<name>/.
	local set
	rm -rf www/data
	for set in assets/*/data/; do
		[ -d "$set" ] || continue
		set=${set%/data/}
		mkdir -p "www/data/${set#assets/}"
		cp -r "$set/data/." "www/data/${set#assets/}/"
	done
	# Every program under wasm/ becomes www/<its folder>.wasm.
	local prog
	for prog in wasm/*/; do
		prog=${prog%/}
		[ "$prog" = wasm/internal ] && continue # shared packages, not programs
		"${gorun[@]}" GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o "www/${prog#wasm/}.wasm" "./$prog"
	done
}

# torch_python prints a python3 that can import torch (Debian's python3-torch installs it for
# /usr/bin/python3, which a python3 earlier on the PATH may not be), or fails.
torch_python() {
	local py
	for py in python3 /usr/bin/python3; do
		if "$py" -c 'import torch' >/dev/null 2>&1; then
			echo "$py"
			return 0
		fi
	done
	return 1
}

wasm_test() {
	# Pure-Go packages must behave the same in the browser's runtime.
	GOOS=js GOARCH=wasm go test -short -exec "$GOROOT_WASM/go_js_wasm_exec" "$@"
}

run_tests() {
	local bad
	bad=$(gofmt -l .)
	if [ -n "$bad" ]; then
		echo "gofmt: these files need formatting:"; echo "$bad"; return 1
	fi
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./wasm/... ./render/...
	if ! command -v staticcheck >/dev/null; then
		go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
		export PATH="$PATH:$(go env GOPATH)/bin"
	fi
	staticcheck ./...
	GOOS=js GOARCH=wasm staticcheck ./wasm/... ./render/...
	build
	echo "== go test (native; e2e drives www/ in headless Chromium)"
	# -p 1: the browser tests measure the page, so they do not share the two cores with the engine's.
	LIPFLOW_E2E=1 go test -p 1 -count=1 -timeout 25m ./...
	echo "== go test (wasm under Node, -short)"
	wasm_test -count=1 -timeout 20m ./flow/... ./wasm/engine/... ./wasm/internal/...
	if ! have_simd; then
		echo "== Go $SIMD_GO unavailable: the SIMD kernels (flow/kernel32_simd.go) are not tested" >&2
		return 0
	fi
	echo "== go test ./flow/ with GOEXPERIMENT=simd (Go $SIMD_GO), natively and as wasm (-short)"
	simd go vet ./flow/
	simd go test -count=1 -timeout 20m ./flow/
	simd env GOOS=js GOARCH=wasm go test -short -count=1 -timeout 20m \
		-exec "$(simd go env GOROOT)/lib/wasm/go_js_wasm_exec" ./flow/
}

case "${1:-build}" in
build) build ;;
test) run_tests ;;
bench)
	build
	echo "== native, Go 1.26 plain loops, one core ($(uptime))"
	go test -run '^$' -bench '^BenchmarkStep$' -benchmem ./flow/
	native=(env)
	if have_simd; then
		native=(env GOTOOLCHAIN=$SIMD_GO GOEXPERIMENT=simd)
		echo "== native, Go $SIMD_GO SIMD, one core"
		simd go test -run '^$' -bench '^BenchmarkStep$' -benchmem ./flow/
	fi
	echo "== native, GPA's peers (docs/peers.md), one core"
	"${native[@]}" go test -run '^$' -bench '^BenchmarkPeerStep$' -benchtime 5x ./flow/
	# Every core, side by side with PyTorch on as many threads (the runners' -workers default).
	cores=$(nproc)
	echo "== native, $("${native[@]}" go version | cut -d' ' -f3): steps per second on 1 to $cores workers ($(uptime))"
	"${native[@]}" go test -run '^$' -bench '^BenchmarkStepWorkers$' ./flow/ | grep -E 'Benchmark|ok'
	if py=$(torch_python); then
		for t in 1 "$cores"; do
			"$py" tools/torchbench/step.py --threads "$t"
		done
	else
		echo "(no PyTorch: apt-get install python3-torch to compare)"
	fi
	echo "($(uptime))"
	echo "== wasm under Node, plain"
	GOOS=js GOARCH=wasm go test -run '^$' -bench Step -benchtime 5x -count 2 -exec "$GOROOT_WASM/go_js_wasm_exec" ./flow/
	if have_simd; then
		echo "== wasm under Node, SIMD"
		simd env GOOS=js GOARCH=wasm go test -run '^$' -bench Step -benchtime 5x -count 2 \
			-exec "$(simd go env GOROOT)/lib/wasm/go_js_wasm_exec" ./flow/
	fi
	echo "== www/bench.html in headless Chromium"
	LIPFLOW_BENCH=1 LIPFLOW_E2E=1 go test -count=1 -run 'TestBenchSizes|TestBenchMethods|TestBenchPostMessage' -v ./e2e/ | grep -E 'bench.html|round trips|ok|FAIL'
	echo "== bench.html on 1, 2 and all workers beside TF.js 4.22's wasm backend, headless Chromium ($(uptime))"
	# e2e/tfjs_test.go fetches TF.js with npm pack, once, into the user's cache.
	LIPFLOW_BENCH=1 LIPFLOW_E2E=1 go test -count=1 -timeout 30m -run 'TestBenchTFJS' -v ./e2e/ | grep -vE '^(=== RUN|PASS$)'
	echo "== the frame hand-off to the view: wall time against the page thread's CPU, from a Chrome trace ($(uptime))"
	LIPFLOW_BENCH=1 LIPFLOW_E2E=1 go test -count=1 -run 'TestHandoffTrace' -v ./e2e/ | grep -vE '^(=== RUN|PASS$)'
	echo "== loading times in headless Chromium, cold cache (e2e/loadtime_test.go; docs/performance.md#loading)"
	uptime
	LIPFLOW_BENCH=1 LIPFLOW_E2E=1 go test -count=1 -timeout 40m -run TestLoadTime -v ./e2e/ | grep -E 'load |ok|FAIL'
	;;
serve)
	build
	port=8080
	if [ "${2:-}" = "-port" ]; then port="$3"; fi
	# A static host's way: text and wasm gzip-compressed to browsers that accept it (tools/serve).
	exec go run ./tools/serve -dir www -addr "127.0.0.1:$port"
	;;
dist)
	build
	rm -rf dist && mkdir -p dist
	cp -r www/. dist/ 2>/dev/null || true
	# The whole lab as one file that runs from disk, no server (tools/singlefile).
	go run ./tools/singlefile -www www -o dist/lipflow.html
	# Precompressed copies beside the files, for hosts that serve NAME.gz to browsers that accept
	# gzip (nginx gzip_static, Caddy's precompressed, ...): view.wasm goes from 10 MB to 2.6 MB.
	# The MNIST files are gzip already; -n leaves names and times out, so the output is stable.
	find dist -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.html' -o -name '*.css' -o -name '*.bin' \) \
		-exec gzip -9 -n -k -f {} +
	echo "dist/ written"
	;;
*) echo "usage: ./build.sh [build|serve [-port N]|test|bench|dist]"; exit 2 ;;
esac
