package runner

import (
	"fmt"
	"math"
	"strconv"
)

// Steps reads a step request's k: a whole number of steps from 1 to limit. Anything else (NaN, a
// fraction, 0, a negative or infinite number, more than limit) is refused rather than rounded into
// range, so that a page's slip shows instead of running a different count or for hours.
func Steps(k float64, limit int) (int, error) {
	if k != math.Trunc(k) || k < 1 || k > float64(limit) { // NaN and ±Inf fail too
		return 0, fmt.Errorf("step: k = %s, want a whole number of steps from 1 to %d", strconv.FormatFloat(k, 'g', -1, 64), limit)
	}
	return int(k), nil
}
