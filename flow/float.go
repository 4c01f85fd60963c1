package flow

// Float is the element type of the network: float32 for runs, float64 for gradient checks.
type Float interface{ ~float32 | ~float64 }
