package flow_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// sameBitsRuns cover what a step computes: every f (exp, log and pow in the conjugates, the
// nu solve, the Donsker-Varadhan form), every constraint (spectral normalization's power
// iteration, the gradient penalties' tangent passes), the activations whose derivatives call
// exp or tanh, both optimizers, the three integrators and a class-conditional discriminator.
// The first is the heavy-tail KL-DV preset over 100 steps, where the native runner and the page
// used to differ by 0.57; the last shares its steps among goroutines natively.
var sameBitsRuns = []string{
	"f=kl-dv,seed=3,steps=0;1;5;100",
	"f=kl,lipschitz=spectral,activation=tanh,optimizer=adam,n=120,m=90,steps=1;20",
	"f=alpha,alpha=2,lipschitz=penalty,optimizer=adam,activation=softplus,integrator=heun,n=100,m=100,steps=1;15",
	"f=js,L=5,lipschitz=penalty-ref,activation=elu,integrator=ab2,optimizer=adam,n=70,m=130,dim=3,source=gaussian(mean=3),steps=1;15",
	"f=reverse-kl,activation=sigmoid,optimizer=adam,adam_reset=true,classes=3,n=90,m=60,steps=1;15",
	"f=alpha,alpha=0.5,activation=leaky-relu,lipschitz=spectral,target=four-gaussians,n=300,m=260,steps=1;10",
	"f=hellinger,L=3,source=gaussian,target=moons,n=140,m=140,width=20,depth=2,steps=1;10",
	"f=chi2,lipschitz=penalty,optimizer=adam,n=50,m=50,inner=3,steps=1;10",
	// Several shards, natively on three goroutines (the page has one).
	"f=kl,lipschitz=penalty,optimizer=adam,n=700,m=1100,inner=3,workers=3,steps=1;4",
}

// TestSameBits builds tools/flowhash natively and for js/wasm (run under Node), plain (the
// machine's Go) and with SIMD (Go 1.27.3, GOEXPERIMENT=simd) when that toolchain is at hand, and
// runs the native SIMD build at every vector width GODEBUG can force. Every build must print the
// same hashes of the particles after each step: a link replayed by the native runner gives the
// page's particles to the bit.
func TestSameBits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the tool four times: not in -short")
	}
	if runtime.GOOS == "js" {
		t.Skip("cannot build or run programs from js/wasm")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node")
	}
	dir := t.TempDir()
	type config struct {
		name string
		env  []string
	}
	configs := []config{
		{"plain", []string{"GOEXPERIMENT=", "GOTOOLCHAIN=local"}},
		{"simd", []string{"GOEXPERIMENT=simd", "GOTOOLCHAIN=go1.27.3"}},
	}
	var want []byte
	var wantFrom string
	builds := 0
	compare := func(name string, out []byte) {
		t.Helper()
		builds++
		if want == nil {
			want, wantFrom = out, name
			return
		}
		if !bytes.Equal(out, want) {
			t.Errorf("%s differs from %s:\n%s\n%s:\n%s", name, wantFrom, out, wantFrom, want)
		}
	}
	for _, c := range configs {
		env := append(os.Environ(), c.env...)
		native, wasm := filepath.Join(dir, c.name), filepath.Join(dir, c.name+".wasm")
		build := exec.Command(goCmd, "build", "-o", native, "lipflow/tools/flowhash")
		build.Env = env
		if out, err := build.CombinedOutput(); err != nil {
			if c.name == "simd" {
				t.Logf("no SIMD build (Go 1.27.3 unavailable?): %v\n%s", err, out)
				continue
			}
			t.Fatalf("go build: %v\n%s", err, out)
		}
		build = exec.Command(goCmd, "build", "-o", wasm, "lipflow/tools/flowhash")
		build.Env = append(env, "GOOS=js", "GOARCH=wasm")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build (wasm): %v\n%s", err, out)
		}
		goroot := exec.Command(goCmd, "env", "GOROOT")
		goroot.Env = env
		root, err := goroot.Output()
		if err != nil {
			t.Fatal(err)
		}
		// wasm_exec.js must come from the toolchain that built the binary.
		execJS := filepath.Join(strings.TrimSpace(string(root)), "lib", "wasm", "wasm_exec_node.js")

		// Every width the CPU has. The '+' skips Go's check that the CPU also has every
		// instruction of package simd at that width (an AVX2 CPU without VPCLMULQDQ defaults to
		// 128), which the kernels here do not need; a width beyond the CPU's is still refused.
		godebugs := []string{""}
		if c.name == "simd" {
			godebugs = []string{"", "simd=0", "simd=+128", "simd=+256", "simd=+512"}
		}
		for _, g := range godebugs {
			cmd := exec.Command(native, sameBitsRuns...)
			cmd.Env = append(os.Environ(), "GODEBUG="+g)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil && strings.Contains(stderr.String(), "supported on this cpu") {
				t.Logf("%s native %s: not on this CPU", c.name, g)
				continue
			}
			if err != nil {
				t.Fatalf("%s native %s: %v\n%s", c.name, g, err, stderr.Bytes())
			}
			compare(c.name+" native "+g, out)
		}
		cmd := exec.Command(node, append([]string{execJS, wasm}, sameBitsRuns...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s wasm: %v\n%s", c.name, err, stderr.Bytes())
		}
		compare(c.name+" wasm", out)
	}
	t.Logf("%d builds and widths agree:\n%s", builds, want)
}
