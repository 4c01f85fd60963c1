// Package flow is the (f, Lip_L) generative particles algorithm (GPA) of Gu, Birmpa, Pantazis,
// Katsoulakis and Rey-Bellet: particles Y_1..Y_N flow towards target samples X_1..X_M along the
// gradient of a Lipschitz-regularized f-divergence's optimal potential phi.
//
// The (f, Lip_L)-divergence between the particles' law P and the target Q is
//
//	D_f^L(P||Q) = sup over phi in Lip_L, nu in R of  E_P[phi - nu] - E_Q[f*(phi - nu)],
//
// where f* is the Legendre conjugate of f (see Divergence). For f = KL the Donsker-Varadhan form
// E_P[phi] - log E_Q[exp phi] is also offered; it has no nu.
//
// One particle step (Flow.Step):
//  1. Inner ascent: a few optimizer steps of the discriminator phi (a dense network whose
//     Lipschitz constant is held at most L, see Lipschitz) on
//     J = mean_i phi(Y_i) - mean_j f*(phi(X_j) - nu) - nu,
//     with nu solved exactly before each step (SolveNu: mean_j f*'(phi(X_j) - nu) = 1).
//     The discriminator is warm-started across particle steps.
//  2. Transport: Y <- Y - dt * grad_y phi(Y) (Euler; Heun, which trains phi again at its
//     predictor, and Adams-Bashforth 2 are options).
//     Since |grad phi| <= L, no particle moves more than dt*L in a step.
//
// Diagnostics per step: the divergence estimate J, the kinetic energy KE = mean |grad phi(Y_i)|^2 / 2
// (the Lipschitz-regularized Fisher information), and the mean speed mean |grad phi(Y_i)|.
//
// The network computes in float32 for speed (see BenchmarkStep); the particles and the
// objective are float64 so that heavy tails (|y| up to 1e12 and beyond) and the conjugates keep their
// precision. Network code is generic over the float type, so that its gradients can be checked
// against finite differences in float64.
//
// A step gives the same bits on every platform and on any number of goroutines (SetWorkers): the
// float32 products sum in one canonical order (kernel.go), the elementary functions are Go's
// pure-Go ones (package pmath), and every sum over samples is folded over shards fixed by N and
// M (shard.go).
//
// # GPA's peers
//
// The method setting runs, on the same targets, start and seed, the particle flows GPA is
// measured against (ParticleFlow is what a runner needs of any of them; *Flow is one). Each
// moves the particles by Y <- Y + dt V(Y), V its drift:
//
//   - svgd (Liu and Wang 2016): V(y) = (1/n) sum_j k(y_j, y) grad log q(y_j) + grad_{y_j} k(y_j, y),
//     RBF kernel exp(-|a-b|^2/h), h = med^2/log(n+1) (svgd.go); optionally the authors' AdaGrad.
//   - mmd (Arbel et al. 2019): V = -grad f of the MMD witness f = mean k(., y_j) - mean k(., x_j),
//     Gaussian kernel, taken at Y + beta U with noise injection (mmdflow.go).
//   - langevin: V = grad log q, plus sqrt(2 dt) N(0, I) noise: the particle version of the
//     Wasserstein gradient flow of KL(P||Q), which GPA's (KL, Lip_L) flow approaches as L grows
//     (langevin.go).
//   - sinkhorn: V = T_beta - T_alpha, the entropic barycentric projections onto the targets and
//     the particles: -n times the gradient of the debiased Sinkhorn divergence S_eps (sinkhornflow.go).
//
// svgd and langevin follow the target's score grad log q: in closed form where the target law
// has a density (dist.Scorer), else that of a Gaussian KDE of the target samples (targetscore.go).
// None has a potential phi; their Stats.Divergence holds their own objective, named by
// Stats.Objective (KSD^2, MMD^2, S_eps).
package flow
