#!/usr/bin/env python3
"""The engine's benchmark step (flow.BenchmarkStep) in PyTorch, for ./build.sh bench only.

One particle step of the paper's heavy-tail setting: a ReLU 32-32-32 discriminator phi on 2D
points, 5 inner steps of plain SGD (lr 0.01) on the KL objective in Donsker-Varadhan form
J = mean phi(Y) - log mean exp phi(X), each followed by the Frobenius projection of every weight
matrix to norm L^(1/D) (L = 1), then the particles' move Y <- Y - dt grad phi(Y) (dt = 0.1).
N = M; the particles start at N((10,10), I), the targets are standard Student-t(0.5).

  python3 tools/torchbench/step.py [--threads T] [--sizes 200,2000,10000] [--seconds S]

Prints one line per size: the median time per step over about S seconds after a warm-up.
"""
import argparse
import math
import statistics
import time

import torch


def make(n, seed):
    g = torch.Generator().manual_seed(seed)
    y = torch.randn(n, 2, generator=g) + 10
    # Student-t(nu) = normal / sqrt(chi2(nu) / nu), nu = 0.5
    nu = 0.5
    chi2 = torch.distributions.Chi2(torch.tensor(nu)).sample((n, 2))
    x = torch.randn(n, 2, generator=g) / torch.sqrt(chi2 / nu)
    # As flow/dist does, redraw the rare value that overflowed.
    x = torch.where(torch.isfinite(x), x, torch.randn(n, 2, generator=g))
    return y, x


def net(seed):
    torch.manual_seed(seed)
    sizes = [2, 32, 32, 32, 1]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.normal_(lin.weight, std=math.sqrt(2 / sizes[i]))
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--sizes", default="200,2000,10000")
    ap.add_argument("--seconds", type=float, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    inner, lr, dt, L = 5, 0.01, 0.1, 1.0
    for n in [int(s) for s in a.sizes.split(",")]:
        y, x = make(n, 1)
        phi = net(1)
        weights = [m.weight for m in phi if isinstance(m, torch.nn.Linear)]
        c = L ** (1 / len(weights))
        opt = torch.optim.SGD(phi.parameters(), lr=lr)
        logm = math.log(n)

        def step():
            for _ in range(inner):
                opt.zero_grad()
                J = phi(y).mean() - (torch.logsumexp(phi(x).squeeze(1), 0) - logm)
                (-J).backward()
                opt.step()
                with torch.no_grad():
                    for w in weights:
                        w.mul_(c / w.norm())
            yy = y.detach().requires_grad_(True)
            (g,) = torch.autograd.grad(phi(yy).sum(), yy)
            with torch.no_grad():
                y.sub_(dt * g)

        for _ in range(3):
            step()
        times = []
        end = time.perf_counter() + a.seconds
        while time.perf_counter() < end or len(times) < 5:
            t0 = time.perf_counter()
            step()
            times.append(time.perf_counter() - t0)
        ms = 1e3 * statistics.median(times)
        print(f"PyTorch {torch.__version__} N=M={n} threads={a.threads}: {ms:.3g} ms/step, {1e3 / ms:.4g} steps/s ({len(times)} steps)")


if __name__ == "__main__":
    main()
