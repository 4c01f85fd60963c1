package dense

import "lipflow/flow"

// StepNet is an Adam step (flow.Adam, the engine's own) on a network's Params and Grad, then
// refreshes its transposed weights.
func StepNet[T flow.Float](o *flow.Adam[T], n *flow.Net[T]) {
	o.Step(n.Params, n.Grad)
	n.Refresh()
}
