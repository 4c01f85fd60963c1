// Package dist provides the seeded sources and targets that lipflow's
// particles flow from and to.
//
// Every distribution is a [Sampler] built by [Parse] from a spec string
//
//	name
//	name(key=value,key=value,...)
//
// where a vector value separates its entries with ';' ("mean=10;10") and a
// scalar given for a vector parameter broadcasts to all d coordinates.
// [Sampler.String] returns the canonical spec: every shape parameter written
// out (so a later change of default cannot change a saved run), loc and scale
// only when they differ from the identity, numbers in shortest round-trip
// form. Parsing it with the same d reproduces the sampler draw for draw.
//
// All randomness comes from the *rand.Rand (math/rand/v2) handed to Sample,
// fed to gonum's distributions as their Src, so a seeded PCG or ChaCha8 stream
// gives the same points on every GOOS/GOARCH, including js/wasm. The random
// stream is consumed identically everywhere; values can differ in the last bit
// where a platform's math.Log/Exp/Pow or fused multiply-add rounds differently
// (linux/amd64 and js/wasm agree to within 1e-12 relative in the golden test).
//
// # Common parameters
//
// Every shape accepts
//
//	loc    vector, default 0   added after scaling
//	scale  scalar > 0, default 1
//
// and returns loc + scale*x, where x is the shape's own draw described below.
//
// # Shapes
//
// gaussian (any d): x ~ N(mean, diag(sd²)), or N(mean, cov) when cov is given
// (drawn as mean + Lz with cov = LLᵀ the Cholesky factor, via gonum distmv).
//
//	mean  vector, default 0
//	sd    scalar or vector, each > 0, default 1
//	cov   d*d numbers, row-major, symmetric positive definite; overrides sd
//
// student-t (any d): the d coordinates are independent standard Student-t
// variables, density ∝ (1 + x²/nu)^(-(nu+1)/2) each.
//
//	nu  >= 0.1, default 0.5
//
// For nu below 0.1 the chi-square variable underneath underflows often enough
// that draws would be ±Inf, so such nu is refused rather than silently
// truncated.
//
// four-gaussians (d >= 2): the equal-weight mixture of N(c, sd² I) over the
// centres c = (0,0), (0,gap), (gap,0), (gap,gap) in the first two coordinates;
// the remaining coordinates are N(0, sd²).
//
//	sd   > 0, default 0.5
//	gap  > 0, default 4
//
// stretched-exp (any d): density ∝ exp(-|x|^beta) on R^d, a heavy-tailed,
// non-Gaussian target. In polar form the radius has density
// ∝ r^(d-1) exp(-r^beta), so s = |x|^beta ~ Gamma(d/beta, 1); it is drawn as
// x = s^(1/beta) u with u uniform on the unit sphere (a normalised standard
// normal vector). With form=product the density is instead
// ∝ exp(-Σ|x_i|^beta), the law of the paper's reference code: independent
// coordinates of density beta/(2Γ(1/beta)) exp(-|x_i|^beta), so that
// |x_i|^beta ~ Gamma(1/beta, 1). Each is drawn exactly as
// x_i = (2U-1) G^(1/beta) with U ~ U(0, 1) and G ~ Gamma(1 + 1/beta, 1), which
// is |x_i|^beta = G U^beta ~ Gamma(1/beta, 1) with a random sign, without the
// underflow of a Gamma(1/beta) variable at large beta. The two forms agree at
// beta = 2 (N(0, 1/2) coordinates) and in d = 1.
//
//	beta  >= 0.05, default 0.4
//	form  radial or product, default radial
//
// Below beta = 0.05 the radius s^(1/beta) overflows float64 in moderate d.
//
// swiss-roll (d = 2 or 3): t ~ U(1.5π, 4.5π) and
// (x, y) = (3/(4.5π)) (t cos t, t sin t), a roll of outer radius 3 inside
// [-3, 3]² (x from -2 to 8/3, y from -7/3 to 3). For d = 3
// the point is (x, h, y) with height h ~ U(-3, 3) as the middle coordinate,
// as in scikit-learn's make_swiss_roll. Every coordinate then gets
// independent N(0, noise²) noise.
//
//	noise  >= 0, default 0.05 (in output units)
//
// sierpinski (d = 2): uniform on the level-L Sierpinski carpet on [-2, 2]²:
// the square is cut into 3^L × 3^L cells and a cell is kept when no base-3
// digit position has both its column and row digit equal to 1. Each level
// picks one of the 8 kept sub-squares uniformly, which makes the 8^L kept cells
// equally likely, then the point is uniform inside its cell.
//
//	level  integer in 1..8, default 4
//
// moons (d = 2): scikit-learn's make_moons — with probability 1/2 each,
// (cos θ, sin θ) or (1 - cos θ, 1/2 - sin θ) with θ ~ U(0, π) — shifted by
// (-1/2, -1/4) and scaled by 4/3, so it spans [-2, 2] × [-1, 1], plus
// N(0, noise² I).
//
//	noise  >= 0, default 0.05 (in output units)
//
// spiral (d = 2): two arms, each chosen with probability 1/2,
// ±(r cos θ, r sin θ) with r = θ/π and θ = 3π√U, U ~ U(0, 1) (the square root
// makes the density along the arm roughly uniform in arc length); the arms
// reach radius 3 (x in [-3, 3], y in about [-2.52, 2.52]) and interleave one
// unit apart, plus N(0, noise² I).
//
//	noise  >= 0, default 0.05 (in output units)
//
// checkerboard (d = 2): uniform on the 8 dark squares of a 4 × 4 board of unit
// squares on [-2, 2]², the dark ones being those whose column and row index
// (0..3 from the lower left) have an even sum, so [-2,-1]² is dark.
//
// points (any d): the fixed points given as x (row-major, d values per point,
// entries separated by ';'); see [Points]. loc and scale are applied to the
// points once, when parsed.
package dist
