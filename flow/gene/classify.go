package gene

// Centroids is a nearest-centroid classifier: the mean of each class's training rows; a row
// gets the class of the nearest mean (Euclidean).
type Centroids struct {
	D    int
	Mean [][]float64 // per class; nil for a class without training rows
}

// FitCentroids averages the rows of x (rows x d) per class.
func FitCentroids(x []float64, labels []int32, classes, d int) *Centroids {
	c := &Centroids{D: d, Mean: make([][]float64, classes)}
	count := make([]int, classes)
	for i, l := range labels {
		if c.Mean[l] == nil {
			c.Mean[l] = make([]float64, d)
		}
		for k, v := range x[i*d : (i+1)*d] {
			c.Mean[l][k] += v
		}
		count[l]++
	}
	for l, m := range c.Mean {
		for k := range m {
			m[k] /= float64(count[l])
		}
	}
	return c
}

// Predict returns the class of the nearest centroid to row r.
func (c *Centroids) Predict(r []float64) int32 {
	best, arg := -1.0, int32(-1)
	for l, m := range c.Mean {
		if m == nil {
			continue
		}
		s := 0.0
		for k, v := range m {
			s += (r[k] - v) * (r[k] - v)
		}
		if arg < 0 || s < best {
			best, arg = s, int32(l)
		}
	}
	return arg
}

// Accuracy is the fraction of the rows of x that c labels as labels says.
func (c *Centroids) Accuracy(x []float64, labels []int32) float64 {
	right := 0
	for i, l := range labels {
		if c.Predict(x[i*c.D:(i+1)*c.D]) == l {
			right++
		}
	}
	return float64(right) / float64(len(labels))
}

// LeaveOneOut is the accuracy of nearest centroids on x, each row classified by the
// centroids of all the others: how well the classifier labels held-out samples of its own batch.
func LeaveOneOut(x []float64, labels []int32, classes, d int) float64 {
	n := len(labels)
	right := 0
	rest := make([]float64, 0, len(x))
	var restL []int32
	for i := range n {
		rest, restL = rest[:0], restL[:0]
		for j := range n {
			if j != i {
				rest = append(rest, x[j*d:(j+1)*d]...)
				restL = append(restL, labels[j])
			}
		}
		if FitCentroids(rest, restL, classes, d).Predict(x[i*d:(i+1)*d]) == labels[i] {
			right++
		}
	}
	return float64(right) / float64(n)
}
